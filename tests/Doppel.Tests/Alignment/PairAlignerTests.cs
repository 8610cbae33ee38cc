using Doppel.Engine.Alignment;
using Doppel.Engine.Text;
using Xunit;
using Xunit.Abstractions;

namespace Doppel.Tests.Alignment;

public class PairAlignerTests(ITestOutputHelper output)
{
    internal static string Example(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", name));

    internal static AnalyzedDocument Doc(string name) => DocumentAnalyzer.Analyze(Example(name), name);

    /// <summary>A passage as a comparable value (AlignedPassage compares its link list by reference).</summary>
    internal static string Describe(IReadOnlyList<AlignedPassage> passages)
        => string.Join("\n", passages.Select(p =>
            $"{p.SuspiciousStart}+{p.SuspiciousLength} {p.SourceStart}+{p.SourceLength} {p.Score:R} {p.Kind} [" +
            string.Join(" ", p.Links.Select(l => $"{l.SuspiciousStart}+{l.SuspiciousLength}/{l.SourceStart}+{l.SourceLength}:{l.Similarity:R}")) + "]"));

    private const string Unrelated1 =
        "The recipe calls for two cups of flour, a pinch of salt and three eggs beaten until fluffy. " +
        "Fold the butter into the dough gently and let it rest in the refrigerator for an hour before baking. " +
        "Preheat the oven to a moderate temperature and grease a round tin with a little oil. " +
        "Bake the cake until a skewer inserted in the middle comes out clean, then leave it to cool on a rack. " +
        "Dust the top with icing sugar and serve it with fresh berries and whipped cream.";

    private const string Unrelated2 =
        "Glaciers in the northern valleys have retreated by several kilometres during the last century. " +
        "Researchers measured the ice thickness with ground radar and compared it with historical photographs. " +
        "Meltwater feeds the rivers downstream, which supply farms and towns throughout the dry summer months. " +
        "Scientists expect the smaller glaciers to disappear entirely within a few decades if warming continues. " +
        "Local communities are already planning new reservoirs to store water from the spring floods.";

    private const string PlantSource =
        "The museum opened a new wing for modern sculpture last year. " +
        "Engineers reviewed the cooling towers of the northern power plant during the winter inspection. " +
        "The inspection found deep cracks in three of the concrete towers near the river intake. " +
        "Repairs to the cracked towers were scheduled for the spring shutdown period. " +
        "Local farmers reported a good harvest of apples and pears this autumn. " +
        "The city council debated a new budget for public libraries.";

    private const string PlantRewrite =
        "Our school choir performed at the regional festival in June. " +
        "In the cold season, staff looked over the cooling structures of the power station up north. " +
        "The inspection discovered deep cracks in three concrete towers close to the river intake. " +
        "Repairs on the cracked towers were planned for the spring shutdown period. " +
        "Tourists enjoy the sandy beaches along the southern coast every summer.";

    [Fact]
    public void A_passage_takes_in_the_loosely_rewritten_sentence_right_before_it_but_not_unrelated_neighbours()
    {
        var susp = DocumentAnalyzer.Analyze(PlantRewrite);
        var src = DocumentAnalyzer.Analyze(PlantSource);
        int rewritten = PlantRewrite.IndexOf("In the cold season", StringComparison.Ordinal);
        int strong = PlantRewrite.IndexOf("The inspection discovered", StringComparison.Ordinal);
        int tourists = PlantRewrite.IndexOf("Tourists", StringComparison.Ordinal);

        // The loose sentence is too weak to seed: without growth the passage starts at the next sentence.
        var without = Assert.Single(PairAligner.Align(susp, src, AlignmentOptions.Default with { NeighbourSimilarity = 0 }));
        Assert.Equal(strong, without.SuspiciousStart);

        var p = Assert.Single(PairAligner.Align(susp, src));
        output.WriteLine(Describe([p]));
        Assert.Equal(rewritten, p.SuspiciousStart);
        Assert.Equal(PlantSource.IndexOf("Engineers", StringComparison.Ordinal), p.SourceStart);
        Assert.True(p.SuspiciousEnd <= tourists, "the unrelated sentence after the copy stays out");
        Assert.Equal(3, p.Links.Count);
    }

    [Fact]
    public void A_heading_joined_to_the_first_reused_sentence_is_trimmed_off_on_both_sides()
    {
        // No full stop after the heading lines, so each is one unit with the sentence that follows it.
        const string susp = "Our school choir performed at the regional festival in June. " +
            "Member news and upcoming choir concerts listed by date\n" +
            "In the cold season, staff looked over the cooling towers of the power station up north. " +
            "The inspection discovered deep cracks in three concrete towers close to the river intake. " +
            "Repairs on the cracked towers were planned for the spring shutdown period. " +
            "Tourists enjoy the sandy beaches along the southern coast every summer.";
        const string source = "The museum opened a new wing for modern sculpture last year. " +
            "Gallery tickets, opening hours and parking for visitors\n" +
            "During the cold season engineers reviewed the cooling towers of the northern power station. " +
            "The inspection found deep cracks in three of the concrete towers near the river intake. " +
            "Repairs to the cracked towers were scheduled for the spring shutdown period. " +
            "The city council debated a new budget for public libraries.";
        var s = DocumentAnalyzer.Analyze(susp);
        var r = DocumentAnalyzer.Analyze(source);
        int reused = susp.IndexOf("In the cold season", StringComparison.Ordinal);
        int copied = source.IndexOf("During the cold", StringComparison.Ordinal);

        var untrimmed = Assert.Single(PairAligner.Align(s, r, AlignmentOptions.Default with { EdgeTrimMinWords = 0 }));
        Assert.Equal(susp.IndexOf("Member news", StringComparison.Ordinal), untrimmed.SuspiciousStart);
        Assert.Equal(source.IndexOf("Gallery", StringComparison.Ordinal), untrimmed.SourceStart);

        var p = Assert.Single(PairAligner.Align(s, r));
        output.WriteLine(Describe([p]));
        Assert.Equal(reused, p.SuspiciousStart);
        Assert.Equal(copied, p.SourceStart);
        Assert.Equal(untrimmed.SuspiciousEnd, p.SuspiciousEnd);
        Assert.Equal(untrimmed.SourceEnd, p.SourceEnd);
    }

    private const string BudgetSource = "The museum opened a new wing for modern sculpture last year. " +
        "On Tuesday the committee approved the new budget for the regional hospital after a long debate about the " +
        "salaries of its nurses and doctors and the waiting lists for surgery. " +
        "The city council debated a new budget for public libraries.";

    [Fact]
    public void A_single_moderately_similar_sentence_pair_is_kept_when_it_shares_several_phrases()
    {
        // Words inserted and swapped break every run of eight words, and the pair's cosine stays under 0.55, but
        // it keeps short phrases of its source ("the regional hospital", "about the salaries of").
        const string susp = "Our school choir performed at the regional festival in June. " +
            "The committee approved, to the surprise of the marble sculptors waiting outside, the new budget of the " +
            "regional hospital after a very long discussion about the salaries of its nurses. " +
            "Tourists enjoy the sandy beaches along the southern coast every summer.";
        var s = DocumentAnalyzer.Analyze(susp);
        var r = DocumentAnalyzer.Analyze(BudgetSource);
        Assert.Empty(PairAligner.Align(s, r, AlignmentOptions.Default with { SingleSeedPhrases = int.MaxValue }));

        var p = Assert.Single(PairAligner.Align(s, r));
        output.WriteLine(Describe([p]));
        var link = Assert.Single(p.Links);
        Assert.InRange(link.Similarity, 0.36, 0.55);
        Assert.Equal(susp.IndexOf("The committee", StringComparison.Ordinal), p.SuspiciousStart);
        Assert.Equal(BudgetSource.IndexOf("On Tuesday", StringComparison.Ordinal), p.SourceStart);
    }

    [Fact]
    public void A_sentence_pair_below_the_seed_thresholds_seeds_when_it_shares_several_phrases()
    {
        const string susp = "Our school choir performed at the regional festival in June. " +
            "The committee approved, to the surprise of the marble sculptors and tangerine growers waiting outside, " +
            "the new budget for the regional hospital after a long debate. " +
            "Tourists enjoy the sandy beaches along the southern coast every summer.";
        const string source = "The museum opened a new wing for modern sculpture last year. " +
            "On Tuesday the committee approved the new budget for the regional hospital after a long debate about the " +
            "salaries of its nurses and doctors. The city council debated a new budget for public libraries.";
        var s = DocumentAnalyzer.Analyze(susp);
        var r = DocumentAnalyzer.Analyze(source);
        Assert.True(PhraseOverlap.SharedTrigrams(s, 1, r, 1) >= AlignmentOptions.Default.PhraseSeeds);

        List<Seed> SeedsWith(AlignmentOptions o)
        {
            var seeds = new List<Seed>();
            using var m = new PairModel(s, r, o.Synonyms);
            SentenceSeeder.FindSeeds(m, o, seeds);
            return seeds;
        }
        Assert.Empty(SeedsWith(AlignmentOptions.Default with { PhraseSeeds = 0 }));
        var seed = Assert.Single(SeedsWith(AlignmentOptions.Default));
        Assert.Equal((1, 1), (seed.S, seed.R));
        Assert.InRange(seed.Similarity, AlignmentOptions.Default.PhraseSeedCosine, AlignmentOptions.Default.SeedCosine);
    }

    [Fact]
    public void A_shared_short_heading_seeds_nothing()
    {
        // Two pages on one condition open with its name; their text has nothing else in common.
        var s = DocumentAnalyzer.Analyze("Obsessive Compulsive Disorder\n\nPeople with the condition often wash their hands many times a day.");
        var r = DocumentAnalyzer.Analyze("Obsessive Compulsive Disorder\n\nThe harbour was busy with fishing boats at dawn on Monday.");
        Assert.Equal((2, 2), (s.UnitCount, r.UnitCount));
        List<Seed> SeedsWith(AlignmentOptions o)
        {
            var seeds = new List<Seed>();
            using var m = new PairModel(s, r, o.Synonyms);
            SentenceSeeder.FindSeeds(m, o, seeds);
            return seeds;
        }
        Assert.Empty(SeedsWith(AlignmentOptions.Default));
        var title = Assert.Single(SeedsWith(AlignmentOptions.Default with { HeadingSeedMinTerms = 0 }));
        Assert.Equal((0, 0), (title.S, title.R));
        // A sentence of as few words, ending in a full stop, still seeds: it is a statement, not a topic's name.
        var s2 = DocumentAnalyzer.Analyze("Obsessive compulsive disorder persists.\n\nPeople with the condition often wash their hands many times a day.");
        var r2 = DocumentAnalyzer.Analyze("Obsessive compulsive disorder persists.\n\nThe harbour was busy with fishing boats at dawn on Monday.");
        using var m2 = new PairModel(s2, r2);
        var seeds2 = new List<Seed>();
        SentenceSeeder.FindSeeds(m2, AlignmentOptions.Default, seeds2);
        Assert.Contains(seeds2, x => (x.S, x.R) == (0, 0));
    }

    [Fact]
    public void The_cosine_with_the_whole_source_is_the_range_cosine_over_all_of_it_bit_for_bit()
    {
        var s = Doc("essay-paraphrased.txt");
        var r = Doc("essay.txt");
        using var m = new PairModel(s, r, synonyms: true);
        int last = r.UnitCount - 1;
        for (int a = 0; a < s.UnitCount; a += 3)
            for (int b = a; b < Math.Min(s.UnitCount, a + 7); b += 2)
                Assert.Equal(m.RangeCosine(a, b, 0, last), m.WholeSourceCosine(a, b));
    }

    [Fact]
    public void Shared_trigrams_count_distinct_phrases_but_not_function_words_alone()
    {
        var a = DocumentAnalyzer.Analyze("It was in the middle of the night that the old mill burned down to the ground.");
        var b = DocumentAnalyzer.Analyze("In the middle of the night the old mill burned to the ground, and it was in the news.");
        // Nine trigrams are shared; "it was in" and "was in the" are function words alone and do not count.
        int shared = PhraseOverlap.SharedTrigrams(a, 0, b, 0);
        Assert.Equal(7, shared);
        Assert.Equal(0, PhraseOverlap.SharedTrigrams(a, 0, DocumentAnalyzer.Analyze("Completely different words appear here today, none repeated."), 0));
    }

    [Fact]
    public void Similarities_do_not_depend_on_the_order_in_which_words_were_first_seen()
    {
        // Term ids follow the order words are first met (documents are read in parallel), and sums in another order
        // can differ in the last bit and flip a threshold. Two renamings of one pair, their words met in opposite
        // orders, must give bit-identical cosines and the same passages.
        var rnd = new Random(7);
        string Word(string prefix, int i) => prefix + (char)('a' + i % 26) + (char)('a' + i / 26 % 26) + "x";
        int[] Sentence() => Enumerable.Range(0, 12).Select(_ => rnd.Next(60)).ToArray();
        var suspSentences = Enumerable.Range(0, 8).Select(_ => Sentence()).ToList();
        var srcSentences = suspSentences.Select(ws => ws.Select(w => rnd.Next(4) == 0 ? rnd.Next(60) : w).ToArray()).ToList();
        string Text(List<int[]> sentences, string prefix) => string.Join(" ", sentences.Select(ws => "The " + string.Join(" ", ws.Select(w => Word(prefix, w))) + "."));

        // "qz" words are met in increasing order, "qy" words in decreasing order, before either pair is analysed.
        DocumentAnalyzer.Analyze(string.Join(" ", Enumerable.Range(0, 60).Select(i => Word("qz", i))));
        DocumentAnalyzer.Analyze(string.Join(" ", Enumerable.Range(0, 60).Reverse().Select(i => Word("qy", i))));
        var (s1, r1) = (DocumentAnalyzer.Analyze(Text(suspSentences, "qz")), DocumentAnalyzer.Analyze(Text(srcSentences, "qz")));
        var (s2, r2) = (DocumentAnalyzer.Analyze(Text(suspSentences, "qy")), DocumentAnalyzer.Analyze(Text(srcSentences, "qy")));
        int[] IdOrder(AnalyzedDocument d) => Enumerable.Range(0, d.TokenCount).OrderBy(k => d.StemId[k]).ThenBy(k => k).ToArray();
        Assert.NotEqual(IdOrder(s1), IdOrder(s2)); // the two renamings order their term ids differently

        var cos1 = new List<double>();
        var cos2 = new List<double>();
        Assert.Equal(8, s1.UnitCount);
        using (var m = new PairModel(s1, r1)) for (int a = 0; a < 8; a++) cos1.Add(m.RangeCosine(a, Math.Min(7, a + 2), 0, 7));
        using (var m = new PairModel(s2, r2)) for (int a = 0; a < 8; a++) cos2.Add(m.RangeCosine(a, Math.Min(7, a + 2), 0, 7));
        Assert.Equal(cos1, cos2);
        Assert.Equal(Describe(PairAligner.Align(s1, r1)), Describe(PairAligner.Align(s2, r2)));
    }

    [Fact]
    public void A_sentence_matched_in_two_places_goes_with_the_copy_it_matches_best()
    {
        // The source holds, in this order: a sentence on the lighthouse (X), filler, a coffee text (Y), filler, the
        // lighthouse text (Z). The suspicious text rewrites Z, then Y. Its first sentence also matches X, which lies
        // within gap reach of Y, so gap clustering puts that sentence into the Y candidate as well as the Z one;
        // the Y candidate is the larger and used to win, taking the Z rewrite with it and citing X as its source.
        string x = "Each evening the keeper polished the brass lamp of the harbour office.";
        string[] z =
        [
            "The lighthouse keeper polished the brass lamp every evening before the storm arrived.",
            "Fishermen trusted the beacon to guide their wooden boats past the jagged northern reef.",
            "After the wreck of the schooner the council paid for a louder foghorn on the cliff.",
        ];
        string[] zRewritten =
        [
            "Every evening before the storm came, the keeper of the lighthouse polished its brass lamp.",
            "Fishermen relied on the beacon to steer their wooden boats past the jagged reef in the north.",
            "Following the schooner's wreck, the council funded a louder foghorn on the cliff.",
        ];
        string[] y =
        [
            "Volcanic soil on the island grows excellent coffee beans for export to Europe.",
            "Farmers harvest the ripe cherries by hand during the dry season in the highlands.",
            "The beans are washed, fermented and dried on raised beds under the tropical sun.",
            "A cooperative roasts part of the crop locally and sells it to tourists at the port.",
            "Prices for arabica rose sharply after frost damaged plantations in Brazil last year.",
            "Young growers are planting shade trees to protect the coffee shrubs from heat.",
            "Exporters grade the green beans by size and density before shipping them abroad.",
            "Tasting panels score each lot for acidity, body and aroma in the capital's laboratory.",
        ];
        string[] yRewritten =
        [
            "The island's volcanic soil grows excellent coffee beans that are exported to Europe.",
            "During the dry season farmers harvest ripe cherries by hand in the highlands.",
            "Beans are washed, fermented and then dried on raised beds in the tropical sun.",
            "Part of the crop is roasted locally by a cooperative and sold to tourists at the port.",
            "Arabica prices rose sharply last year after frost damaged Brazilian plantations.",
            "Young growers plant shade trees to protect coffee shrubs from the heat.",
            "Before shipping them abroad, exporters grade green beans by size and density.",
            "In the capital's laboratory tasting panels score each lot for acidity, body and aroma.",
        ];
        string[] nouns = ["violins", "glaciers", "printers", "canals", "meadows", "theatres", "compasses", "furnaces", "islands", "ledgers"];
        var filler = nouns.Select((n, i) => $"Unrelated note number {i} mentions {n} only.").ToArray();
        string source = string.Join(" ", new[] { x }.Concat(filler[..4]).Concat(y).Concat(filler[4..]).Concat(z));
        string suspicious = string.Join(" ", zRewritten.Concat(yRewritten));

        var passages = PairAligner.Align(DocumentAnalyzer.Analyze(suspicious), DocumentAnalyzer.Analyze(source));
        output.WriteLine(Describe(passages));
        int zStart = source.IndexOf(z[0], StringComparison.Ordinal), yStart = source.IndexOf(y[0], StringComparison.Ordinal);
        var first = Assert.Single(passages, p => p.SuspiciousStart == 0);
        Assert.True(first.SourceStart <= zStart && first.SourceEnd >= source.Length - 1, "the Z rewrite is traced to Z");
        Assert.DoesNotContain(passages, p => p.SourceStart < yStart);
    }

    [Fact]
    public void Two_rewritten_copies_four_sentences_apart_stay_two_passages()
    {
        string[] source =
        [
            "Volcanic soil on the island grows excellent coffee beans for export to Europe.",
            "Farmers harvest the ripe cherries by hand during the dry season in the highlands.",
            "The beans are washed, fermented and dried on raised beds under the tropical sun.",
            "Ferries leave twice a day.", "The museum is closed on Mondays.", "Rain is rare in March.", "Taxis wait by the pier.",
            "Prices for arabica rose sharply after frost damaged plantations in Brazil last year.",
            "Young growers are planting shade trees to protect the coffee shrubs from heat.",
            "Exporters grade the green beans by size and density before shipping them abroad.",
        ];
        string[] rewritten =
        [
            "The island's volcanic soil grows excellent coffee beans that are exported to Europe.",
            "During the dry season farmers harvest ripe cherries by hand in the highlands.",
            "Beans are washed, fermented and then dried on raised beds in the tropical sun.",
            "My grandmother kept a small notebook of recipes that she had collected from neighbours over forty years of village life.",
            "Every winter the children of the street built a snow fort and defended it against the older boys from the next valley.",
            "The old railway station was turned into a library, and its waiting room now holds the local history collection.",
            "On Sundays the brass band played in the park while families sat on blankets and shared bread, cheese and cold tea.",
            "Arabica prices rose sharply last year after frost damaged Brazilian plantations.",
            "Young growers plant shade trees to protect coffee shrubs from the heat.",
            "Before shipping them abroad, exporters grade green beans by size and density.",
        ];
        var susp = DocumentAnalyzer.Analyze(string.Join(" ", rewritten));
        var src = DocumentAnalyzer.Analyze(string.Join(" ", source));
        string text = string.Join(" ", rewritten);
        int fillerStart = text.IndexOf("My grandmother", StringComparison.Ordinal), fillerEnd = text.IndexOf("Arabica", StringComparison.Ordinal);

        var passages = PairAligner.Align(susp, src);
        output.WriteLine(Describe(passages));
        Assert.Equal(2, passages.Count);
        Assert.DoesNotContain(passages, p => p.SuspiciousStart < fillerEnd && p.SuspiciousEnd > fillerStart + 10);
        // With the shape decision's wider gap, the two copies and the text between them became one passage.
        var joined = Assert.Single(PairAligner.Align(susp, src, AlignmentOptions.Default with { PassageMaxGap = 4 }));
        Assert.True(joined.SuspiciousStart < fillerStart && joined.SuspiciousEnd > fillerEnd);
    }

    [Fact]
    public void A_short_block_that_the_whole_source_explains_is_a_summary_of_the_whole_source()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pan13-summary-of-whole");
        string suspText = File.ReadAllText(Path.Combine(dir, "suspicious-document01273.txt"));
        string srcText = File.ReadAllText(Path.Combine(dir, "source-document01341.txt"));
        var truth = Assert.Single(Doppel.Engine.Evaluation.PanXml.ReadCases(Path.Combine(dir, "suspicious-document01273-source-document01341.xml")));
        var susp = DocumentAnalyzer.Analyze(suspText);
        var src = DocumentAnalyzer.Analyze(srcText);

        var p = Assert.Single(PairAligner.Align(susp, src));
        output.WriteLine(Describe([p]));
        Assert.Equal(PassageKind.Summary, p.Kind);
        Assert.Equal((truth.ThisOffset, truth.ThisLength), (p.SuspiciousStart, p.SuspiciousLength));
        Assert.True(p.SourceStart <= 1 && p.SourceEnd >= srcText.TrimEnd().Length, "the whole source");
        // Without the rule the block is a paraphrase of the first part of the source only.
        var part = Assert.Single(PairAligner.Align(susp, src, AlignmentOptions.Default with { WholeSourceShare = 2 }));
        Assert.Equal(PassageKind.Paraphrase, part.Kind);
        Assert.True(part.SourceLength < srcText.Length / 3);
    }

