using Doppel.Engine.Collection;
using Doppel.Engine.Text;

namespace Doppel.Tests.Collection;

/// <summary>Builds small collections for the tests: the bundled examples, the Clough-Stevenson task a fixtures,
/// and generated texts with a known structure.</summary>
internal static class CollectionFixture
{
    public static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "examples");
    public static readonly string Clough = Path.Combine(AppContext.BaseDirectory, "Fixtures", "clough", "taska");

    public static CollectionInput Input(string name, string text) => new(name, name, DocumentAnalyzer.Analyze(text, name));

    public static CollectionInput File(string path) => Input(Path.GetFileName(path), System.IO.File.ReadAllText(path));

    /// <summary>Deterministic pseudo-English filler: distinct content words per seed, so unrelated fillers share
    /// no fingerprints.</summary>
    public static string Filler(int seed, int sentences)
    {
        var rng = new Random(seed);
        string[] function = ["the", "of", "and", "to", "in", "is", "that", "for", "with", "as", "was", "on"];
        var sb = new System.Text.StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            int n = 10 + rng.Next(10);
            for (int i = 0; i < n; i++)
            {
                string w = rng.Next(3) == 0 ? function[rng.Next(function.Length)] : $"w{seed}x{rng.Next(400)}q";
                sb.Append(i == 0 ? char.ToUpperInvariant(w[0]) + w[1..] : w).Append(i == n - 1 ? ". " : " ");
            }
        }
        return sb.ToString();
    }

    public static PairResult? Pair(CollectionResult r, string a, string b) =>
        r.Pairs.FirstOrDefault(p => (r.Documents[p.A].Name == a && r.Documents[p.B].Name == b) || (r.Documents[p.A].Name == b && r.Documents[p.B].Name == a));

    /// <summary>Coverage of document <paramref name="doc"/> in its pair with <paramref name="other"/>, 0 when not paired.</summary>
    public static double CoverageOf(CollectionResult r, string doc, string other)
    {
        var p = Pair(r, doc, other);
        if (p == null) return 0;
        return r.Documents[p.A].Name == doc ? p.CoverageA : p.CoverageB;
    }
}
