using System.Text;
using Doppel.Application;
using Doppel.Engine.Alignment;
using Doppel.Engine.Text;
using Doppel.Readers;
using Doppel.Tests.Readers;
using Xunit;

namespace Doppel.Tests.Alignment;

/// <summary>Large documents (issue 14 item 5): seeding stays within a budget linear in the pair, one size limit bounds
/// the file and its text, and a long pair reports its progress. Sizes and times: bench/large-files.sh.</summary>
public sealed class LargeDocumentTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("doppel-large-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>Sentences that all share a few words ("common river carried ... past") and have three of their own.</summary>
    private static string Sentences(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.Append($"The common river carried stone{i} and timber{i} past village{i}. ");
        return sb.ToString();
    }

    [Fact]
    public void Seeding_of_a_self_compare_stays_within_a_budget_linear_in_the_pair_and_keeps_exact_similarities()
    {
        var d = DocumentAnalyzer.Analyze(Sentences(3000));
        Assert.Equal(3000, d.UnitCount);
        using var m = new PairModel(d, d);
        var seeds = new List<Seed>();
        long visits = SentenceSeeder.FindSeeds(m, AlignmentOptions.Default, seeds);
        // Each shared word, in 3000 units on both sides, would cost 3000 x 3000 = 9 million visits; the budget here is
        // the floor, 4 Mi, and the shared words are left out of probing (the three own words find the pairs).
        Assert.True(UncappedVisits(d) > 30_000_000);
        Assert.Equal(SentenceSeeder.MinProbeBudget, SentenceSeeder.ProbeBudget(m));
        Assert.True(visits <= SentenceSeeder.ProbeBudget(m), $"{visits} visits");
        Assert.True(visits < 10_000, $"{visits} visits");
        // Each sentence still seeds with itself, and the words left out still count: the similarity is exact (1).
        var diagonal = seeds.Where(s => s.S == s.R).ToList();
        Assert.Equal(3000, diagonal.Count);
        Assert.All(diagonal, s => Assert.True(s.Similarity > 0.9999f, $"{s.Similarity}"));
    }

    [Fact]
    public void Seeding_of_ordinary_pairs_probes_every_term()
    {
        var d = DocumentAnalyzer.Analyze(Sentences(300));
        using var m = new PairModel(d, d);
        long visits = SentenceSeeder.FindSeeds(m, AlignmentOptions.Default, []);
        Assert.Equal(UncappedVisits(d), visits);
    }

    /// <summary>Visits of a self-compare that probes every term: a term in c units walks its c postings c times.</summary>
    private static long UncappedVisits(AnalyzedDocument d) =>
        d.PostingTerm.GroupBy(t => t).Sum(g => (long)g.Count() * g.Count());

    [Fact]
    public void Runs_along_many_parallel_diagonals_merge_as_before()
    {
        // Many runs open at once (a repetitive document against itself): each continues only its own block.
        var runs = new List<VerbatimRun>();
        for (int k = 0; k < 50; k++)
            for (int d = 0; d < 20; d++) runs.Add(new VerbatimRun(k * 10 + d * 1000, k * 10 + d * 2000, 9));
        var blocks = VerbatimMatcher.MergeRuns(runs);
        Assert.Equal(20, blocks.Count);
        Assert.All(blocks, b => Assert.Equal(50 * 9, b.Covered));
    }

    [Fact]
    public void Text_of_40_Mi_characters_is_read_when_the_file_limit_allows_it()
    {
        // A fixed 32 Mi-character bound used to refuse it whatever --max-file-size said.
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Words of a long thesis, line after line.\n", (40 << 20) / 41 + 1)));
        Assert.True(bytes.Length > 40 << 20);
        var text = new DocumentReader().Read(bytes, "thesis.txt", 200L << 20);
        Assert.Equal(bytes.Length, text.Text.Length);
    }

    [Fact]
    public void Text_beyond_the_file_limit_is_refused_with_the_hint_that_lifts_it()
    {
        // A Word document compresses its text: a small file can hold more text than the limit allows.
        string docx = Path.Combine(_temp, "long.docx");
        DocumentBuilders.Docx(docx, string.Join("\n", Enumerable.Repeat("A sentence of the document body that repeats itself.", 4000)));
        long size = new FileInfo(docx).Length;
        Assert.True(size < 100_000, $"{size} bytes");
        var inputs = new DocumentInputs(new InputLimits(100_000, "see --max-file-size"));
        var error = inputs.Load(DocumentSource.FromFile(docx)).Error;
        Assert.NotNull(error);
        Assert.Equal(DocumentInputErrorKind.TooLarge, error.Kind);
        Assert.Contains("extracted text too large", error.Message);
        Assert.Contains("limit is 100,000", error.Message);
        Assert.EndsWith("(see --max-file-size)", error.Message);
        // Lifting the one limit lifts it.
        Assert.NotNull(new DocumentInputs(new InputLimits(1 << 20, "see --max-file-size")).Load(DocumentSource.FromFile(docx)).Document);
    }

    private sealed class Recorder : IOperationObserver
    {
        public List<OperationProgress> Seen { get; } = [];
        void IOperationObserver.Progress(OperationProgress p) { lock (Seen) Seen.Add(p); }
    }

    [Fact]
    public void Comparing_a_pair_reports_its_alignment_from_0_to_100_percent()
    {
        var text = Encoding.UTF8.GetBytes(Sentences(9000));
        var recorder = new Recorder();
        new CheckService().Compare(DocumentSource.FromBytes("a.txt", text), DocumentSource.FromBytes("b.txt", text), recorder);
        var pair = recorder.Seen.Where(p => p.Stage == OperationStage.AligningPair).ToList();
        Assert.All(pair, p => Assert.Equal(100, p.Total));
        Assert.Equal(0, pair[0].Done);
        Assert.Equal(100, pair[^1].Done);
        // Seeding 9000 sentences reports as it goes, not only at the ends.
        Assert.Contains(pair, p => p.Done is > 0 and < 60);
        Assert.True(pair.Zip(pair.Skip(1)).All(x => x.First.Done <= x.Second.Done), string.Join(",", pair.Select(p => p.Done)));
    }
}
