using System.Globalization;
using System.Text.Json;

namespace JinanDataOps.LoadScenarios;

/// <summary>The bodies and ids of the Art. 8 procedure, shared by the scenarios.</summary>
public static class Procedure
{
    public static readonly object[] Criteria = [new { name = "capability", weight = 60 }, new { name = "security", weight = 40 }];

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Iso(TimeSpan d) => System.Xml.XmlConvert.ToString(d);

    /// <summary>A valid unified social credit code (GB 32100-2015) made from a number: 91 370100 + nine
    /// characters + the check character. Distinct numbers give distinct codes.</summary>
    public static string CreditCode(long n)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var organisation = new char[9];
        for (var i = 8; i >= 0; i--)
        {
            organisation[i] = alphabet[(int)(n % alphabet.Length)];
            n /= alphabet.Length;
        }
        var first17 = "91370100" + new string(organisation);
        return first17 + JinanDataOps.Domain.Common.CreditCode.CheckCharacterFor(first17);
    }

    public static object Operator(string org, long serial) => new
    {
        name = $"{org} Data Technology Co., Ltd.",
        creditCode = CreditCode(serial),
        legalRepresentative = "Zhang Wei",
        securityContact = $"security@{org}.example.cn",
    };

    public static object Training() => new { staff = new[] { "Li Na", "Wang Fang" }, completedOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    public static object Dataset(string id) => new
    {
        id, title = $"Bus trips {id}", domain = "transport",
        fields = new[] { new { name = "route", sensitive = false }, new { name = "boardings", sensitive = false } },
    };

    public static object Call(string title, string dataset, DateTimeOffset closesAt, TimeSpan notice) => new
    {
        mode = "comprehensive",
        title,
        scope = new { domains = new[] { "transport" }, datasets = new[] { dataset } },
        conditions = new[] { "legal person registered in Jinan", "data security management system in place" },
        criteria = Criteria,
        passScore = 60,
        opensAt = Iso(DateTimeOffset.UtcNow.AddMinutes(-1)),
        closesAt = Iso(closesAt),
        noticePeriod = Iso(notice),
    };

    public static object Application(string org) => new
    {
        materials = new Dictionary<string, object>
        {
            ["summary"] = $"{org} proposes data products for the city",
            ["qualifications"] = new[] { "ISO 27001", "DSMM level 3" },
        },
    };

    public static object Review(int capability, int security) => new { scores = new Dictionary<string, int> { ["capability"] = capability, ["security"] = security } };

    public static object Agreement(string application, string dataset) => new Dictionary<string, object?>
    {
        ["applicationId"] = application,
        ["scope"] = new { domains = new[] { "transport" }, datasets = new[] { dataset } },
        ["startsAt"] = Iso(DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["endsAt"] = Iso(DateTimeOffset.UtcNow.AddDays(365)),
        ["rightsAndObligations"] = "The operator processes the authorized data only inside the operations platform; raw data never leaves it (Art. 13).",
        ["securityRequirements"] = "The legal representative is the first person responsible for data security (Art. 14); staff are trained before the job (Art. 16).",
        ["exitConditions"] = "Terminated when a rectification order is not met by its deadline (Art. 18).",
        ["breachLiability"] = "A party in breach compensates the losses it causes (Art. 19).",
        ["assetDisposal"] = "Derived data is deleted inside the platform and products are delisted at expiry.",
    };

    public static object DataRequest(string agreement, string scenario, string dataset) =>
        new { agreementId = agreement, scenario, datasets = new[] { dataset }, purpose = $"build the {scenario} data product" };

    /// <summary>The instant sandbox events carry: yesterday 14:00 in Jinan, inside working hours, so the
    /// outside-hours rule stays quiet and only what a scenario means as a violation is one.</summary>
    public static readonly DateTimeOffset EventTime = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1).AddHours(6);

    public static string Event(string op, string request, string dataset, string kind = "query", long rows = 10) => JsonSerializer.Serialize(new
    {
        operatorId = op, dataRequestId = request, kind, dataset, fields = new[] { "route", "boardings" }, rows, bytes = rows * 80,
        at = EventTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    });
}
