using Doppel.Engine.Alignment;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Alignment;

public class SummaryDetectorTests
{
    private static readonly string[] Topic =
        ["glacier", "ice", "valley", "meltwater", "river", "snow", "mountain", "climate", "temperature", "retreat",
         "moraine", "summit", "avalanche", "crevasse", "altitude", "winter", "summer", "rainfall", "lake", "erosion"];
    private static readonly string[] Other =
        ["bread", "oven", "flour", "butter", "sugar", "recipe", "kitchen", "dough", "yeast", "baker",
         "market", "coffee", "cheese", "orchard", "apple", "honey", "vinegar", "pepper", "garlic", "onion"];

    /// <summary>Deterministic sentences of six content words drawn from a vocabulary.</summary>
    private static string Sentences(string[] words, int count, int seed)
    {
        var rnd = new Random(seed);
        var parts = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var w = Enumerable.Range(0, 6).Select(_ => words[rnd.Next(words.Length)]).ToArray();
            parts.Add($"The {w[0]} and the {w[1]} near the {w[2]} changed the {w[3]} with {w[4]} and {w[5]}.");
        }
        return string.Join(" ", parts) + " ";
    }

    private static List<AlignedPassage> Detect(string suspicious, string source, double? peakRatio = null, double? wholeCosine = null)
    {
        var susp = DocumentAnalyzer.Analyze(suspicious, "susp");
        var src = DocumentAnalyzer.Analyze(source, "src");
        using var m = new PairModel(susp, src);
        var found = new List<AlignedPassage>();
        var o = AlignmentOptions.Default with { MinPassageChars = 50, SummaryPeakRatio = peakRatio ?? AlignmentOptions.Default.SummaryPeakRatio };
        SummaryDetector.Detect(m, wholeCosine is { } w ? o with { SummaryWholeCosine = w } : o, found);
        return found;
    }

    [Fact]
    public void A_block_on_the_source_topic_inside_other_text_is_reported_as_a_summary()
    {
        string source = Sentences(Topic, 30, 1);
        string summary = Sentences(Topic, 5, 2);
        string before = Sentences(Other, 20, 3), after = Sentences(Other, 20, 4);
        var found = Detect(before + summary + after, source);
        var p = Assert.Single(found);
        Assert.Equal(PassageKind.Summary, p.Kind);
        Assert.InRange(p.SuspiciousStart, before.Length - 100, before.Length + 100);
    }

    /// <summary>A five-sentence block on the source's topic between two stretches of other text, and the source;
    /// with the text before the block and the block itself.</summary>
    private static (AnalyzedDocument Susp, AnalyzedDocument Src, string Before, string Summary) InsertedSummary()
    {
        string source = Sentences(Topic, 30, 1);
        string summary = Sentences(Topic, 5, 2);
        string before = Sentences(Other, 20, 3), after = Sentences(Other, 20, 4);
        return (DocumentAnalyzer.Analyze(before + summary + after, "susp"), DocumentAnalyzer.Analyze(source, "src"), before, summary);
    }

    [Fact]
    public void A_summary_passage_its_part_of_the_source_explains_far_better_than_the_whole_source_stays()
    {
        var (susp, src, before, summary) = InsertedSummary();
        using var m = new PairModel(susp, src);
        var o = AlignmentOptions.Default with { MinPassageChars = 50 };
        var whole = new List<AlignedPassage>();
        SummaryDetector.Detect(m, o, whole);
        double wholeScore = Assert.Single(whole).Score;

        // A regular summary-mode passage over the same text, scored against the part of the source it matches.
        List<AlignedPassage> With(double score)
        {
            var list = new List<AlignedPassage> { new(before.Length, summary.Length, 0, 200, score, PassageKind.Summary, []) };
            SummaryDetector.Detect(m, o, list);
            return list;
        }
        // Its part explains it much better than the whole source does: it is an excerpt, and it stays.
        var kept = Assert.Single(With(wholeScore / 0.6));
        Assert.Equal(200, kept.SourceLength);
        // About as well: the whole source explains the block, and the detector's passage replaces it.
        var replaced = Assert.Single(With(wholeScore / 0.9));
        Assert.Equal(whole[0], replaced with { Links = whole[0].Links });
    }

    [Fact]
    public void In_a_pair_that_did_not_look_condensed_the_block_replaces_only_passages_on_one_sentence_link()
    {
        var (susp, src, before, summary) = InsertedSummary();
        using var m = new PairModel(susp, src);
        var o = AlignmentOptions.Default with { MinPassageChars = 50 };
        var link = new SentenceLink(before.Length, 60, 100, 60, 0.6);

        List<AlignedPassage> With(params AlignedPassage[] passages)
        {
            var list = passages.ToList();
            SummaryDetector.Detect(m, o, list, replacesSingleLinks: true);
            return list;
        }
        // One summary sentence that follows one source sentence closely seeded a passage of its own: the block of
        // the whole summary replaces it.
        var single = new AlignedPassage(before.Length, 60, 100, 60, 0.6, PassageKind.Paraphrase, [link]);
        var replaced = Assert.Single(With(single));
        Assert.Equal(PassageKind.Summary, replaced.Kind);
        Assert.True(replaced.SuspiciousLength > 3 * single.SuspiciousLength);
        // A passage standing on two sentence links is regular evidence, and stays.
        var two = single with { SuspiciousLength = 120, Links = [link, link with { SuspiciousStart = before.Length + 60 }] };
        Assert.Equal(two, Assert.Single(With(two)));
        // With no passage where the block is, nothing is added: the pair did not look like a summary.
        var elsewhere = single with { SuspiciousStart = 10, Links = [link with { SuspiciousStart = 10 }] };
        Assert.Equal(elsewhere, Assert.Single(With(elsewhere)));
    }

    [Fact]
    public void A_document_on_the_source_topic_throughout_is_not_a_summary()
    {
        // Every window is about as similar to the source as the best one: same topic, no inserted summary.
        string source = Sentences(Topic, 30, 1);
        Assert.Empty(Detect(Sentences(Topic, 45, 5), source));
        // The similarity alone would have called it one: the rule that rejects it is the peak over the median.
        Assert.NotEmpty(Detect(Sentences(Topic, 45, 5), source, peakRatio: 0));
    }

    [Fact]
    public void A_short_document_that_is_a_summary_as_a_whole_is_reported()
    {
        // Eight sentences, all on the source's topic: no peak over the rest, but too short to be held to one.
        string source = Sentences(Topic, 30, 1);
        var p = Assert.Single(Detect(Sentences(Topic, 8, 6), source));
        Assert.Equal(PassageKind.Summary, p.Kind);
    }

    [Fact]
    public void A_short_document_only_loosely_on_the_source_topic_is_not_a_summary()
    {
        // Half its sentences on the source's topic: similar enough for a window in a longer document (0.33), not for
        // a short document taken as a whole (0.45), which has no rest to stand out from.
        string source = Sentences(Topic, 30, 1);
        string mixed = string.Concat(Enumerable.Range(0, 4).Select(i => Sentences(Topic, 1, 10 + i) + Sentences(Other, 1, 20 + i)));
        var loose = Assert.Single(Detect(mixed, source, wholeCosine: AlignmentOptions.Default.SummaryCosine));
        Assert.InRange(loose.Score, AlignmentOptions.Default.SummaryCosine, AlignmentOptions.Default.SummaryWholeCosine);
        Assert.Empty(Detect(mixed, source));
    }
}
