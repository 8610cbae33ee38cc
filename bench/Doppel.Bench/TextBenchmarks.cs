using System.Text;
using BenchmarkDotNet.Attributes;
using Doppel.Engine.Text;

namespace Doppel.Bench;

/// <summary>Per-document stages: decode bytes, normalise, and the whole analysis (normalise, tokenise, stem
/// lookup, sentence split, unit vectors, inverted list). The lexicon's per-thread word cache is warm after the
/// first call, as it is for nearly every document of a batch run.</summary>
[MemoryDiagnoser]
public class TextBenchmarks
{
    private byte[] _utf8Ascii = [];
    private byte[] _utf8Mixed = [];
    private byte[] _cp1252Mixed = [];
    private string _ascii = "";
    private string _mixed = "";

    [GlobalSetup]
    public void Setup()
    {
        _ascii = Inputs.AsciiText();
        _mixed = Inputs.MixedText();
        _utf8Ascii = Encoding.UTF8.GetBytes(_ascii);
        _utf8Mixed = Encoding.UTF8.GetBytes(_mixed);
        _cp1252Mixed = Inputs.Cp1252().GetBytes(_mixed);
    }

    [Benchmark(Description = "Decode utf8 ascii-100K")]
    public DecodedText DecodeUtf8Ascii() => TextDecoder.Decode(_utf8Ascii);

    [Benchmark(Description = "Decode utf8 mixed-100K")]
    public DecodedText DecodeUtf8Mixed() => TextDecoder.Decode(_utf8Mixed);

    [Benchmark(Description = "Decode cp1252 mixed-100K")]
    public DecodedText DecodeCp1252Mixed() => TextDecoder.Decode(_cp1252Mixed);

    [Benchmark(Description = "Normalize ascii-100K")]
    public NormalizedText NormalizeAscii() => Normalizer.Normalize(_ascii);

    [Benchmark(Description = "Normalize mixed-100K")]
    public NormalizedText NormalizeMixed() => Normalizer.Normalize(_mixed);

    [Benchmark(Description = "Analyze ascii-100K")]
    public AnalyzedDocument AnalyzeAscii() => DocumentAnalyzer.Analyze(_ascii, Inputs.Ascii100K);

    [Benchmark(Description = "Analyze mixed-100K")]
    public AnalyzedDocument AnalyzeMixed() => DocumentAnalyzer.Analyze(_mixed, "mixed");
}