    [Fact]
    public void IdenticalDocuments_OneVerbatimPassage_CoveringTheText()
    {
        var a = Doc("essay.txt");
        var b = Doc("essay.txt");
        var passages = PairAligner.Align(a, b);
        output.WriteLine(Describe(passages));
        var p = Assert.Single(passages);
        Assert.Equal(PassageKind.Verbatim, p.Kind);
        // Verbatim boundaries are character-exact: first word to last word, the same on both sides.
        Assert.Equal(a.TokenStart[0], p.SuspiciousStart);
        Assert.Equal(a.TokenEnd[a.TokenCount - 1], p.SuspiciousEnd);
        Assert.Equal(p.SuspiciousStart, p.SourceStart);
        Assert.Equal(p.SuspiciousLength, p.SourceLength);
        Assert.True(p.Score >= 0.99, $"score {p.Score}");
        Assert.NotEmpty(p.Links);
    }

    [Fact]
    public void IdenticalShortDocuments_OneVerbatimPassage()
    {
        var a = DocumentAnalyzer.Analyze(Unrelated1);
        var passages = PairAligner.Align(a, DocumentAnalyzer.Analyze(Unrelated1));
        var p = Assert.Single(passages);
        Assert.Equal(PassageKind.Verbatim, p.Kind);
        Assert.Equal(0, p.SuspiciousStart);
        Assert.Equal(Unrelated1.Length - 1, p.SuspiciousEnd); // up to the last word, without the final '.'
        Assert.Equal((0, Unrelated1.Length - 1), (p.SourceStart, p.SourceEnd));
    }

