using Doppel.Engine.Index;
using Doppel.Engine.Text;

namespace Doppel.Tests.Index;

/// <summary>A temporary index directory per test, and documents built from the bundled examples.</summary>
public abstract class IndexTestBase : IDisposable
{
    protected static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "examples");
    protected readonly string Dir = Directory.CreateTempSubdirectory("doppel-index-").FullName;

    protected string IndexDir => Path.Combine(Dir, "idx");

    protected static string Example(string name) => File.ReadAllText(Path.Combine(Examples, name));

    protected static PreparedDocument Doc(string id, string text) => DocumentPreparer.Prepare(DocumentAnalyzer.Analyze(text, id), id);

    protected static string Filler(int seed, int sentences = 12) => TestTexts.Filler(seed, sentences);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public static class TestTexts
{
    /// <summary>Distinct filler documents: sentences drawn from a fixed vocabulary with a per-document seed.</summary>
    public static string Filler(int seed, int sentences = 12)
    {
        string[] words = ["river", "mountain", "engine", "library", "garden", "signal", "harbour", "lantern", "market", "violin",
            "orchard", "glacier", "printer", "canal", "meadow", "theatre", "compass", "furnace", "island", "ledger"];
        var rng = new Random(seed);
        var sb = new System.Text.StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            sb.Append("The");
            for (int w = 0; w < 10; w++) sb.Append(' ').Append(words[rng.Next(words.Length)]).Append(rng.Next(100));
            sb.Append(". ");
        }
        return sb.ToString();
    }
}
