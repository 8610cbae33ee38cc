using Xunit;
using Doppel.Engine.Collection;

namespace Doppel.Tests.Collection;

public class CollectionAnalyzerTests
{
    private static readonly string Essay = File.ReadAllText(Path.Combine(CollectionFixture.Examples, "essay.txt"));

    [Fact]
    public void Finds_the_copied_pair_and_not_the_same_topic_page()
    {
        var docs = new[] { "essay.txt", "essay-paraphrased.txt", "web-page.txt" }
            .Select(f => CollectionFixture.File(Path.Combine(CollectionFixture.Examples, f))).ToList();
        docs.Add(CollectionFixture.Input("unrelated.txt", CollectionFixture.Filler(1, 30)));
        var r = CollectionAnalyzer.Run(docs);

        var pair = CollectionFixture.Pair(r, "essay.txt", "essay-paraphrased.txt");
        Assert.NotNull(pair);
        Assert.True(pair.CoverageA > 0.5 && pair.CoverageB > 0.5, $"{pair.CoverageA} {pair.CoverageB}");
        Assert.True(pair.LongestWords >= CollectionOptions.Default.MinWords);
        Assert.Null(CollectionFixture.Pair(r, "essay.txt", "web-page.txt"));
        Assert.Null(CollectionFixture.Pair(r, "essay.txt", "unrelated.txt"));
        Assert.Single(r.Clusters);
        Assert.Equal(2, r.Clusters[0].Documents.Count);
        Assert.True(r.CandidatePairs < 6, "the unrelated filler shares no fingerprint, so not every pair is a candidate");
    }

    [Fact]
    public void A_copying_chain_and_a_separate_pair_form_two_ranked_clusters()
    {
        string a = CollectionFixture.Filler(10, 20), x = CollectionFixture.Filler(11, 20), y = CollectionFixture.Filler(12, 20);
        string passage = CollectionFixture.Filler(13, 6), small = CollectionFixture.Filler(14, 3);
        var docs = new List<CollectionInput>
        {
            CollectionFixture.Input("a.txt", a + passage + x[..400]),
            CollectionFixture.Input("b.txt", y + passage + CollectionFixture.Filler(15, 10)),
            CollectionFixture.Input("c.txt", CollectionFixture.Filler(16, 12) + passage),
            CollectionFixture.Input("d.txt", CollectionFixture.Filler(17, 15) + small),
            CollectionFixture.Input("e.txt", small + CollectionFixture.Filler(18, 15)),
            CollectionFixture.Input("f.txt", CollectionFixture.Filler(19, 15)),
        };
        var r = CollectionAnalyzer.Run(docs);
        Assert.Equal(4, r.Pairs.Count); // a-b, a-c, b-c, d-e
        Assert.Equal(2, r.Clusters.Count);
        Assert.Equal([0, 1, 2], r.Clusters[0].Documents);
        Assert.Equal([3, 4], r.Clusters[1].Documents);
        Assert.True(r.Clusters[0].SharedWords > r.Clusters[1].SharedWords);
        Assert.DoesNotContain(r.Pairs, p => p.A == 5 || p.B == 5);
        // Ranked by the larger coverage: c is almost all passage, so a pair with c comes first.
        Assert.True(r.Pairs[0].A == 2 || r.Pairs[0].B == 2);
        for (int k = 1; k < r.Pairs.Count; k++) Assert.True(r.Pairs[k - 1].MaxCoverage >= r.Pairs[k].MaxCoverage);
    }

    [Fact]
    public void Template_text_from_an_excluded_file_never_counts()
    {
        string prompt = Essay[..Math.Min(Essay.Length, 900)];
        var docs = Enumerable.Range(0, 3).Select(i => CollectionFixture.Input($"s{i}.txt", prompt + "\n\n" + CollectionFixture.Filler(40 + i, 15))).ToList();
        var without = CollectionAnalyzer.Run(docs);
        Assert.Equal(3, without.Pairs.Count); // 3 documents: too few for "common", so the prompt links them all

        var with = CollectionAnalyzer.Run(docs, [Doppel.Engine.Text.DocumentAnalyzer.Analyze(prompt, "prompt.txt")]);
        Assert.Empty(with.Pairs);
        Assert.True(with.TemplateFingerprints > 0);
        Assert.All(with.DocumentStats, s => Assert.True(s.TemplateWords > 50, $"{s.TemplateWords}"));
        Assert.Contains(with.Common, c => c.FromTemplate);
    }