    [Fact]
    public void UnrelatedDocuments_NoPassage()
    {
        Assert.Empty(PairAligner.Align(DocumentAnalyzer.Analyze(Unrelated1), DocumentAnalyzer.Analyze(Unrelated2)));
        Assert.Empty(PairAligner.Align(DocumentAnalyzer.Analyze(Unrelated2), DocumentAnalyzer.Analyze(Unrelated1)));
        Assert.Empty(PairAligner.Align(Doc("essay.txt"), DocumentAnalyzer.Analyze(Unrelated1)));
    }

    [Fact]
    public void EmptyDocuments_NoPassage()
    {
        var empty = DocumentAnalyzer.Analyze("");
        Assert.Empty(PairAligner.Align(empty, Doc("essay.txt")));
        Assert.Empty(PairAligner.Align(Doc("essay.txt"), empty));
        Assert.Empty(PairAligner.Align(empty, empty));
    }

    [Fact]
    public void EssayVsWebPage_NoPassage()
    {
        Assert.Empty(PairAligner.Align(Doc("essay.txt"), Doc("web-page.txt")));
        Assert.Empty(PairAligner.Align(Doc("web-page.txt"), Doc("essay.txt")));
    }

    [Fact]
    public void ParaphrasedEssayVsWebPage_NoPassage()
    {
        Assert.Empty(PairAligner.Align(Doc("essay-paraphrased.txt"), Doc("web-page.txt")));
        Assert.Empty(PairAligner.Align(Doc("web-page.txt"), Doc("essay-paraphrased.txt")));
    }

