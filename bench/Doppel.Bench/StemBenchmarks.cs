using BenchmarkDotNet.Attributes;
using Doppel.Engine.Language;
using Doppel.Engine.Text;

namespace Doppel.Bench;

/// <summary>
/// EnglishStemmer.Stem (span overload) over the lowercased tokens of the ascii-100K document, in text order
/// (so common words recur as they do in real text). Reported per word via OperationsPerInvoke. The "distinct"
/// case stems each distinct word once, which is what the lexicon cache reduces a document to.
/// </summary>
[MemoryDiagnoser]
public class StemBenchmarks
{
    private const int Words = 16384;
    private string[] _tokens = [];
    private string[] _distinct = [];
    private readonly char[] _buffer = new char[128];

    [GlobalSetup]
    public void Setup()
    {
        string text = Inputs.AsciiText();
        var doc = DocumentAnalyzer.Analyze(text);
        var all = new List<string>(doc.TokenCount);
        for (int t = 0; t < doc.TokenCount; t++)
        {
            string w = text[doc.TokenStart[t]..doc.TokenEnd[t]].ToLowerInvariant();
            if (w.Length <= 64) all.Add(w);
        }
        if (all.Count < Words) throw new InvalidOperationException($"only {all.Count} tokens in {Inputs.Ascii100K}");
        _tokens = all.Take(Words).ToArray();
        // Same count of words, each distinct word of the document once (cycled if there are fewer).
        var set = all.Distinct().OrderBy(w => w, StringComparer.Ordinal).ToArray();
        _distinct = Enumerable.Range(0, Words).Select(i => set[i % set.Length]).ToArray();
    }

    [Benchmark(Description = "Stem running text (per word)", OperationsPerInvoke = Words)]
    public int StemRunningText()
    {
        int total = 0;
        Span<char> buf = _buffer;
        foreach (var w in _tokens) total += EnglishStemmer.Stem(w, buf);
        return total;
    }

    [Benchmark(Description = "Stem distinct words (per word)", OperationsPerInvoke = Words)]
    public int StemDistinct()
    {
        int total = 0;
        Span<char> buf = _buffer;
        foreach (var w in _distinct) total += EnglishStemmer.Stem(w, buf);
        return total;
    }
}
