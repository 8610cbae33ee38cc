using BenchmarkDotNet.Attributes;
using Doppel.Engine.Alignment;
using Doppel.Engine.Text;

namespace Doppel.Bench;

/// <summary>
/// Per-pair stages on one fixed pair per obfuscation type (see <see cref="Inputs.Pairs"/>): building the tf-isf
/// pair model, sentence seeding, exact-run matching, and the whole alignment. Documents are analysed once in setup.
/// </summary>
[MemoryDiagnoser]
public class PairBenchmarks
{
    [Params("01-noplag", "02-none", "03-random", "04-transl", "05-summary")]
    public string Pair { get; set; } = "";

    private AnalyzedDocument _susp = null!;
    private AnalyzedDocument _src = null!;
    private PairModel? _model;
    private readonly List<Seed> _seeds = new(1024);
    private readonly List<VerbatimRun> _runs = new(256);

    [GlobalSetup]
    public void Setup()
    {
        var (s, r) = Inputs.Pairs[Pair];
        _susp = DocumentAnalyzer.Analyze(TextDecoder.ReadFile(Corpus.Susp(s), TextDecoder.DefaultMaxBytes).Text, s);
        _src = DocumentAnalyzer.Analyze(TextDecoder.ReadFile(Corpus.Src(r), TextDecoder.DefaultMaxBytes).Text, r);
    }

    [GlobalSetup(Target = nameof(FindSeeds))]
    public void SetupSeeds()
    {
        Setup();
        // FindSeeds resets the scratch entries it touches, so one model serves every invocation.
        _model = new PairModel(_susp, _src);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        _model = null;
    }

    [Benchmark(Description = "PairModel build+dispose")]
    public int BuildPairModel()
    {
        using var m = new PairModel(_susp, _src);
        return m.SuspNorm.Length;
    }

    [Benchmark(Description = "SentenceSeeder.FindSeeds")]
    public int FindSeeds()
    {
        _seeds.Clear();
        SentenceSeeder.FindSeeds(_model!, AlignmentOptions.Default, _seeds);
        return _seeds.Count;
    }

    [Benchmark(Description = "VerbatimMatcher.FindRuns")]
    public int FindRuns()
    {
        _runs.Clear();
        VerbatimMatcher.FindRuns(_susp, _src, AlignmentOptions.Default.VerbatimMinWords, _runs);
        return _runs.Count;
    }

    [Benchmark(Description = "PairAligner.Align")]
    public int Align() => PairAligner.Align(_susp, _src).Count;
}