    [Fact]
    public void ParaphrasedEssay_IsCoveredAtLeast95Percent()
    {
        // Product requirement: the passages found in essay-paraphrased.txt against essay.txt cover at least 95% of
        // the paraphrased file's characters.
        string text = Example("essay-paraphrased.txt");
        var susp = DocumentAnalyzer.Analyze(text, "essay-paraphrased.txt");
        var src = Doc("essay.txt");
        var passages = PairAligner.Align(susp, src);
        output.WriteLine(Describe(passages));

        double coverage = Coverage(passages.Select(p => (p.SuspiciousStart, p.SuspiciousEnd)), text.Length);
        Assert.True(coverage >= 0.95, $"coverage of essay-paraphrased.txt is {coverage:P2}, below 95%");
    }

    [Fact]
    public void ParaphrasedEssay_IsCoveredAtLeast95Percent_FromTheOriginalsSideToo()
    {
        // Issue 14 item 8: reuse found in one direction is found in the other. With essay.txt as the suspicious
        // document, the source sides must cover at least 95% of the paraphrased file, including the sentence
        // "...missile based on a friendly country that were in striking range..." that the paraphrase split in three.
        string text = Example("essay-paraphrased.txt");
        var passages = PairAligner.Align(Doc("essay.txt"), DocumentAnalyzer.Analyze(text, "essay-paraphrased.txt"));
        output.WriteLine(Describe(passages));

        double coverage = Coverage(passages.Select(p => (p.SourceStart, p.SourceEnd)), text.Length);
        Assert.True(coverage >= 0.95, $"coverage of essay-paraphrased.txt from essay.txt's side is {coverage:P2}, below 95%");
        int missile = text.IndexOf("The Soviets had missile based", StringComparison.Ordinal);
        Assert.Contains(passages, p => p.SourceStart <= missile && p.SourceEnd > missile);
    }

