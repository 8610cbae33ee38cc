using Xunit;
using Doppel.Engine.Collection;
using Doppel.Engine.Reports.Collection;
using Doppel.Engine.Text;

namespace Doppel.Tests.Collection;

public class CollectionReportTests
{
    [Fact]
    public void Csv_quotes_names_with_commas_and_quotes()
    {
        Assert.Equal("plain.txt", CollectionCsv.Field("plain.txt"));
        Assert.Equal("\"a,b.txt\"", CollectionCsv.Field("a,b.txt"));
        Assert.Equal("\"say \"\"hi\"\".txt\"", CollectionCsv.Field("say \"hi\".txt"));
    }

    [Fact]
    public void Pair_page_marks_passages_and_greys_template_text()
    {
        string prompt = CollectionFixture.Filler(80, 4);
        string copied = CollectionFixture.Filler(81, 6);
        var docs = new List<CollectionInput>
        {
            CollectionFixture.Input("a<1>.txt", prompt + CollectionFixture.Filler(82, 8) + copied),
            CollectionFixture.Input("b.txt", prompt + copied + CollectionFixture.Filler(83, 8)),
        };
        var r = CollectionAnalyzer.Run(docs, [DocumentAnalyzer.Analyze(prompt)]);
        var report = CollectionReportBuilder.Build(r);
        var pair = Assert.Single(report.Pairs);
        string html = PairPageHtml.Render(pair, report, r);
        Assert.Contains("a&lt;1&gt;.txt", html);
        Assert.DoesNotContain("a<1>.txt", html);
        Assert.Contains("<mark class=\"", html);
        Assert.Contains("id=\"a0\"", html);
        Assert.Contains("id=\"b0\"", html);
        Assert.Contains("<span class=\"excl\">", html);

        var files = CollectionHtml.Render(report, r, maxPairPages: 10).ToList();
        Assert.Equal(["index.html", "pairs/pair-00001.html", "pairs/evidence-00001.html"], files.Select(f => f.Path).ToArray());
        Assert.Contains("template", files[0].Content);
    }

    [Fact]
    public void Fingerprints_of_neighbouring_stem_ids_do_not_collide()
    {
        // Stem ids are small dense integers; a linear combination would make (a, b, c) and (a + 1, b - 31, c) equal.
        var one = Synthetic([100, 200, 300]);
        var two = Synthetic([101, 169, 300]);
        Assert.NotEqual(Fingerprinter.Compute(one, 3).Hash[0], Fingerprinter.Compute(two, 3).Hash[0]);
        Assert.Equal(Fingerprinter.Compute(one, 3).Hash[0], Fingerprinter.Compute(Synthetic([100, 200, 300]), 3).Hash[0]);
    }

    private static AnalyzedDocument Synthetic(int[] stems) => new()
    {
        Name = "x",
        Text = string.Join(' ', stems.Select(s => $"w{s}")),
        TokenCount = stems.Length,
        TokenStart = new int[stems.Length],
        TokenEnd = new int[stems.Length],
        WordHash = new ulong[stems.Length],
        StemId = stems,
        IsStopword = new bool[stems.Length],
        IsMarkup = new bool[stems.Length],
        UnitCount = 0,
        UnitTokenStart = [stems.Length],
        UnitCharStart = [],
        UnitCharEnd = [],
        UnitTermStart = [0],
        UnitTerms = [],
        UnitTermFreq = [],
        PostingTerm = [],
        PostingUnit = [],
        PostingFreq = [],
    };
}
