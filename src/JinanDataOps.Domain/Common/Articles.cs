namespace JinanDataOps.Domain.Common;

/// <summary>Article references of the Jinan Measures (Order No. 286). The code cites an article as the Measures
/// write it ("Art. 13"), so <c>grep -rn "Art. 13" src</c> lands on every rule and refusal of that article; these
/// constants name the same texts for the tests that check a refusal cites the right one.</summary>
public static class Art
{
    public const string A3 = "Art. 3";
    public const string A6 = "Art. 6";
    public const string A7 = "Art. 7";
    public const string A8_1 = "Art. 8(1)";
    public const string A8_2 = "Art. 8(2)";
    public const string A8_3 = "Art. 8(3)";
    public const string A8_4 = "Art. 8(4)";
    public const string A8_5 = "Art. 8(5)";
    public const string A9 = "Art. 9";
    public const string A10 = "Art. 10";
    public const string A11 = "Art. 11";
    public const string A12 = "Art. 12";
    public const string A13 = "Art. 13";
    public const string A14 = "Art. 14";
    public const string A15 = "Art. 15";
    public const string A16 = "Art. 16";
    public const string A17 = "Art. 17";
    public const string A18 = "Art. 18";
    public const string Gb32100 = "GB 32100-2015";
}