    /// <summary>The share of a text's characters that the spans cover (logged).</summary>
    private double Coverage(IEnumerable<(int Start, int End)> spans, int length)
    {
        var covered = new bool[length];
        foreach (var (start, end) in spans)
            for (int i = start; i < end; i++) covered[i] = true;
        int n = covered.Count(c => c);
        output.WriteLine($"coverage {(double)n / length:F4} ({n}/{length})");
        return (double)n / length;
    }

    [Fact]
    public void ParaphrasedEssay_LinksLieInsideTheirPassage()
    {
        var susp = Doc("essay-paraphrased.txt");
        var src = Doc("essay.txt");
        var passages = PairAligner.Align(susp, src);
        Assert.NotEmpty(passages);
        foreach (var p in passages)
        {
            Assert.NotEmpty(p.Links);
            Assert.InRange(p.SuspiciousStart, 0, susp.Text.Length);
            Assert.InRange(p.SuspiciousEnd, p.SuspiciousStart + 1, susp.Text.Length);
            Assert.InRange(p.SourceEnd, p.SourceStart + 1, src.Text.Length);
            foreach (var l in p.Links)
            {
                Assert.True(l.SuspiciousStart >= p.SuspiciousStart && l.SuspiciousStart + l.SuspiciousLength <= p.SuspiciousEnd,
                    $"link {l} not inside passage {p.SuspiciousStart}..{p.SuspiciousEnd}");
                Assert.True(l.SourceStart >= 0 && l.SourceStart + l.SourceLength <= src.Text.Length);
                Assert.InRange(l.Similarity, 0.0, 1.0);
            }
        }
    }