    [Fact]
    public void Text_in_more_than_half_the_documents_is_common_material_and_copying_beside_it_still_counts()
    {
        string boiler = CollectionFixture.Filler(50, 5);
        string copied = CollectionFixture.Filler(51, 6);
        var docs = Enumerable.Range(0, 8).Select(i =>
            CollectionFixture.Input($"s{i}.txt", (i < 6 ? boiler : "") + CollectionFixture.Filler(60 + i, 12) + (i is 1 or 7 ? copied : ""))).ToList();
        var r = CollectionAnalyzer.Run(docs);
        var only = Assert.Single(r.Pairs);
        Assert.Equal((1, 7), (only.A, only.B));
        Assert.True(r.CommonFingerprints > 0);
        Assert.Contains(r.Common, c => !c.FromTemplate && c.DocumentCount == 6);
        Assert.True(r.DocumentStats[0].CommonWords > 40);
        Assert.Equal(0, r.DocumentStats[7].CommonWords);

        // With a threshold above 6 of 8, the boilerplate is ordinary shared text again.
        var strict = CollectionAnalyzer.Run(docs, options: CollectionOptions.Default with { CommonShare = 0.9 });
        Assert.True(strict.Pairs.Count > 1);
    }

    [Fact]
    public void Min_words_drops_short_passages()
    {
        string shortCopy = CollectionFixture.Filler(70, 2);
        var docs = new List<CollectionInput>
        {
            CollectionFixture.Input("a.txt", CollectionFixture.Filler(71, 10) + shortCopy),
            CollectionFixture.Input("b.txt", shortCopy + CollectionFixture.Filler(72, 10)),
        };
        var loose = CollectionAnalyzer.Run(docs, options: CollectionOptions.Default with { MinWords = 5 });
        var pair = Assert.Single(loose.Pairs);
        var strict = CollectionAnalyzer.Run(docs, options: CollectionOptions.Default with { MinWords = pair.LongestWords + 1 });
        Assert.Empty(strict.Pairs);
    }

    [Fact]
    public void Clough_copies_are_covered_by_the_original_more_than_independent_answers()
    {
        var docs = Directory.GetFiles(CollectionFixture.Clough, "*.txt").Order(StringComparer.Ordinal).Select(CollectionFixture.File).ToList();
        var r = CollectionAnalyzer.Run(docs);
        double Cov(string f) => CollectionFixture.CoverageOf(r, f, "orig_taska.txt");
        double bestNon = new[] { "g0pA_taska.txt", "g0pB_taska.txt", "g1pB_taska.txt" }.Max(Cov);
        Assert.True(Cov("g0pD_taska.txt") > 0.8, "cut");
        Assert.True(Cov("g0pE_taska.txt") > 0.5, "light");
        Assert.True(Cov("g0pC_taska.txt") > 0.5, "heavy");
        Assert.True(Cov("g4pE_taska.txt") > 0.3, $"scattered heavy {Cov("g4pE_taska.txt")}");
        Assert.True(bestNon < 0.2, $"non {bestNon}");
    }

    [Fact]
    public void Pair_offsets_and_word_counts_are_consistent()
    {
        var docs = Directory.GetFiles(CollectionFixture.Clough, "*.txt").Order(StringComparer.Ordinal).Select(CollectionFixture.File).ToList();
        var r = CollectionAnalyzer.Run(docs);
        Assert.NotEmpty(r.Pairs);
        foreach (var p in r.Pairs)
        {
            Assert.True(p.A < p.B);
            Assert.InRange(p.CoverageA, 0, 1);
            Assert.InRange(p.CoverageB, 0, 1);
            Assert.Equal(p.Passages.Max(x => Math.Min(x.WordsA, x.WordsB)), p.LongestWords);
            foreach (var x in p.Passages)
            {
                Assert.InRange(x.AEnd, x.AStart + 1, r.Documents[p.A].Document.Text.Length);
                Assert.InRange(x.BEnd, x.BStart + 1, r.Documents[p.B].Document.Text.Length);
                Assert.True(x.WordsA >= r.Options.MinWords && x.WordsB >= r.Options.MinWords);
            }
        }
    }
}
