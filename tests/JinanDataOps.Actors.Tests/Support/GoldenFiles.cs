using System.Runtime.CompilerServices;
using System.Text;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>The persisted schema as it was first written, one file per manifest under Golden/. A missing
/// file fails the test, unless UPDATE_GOLDEN=1, which writes the missing files (and only those: an existing
/// golden file is never rewritten — a changed shape needs a new manifest version, not a new golden file).</summary>
public static class GoldenFiles
{
    public const string Folder = "Golden";

    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static string PathInOutput(string manifest) => Path.Combine(AppContext.BaseDirectory, Folder, manifest + ".json");

    public static string PathInSource(string manifest) => Path.Combine(SourceFolder(), manifest + ".json");

    /// <summary>The golden text of <paramref name="manifest"/>; in update mode a missing file is first written with <paramref name="current"/>.</summary>
    public static string Read(string manifest, string current)
    {
        if (Updating)
        {
            var source = PathInSource(manifest);
            if (!File.Exists(source)) File.WriteAllText(source, current, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return Normalize(File.ReadAllText(source, Encoding.UTF8));
        }
        var path = PathInOutput(manifest);
        Assert.True(File.Exists(path), $"golden file {Folder}/{manifest}.json is missing; run the tests once with UPDATE_GOLDEN=1 to write it, then commit it");
        return Normalize(File.ReadAllText(path, Encoding.UTF8));
    }

    /// <summary>Manifests that have a golden file in the output folder.</summary>
    public static IEnumerable<string> Present() =>
        Directory.Exists(Path.Combine(AppContext.BaseDirectory, Folder))
            ? Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, Folder), "*.json").Select(p => Path.GetFileNameWithoutExtension(p)!)
            : [];

    // An editor may add a final line break; the JSON itself is one line.
    private static string Normalize(string text) => text.TrimEnd('\r', '\n');

    private static string SourceFolder([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, Folder);
}