    [Fact]
    public void PassagesDoNotOverlapOnTheSuspiciousSide_AndAreSorted()
    {
        var passages = PairAligner.Align(Doc("essay-paraphrased.txt"), Doc("essay.txt"));
        for (int i = 1; i < passages.Count; i++)
            Assert.True(passages[i].SuspiciousStart >= passages[i - 1].SuspiciousEnd);
    }

    [Fact]
    public void Deterministic_SameResultTwice()
    {
        var susp = Doc("essay-paraphrased.txt");
        var src = Doc("essay.txt");
        string first = Describe(PairAligner.Align(susp, src));
        string second = Describe(PairAligner.Align(susp, src));
        string fresh = Describe(PairAligner.Align(Doc("essay-paraphrased.txt"), Doc("essay.txt")));
        Assert.Equal(first, second);
        Assert.Equal(first, fresh);
        Assert.NotEqual("", first);
    }

    [Fact]
    public void Deterministic_UnderParallelRuns()
    {
        var docs = new[] { Doc("essay-paraphrased.txt"), Doc("essay.txt"), Doc("web-page.txt") };
        var pairs = (from a in docs from b in docs select (a, b)).ToArray();
        var expected = pairs.Select(p => Describe(PairAligner.Align(p.a, p.b))).ToArray();
        const int rounds = 8;
        var results = new string[rounds * pairs.Length];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount) },
            i => results[i] = Describe(PairAligner.Align(pairs[i % pairs.Length].a, pairs[i % pairs.Length].b)));
        for (int i = 0; i < results.Length; i++)
            Assert.Equal(expected[i % pairs.Length], results[i]);
    }

    // Three source sentences and the words of filler that shares no content word with them.
    private const string SentA = "The president met his closest advisers in the cabinet room on Tuesday morning to discuss the photographs taken by the spy plane over the island.";
    private const string SentB = "Several advisers argued for an immediate air strike against the launch sites, while others preferred a naval blockade of the whole island.";
    private const string SentC = "After long debate the president chose the blockade and announced it to the nation in a televised speech that evening.";
    private const string Filler = "Glaciers in the northern valleys have retreated by several kilometres during the last century.";

    [Fact]
    public void CopiedSentences_InOrder_AreOneVerbatimPassage_WithTheSameWords()
    {
        string src = SentA + " " + SentB + " " + SentC;
        string susp = Filler + " " + SentA + " " + SentB + " " + SentC + " " + Filler;
        var passages = PairAligner.Align(DocumentAnalyzer.Analyze(susp), DocumentAnalyzer.Analyze(src));
        output.WriteLine(Describe(passages));
        var p = Assert.Single(passages);
        Assert.Equal(PassageKind.Verbatim, p.Kind);
        Assert.Equal(susp.IndexOf(SentA, StringComparison.Ordinal), p.SuspiciousStart);
        Assert.Equal(0, p.SourceStart);
        Assert.Equal(Properties.SpanProperties.WordsOf(src.Substring(p.SourceStart, p.SourceLength)),
            Properties.SpanProperties.WordsOf(susp.Substring(p.SuspiciousStart, p.SuspiciousLength)));
    }

    [Fact]
    public void VerbatimPassageBridgingFiller_HoldsTheSameWordsOnBothSides()
    {
        // Copies of A and B with a short unrelated sentence between them.
        string src = SentA + " " + SentB + " " + SentC;
        string susp = Filler + " " + SentA + " " + Filler + " " + SentB + " " + Filler;
        var passages = PairAligner.Align(DocumentAnalyzer.Analyze(susp), DocumentAnalyzer.Analyze(src));
        output.WriteLine(Describe(passages));
        Assert.NotEmpty(passages);
        foreach (var p in passages.Where(p => p.Kind == PassageKind.Verbatim))
            Assert.Equal(Properties.SpanProperties.WordsOf(src.Substring(p.SourceStart, p.SourceLength)),
                Properties.SpanProperties.WordsOf(susp.Substring(p.SuspiciousStart, p.SuspiciousLength)));
    }

    [Fact]
    public void VerbatimPassageOfCrossingCopies_HoldsTheSameWordsOnBothSides()
    {
        // B copied before A. Observed: one passage 95+282 / 0+282, Kind Verbatim, words in a different order.
        string src = SentA + " " + SentB + " " + SentC;
        string susp = Filler + " " + SentB + " " + SentA + " " + Filler;
        var passages = PairAligner.Align(DocumentAnalyzer.Analyze(susp), DocumentAnalyzer.Analyze(src));
        output.WriteLine(Describe(passages));
        Assert.NotEmpty(passages);
        foreach (var p in passages.Where(p => p.Kind == PassageKind.Verbatim))
            Assert.Equal(Properties.SpanProperties.WordsOf(src.Substring(p.SourceStart, p.SourceLength)),
                Properties.SpanProperties.WordsOf(susp.Substring(p.SuspiciousStart, p.SuspiciousLength)));
    }
}

public class PieceMergeTests
{
    private static AlignedPassage P(int s, int sl, int r, int rl, PassageKind kind, double score = 0.5) =>
        new(s, sl, r, rl, score, kind, [new SentenceLink(s, sl, r, rl, score)]);

    [Fact]
    public void NearbyLoosePieces_BecomeOneSummaryPassage_SpanningBothSides()
    {
        var kept = new List<AlignedPassage> { P(1000, 200, 3000, 250, PassageKind.Paraphrase, 0.4), P(1500, 180, 100, 200, PassageKind.Paraphrase, 0.6) };
        PairAligner.MergeNearbyPieces(kept, AlignmentOptions.Default);
        var m = Assert.Single(kept);
        Assert.Equal((1000, 680), (m.SuspiciousStart, m.SuspiciousLength));
        Assert.Equal((100, 3150), (m.SourceStart, m.SourceLength));
        Assert.Equal(PassageKind.Summary, m.Kind);
        Assert.Equal(2, m.Links.Count);
        Assert.Equal(Math.Round((0.4 * 200 + 0.6 * 180) / 380, 4), m.Score);
    }

    [Fact]
    public void DistantPieces_StayApart()
    {
        var far = new List<AlignedPassage> { P(1000, 200, 3000, 250, PassageKind.Paraphrase), P(1700, 180, 100, 200, PassageKind.Paraphrase) };
        PairAligner.MergeNearbyPieces(far, AlignmentOptions.Default);
        Assert.Equal(2, far.Count);
    }

    [Fact]
    public void An_exact_copy_and_a_loose_piece_next_to_it_are_one_passage()
    {
        // A summary that keeps one source sentence word for word and rewrites the next.
        var pieces = new List<AlignedPassage> { P(1000, 200, 3000, 200, PassageKind.Verbatim, 1), P(1300, 180, 100, 200, PassageKind.Paraphrase) };
        PairAligner.MergeNearbyPieces(pieces, AlignmentOptions.Default);
        var p = Assert.Single(pieces);
        Assert.Equal((1000, 1480, 100, 3200), (p.SuspiciousStart, p.SuspiciousEnd, p.SourceStart, p.SourceEnd));
        Assert.Equal(PassageKind.Summary, p.Kind);
    }

    [Fact]
    public void Two_exact_copies_side_by_side_are_joined_only_when_together_they_condense_the_source()
    {
        // Two copies of two source passages: joined, 850 characters would stand for 1400 of source. Two copies.
        var copies = new List<AlignedPassage> { P(1000, 400, 3000, 400, PassageKind.Verbatim, 1), P(1450, 400, 2000, 400, PassageKind.Verbatim, 1) };
        PairAligner.MergeNearbyPieces(copies, AlignmentOptions.Default);
        Assert.Equal(2, copies.Count);
        // Two copied sentences from far apart in the source, next to each other: a summary keeping them word for word.
        var kept = new List<AlignedPassage> { P(1000, 200, 0, 200, PassageKind.Verbatim, 1), P(1210, 200, 2000, 200, PassageKind.Verbatim, 1) };
        PairAligner.MergeNearbyPieces(kept, AlignmentOptions.Default);
        var p = Assert.Single(kept);
        Assert.Equal((1000, 1410, 0, 2200), (p.SuspiciousStart, p.SuspiciousEnd, p.SourceStart, p.SourceEnd));
        Assert.Equal(PassageKind.Summary, p.Kind);
    }

    /// <summary>A passage standing on <paramref name="links"/> sentence links, one per 60 characters.</summary>
    private static AlignedPassage Linked(int s, int r, int links) =>
        new(s, links * 60, r, links * 60, 0.5, PassageKind.Paraphrase,
            Enumerable.Range(0, links).Select(k => new SentenceLink(s + 60 * k, 60, r + 60 * k, 60, 0.5)).ToList());

    [Fact]
    public void Two_substantial_passages_from_distant_source_parts_stay_two_passages()
    {
        // Each on three sentence links, 100 characters apart, their sources 2000 characters apart: two excerpts.
        var two = new List<AlignedPassage> { Linked(1000, 5000, 3), Linked(1280, 2820, 3) };
        PairAligner.MergeNearbyPieces(two, AlignmentOptions.Default);
        Assert.Equal(2, two.Count);
        // The same with sources close together, or with one passage on two links only: one passage.
        var close = new List<AlignedPassage> { Linked(1000, 5000, 3), Linked(1280, 4500, 3) };
        PairAligner.MergeNearbyPieces(close, AlignmentOptions.Default);
        Assert.Single(close);
        var weak = new List<AlignedPassage> { Linked(1000, 5000, 3), Linked(1280, 2880, 2) };
        PairAligner.MergeNearbyPieces(weak, AlignmentOptions.Default);
        Assert.Single(weak);
    }
}

public class CopyPairFilterTests
{
    private const string CopiedVerbatim =
        "The harbour authority approved the new breakwater after three years of surveys and public hearings. " +
        "Engineers chose granite blocks quarried inland because the local limestone crumbled under heavy waves. " +
        "Construction began in early spring and the first section was finished before the autumn storms arrived. ";
    private const string EditedOriginal =
        "Fishermen complained that the works blocked the northern channel for most of the summer season. " +
        "The council offered them compensation based on the average catch of the previous five years. " +
        "Several families refused the offer and took the matter to the regional court in the capital. ";
    // A word changed every few words: no run of eight equal words is left, but each sentence is still close.
    private const string Edited =
        "Fishermen complained that the works closed the northern channel for much of the summer season. " +
        "The council offered them payment based on the average catch of the last five years. " +
        "Several families refused the offer and brought the matter to the regional tribunal in the capital. ";
    private const string Filler1 =
        "Meanwhile the town library moved into the old customs house, which had stood empty for a decade. " +
        "Volunteers painted the reading room and catalogued donated books over many weekends. " +
        "A retired teacher ran a chess club there on Tuesday evenings for pupils of every age. " +
        "The mayor opened an exhibition of old photographs of the market square in its hall. " +
        "Visitors could borrow gramophone records as well as novels, atlases and cookery books. " +
        "By winter the library counted more members than the football club and the choir together. ";
    private const string Filler2 =
        "A travelling circus camped on the common in July and drew crowds from the surrounding villages. " +
        "Its elephants were the first that many children in the district had ever seen. " +
        "The ringmaster wore a scarlet coat and announced every act through a brass trumpet. " +
        "Acrobats from abroad performed on a wire stretched between two painted wagons. " +
        "Local bakers sold gingerbread at the gate, and the inn stayed open past midnight. " +
        "When the tents came down, the grass on the common took the rest of the summer to recover. ";

    [Fact]
    public void NextToAnExactCopy_AnEditedCopyOfOtherSourceText_IsKept()
    {
        var source = DocumentAnalyzer.Analyze(CopiedVerbatim + Filler2 + EditedOriginal, "source");
        var susp = DocumentAnalyzer.Analyze(CopiedVerbatim + Filler1 + Edited, "susp");
        var passages = PairAligner.Align(susp, source);
        Assert.Equal(2, passages.Count);
        Assert.Equal(PassageKind.Verbatim, passages[0].Kind);
        Assert.NotEqual(PassageKind.Verbatim, passages[1].Kind);
        Assert.True(passages[1].SuspiciousStart >= (CopiedVerbatim + Filler1).Length - 1, $"edited copy starts at {passages[1].SuspiciousStart}");
    }
}
