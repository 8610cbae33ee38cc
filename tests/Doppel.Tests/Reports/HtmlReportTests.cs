using AngleSharp.Html.Parser;
using Doppel.Engine.Exclusions;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Html;
using Doppel.Tests.Cli;
using Xunit;

namespace Doppel.Tests.Reports;

public class HtmlReportTests : CliHarness
{
    private static ComparisonReport Report(params string[] extra)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "exclusions");
        var r = Run(["check", Path.Combine(dir, "quoting-essay.txt"), "--against", Path.Combine(dir, "quoted-source.txt"),
            Example("essay.txt"), "-f", "json", "--include-text", .. extra]);
        Assert.Equal(Ok, r.Code);
        return ComparisonReport.FromJson(r.Out);
    }

    [Fact]
    public void Report_is_self_contained_and_its_document_text_is_the_suspicious_text()
    {
        var report = Report();
        string html = HtmlReportRenderer.Render(report);
        var doc = new HtmlParser().ParseDocument(html);
        Assert.Equal(report.Suspicious.Text, doc.GetElementById("doc")!.TextContent);
        // Nothing to load: no external scripts, styles, images, fonts or frames, and a CSP that forbids them.
        Assert.Empty(doc.QuerySelectorAll("[src], link, iframe, object, embed, img"));
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("@import", html);
        Assert.All(doc.QuerySelectorAll("[href]"), a => Assert.StartsWith("#", a.GetAttribute("href")));
        Assert.Contains("default-src 'none'", doc.QuerySelector("meta[http-equiv='Content-Security-Policy']")!.GetAttribute("content"));

        int passages = report.Sources.Sum(s => s.Passages.Count);
        Assert.True(passages >= 2);
        for (int i = 0; i < passages; i++) Assert.NotNull(doc.GetElementById("p" + i));
        foreach (var m in doc.QuerySelectorAll("#doc mark.m"))
            Assert.All(m.GetAttribute("data-p")!.Split(' '), id => Assert.InRange(int.Parse(id), 0, passages - 1));
        AssertPassagesRendered(report, doc);
        // Sources listed with their share; kinds shown.
        Assert.Equal(report.Sources.Count, doc.QuerySelectorAll("#sources li.src").Length);
        Assert.Contains("verbatim", doc.QuerySelector("#sources")!.TextContent);
    }

    [Fact]
    public void Overlapping_passages_of_several_sources_are_each_rendered_whole()
    {
        string copy = Path.Combine(Temp, "essay-copy.txt");
        File.Copy(Example("essay.txt"), copy);
        var r = Run("check", Example("essay-paraphrased.txt"), "-a", Example("essay.txt"), copy, "-f", "json", "--include-text");
        var report = ComparisonReport.FromJson(r.Out);
        Assert.All(report.Sources, s => Assert.NotEmpty(s.Passages));
        var doc = new HtmlParser().ParseDocument(HtmlReportRenderer.Render(report));
        Assert.Contains(doc.QuerySelectorAll("#doc mark.m"), m => m.GetAttribute("data-p")!.Contains(' '));
        AssertPassagesRendered(report, doc);
    }

    /// <summary>Each passage's highlighted pieces are exactly its text, and its evidence shows the same text beside the source.</summary>
    private static void AssertPassagesRendered(ComparisonReport report, AngleSharp.Html.Dom.IHtmlDocument doc)
    {
        int id = 0;
        foreach (var src in report.Sources)
            foreach (var p in src.Passages)
            {
                string marked = string.Concat(doc.QuerySelectorAll("#doc mark.m")
                    .Where(m => m.GetAttribute("data-p")!.Split(' ').Contains(id.ToString()))
                    .Select(m => m.TextContent));
                Assert.Equal(p.Suspicious.Text, marked);
                var ev = doc.GetElementById("p" + id)!;
                Assert.Equal(p.Suspicious.Text, ev.QuerySelector(".susp .t")!.TextContent);
                Assert.Equal(p.Source.Text, ev.QuerySelector(".srcc .t")!.TextContent);
                id++;
            }
    }

    [Fact]
    public void Report_without_text_is_refused_with_a_clear_message()
    {
        var report = ComparisonReport.FromJson(Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json").Out);
        var e = Assert.Throws<ArgumentException>(() => HtmlReportRenderer.Render(report));
        Assert.Contains("IncludeText", e.Message);
    }

    [Fact]
    public void Excluded_passages_are_marked_not_counted_and_toggles_start_in_the_run_state()
    {
        var report = Report("--exclude-quotes", "--exclude-bibliography", "--min-match-words", "3");
        var doc = new HtmlParser().ParseDocument(HtmlReportRenderer.Render(report));
        Assert.True(doc.QuerySelector("#x-quotes")!.HasAttribute("checked"));
        Assert.True(doc.QuerySelector("#x-bibliography")!.HasAttribute("checked"));
        Assert.Equal("3", doc.QuerySelector("#x-minwords")!.GetAttribute("value"));
        Assert.Equal("0.0%", doc.GetElementById("overall")!.TextContent);
        Assert.NotEmpty(doc.QuerySelectorAll("article.pe.nc"));
        Assert.Contains("not counted: in quotation marks", doc.GetElementById("evidence")!.TextContent);
    }

    [Theory]
    [InlineData(0, 100, "0.0%")]
    [InlineData(1, 100000, "0.1%")]
    [InlineData(99999, 100000, "99.9%")]
    [InlineData(100, 100, "100.0%")]
    [InlineData(1235, 10000, "12.4%")]
    public void Shares_round_to_tenths_never_to_0_or_100_falsely(int covered, int length, string expected) =>
        Assert.Equal(expected, HtmlReportRenderer.Pct(covered, length));

    [Fact]
    public void Word_diff_marks_changed_and_moved_words_only()
    {
        var (a, b) = WordDiff.Diff("The quick brown fox jumps over the dog.", "the slow brown fox jumps over the dog");
        string Marked(string s, WordDiff.Word[] w, WordDiff.Mark m) => string.Join(' ', w.Where(x => x.Mark == m).Select(x => s.Substring(x.Start, x.Length)));
        Assert.Equal("quick", Marked("The quick brown fox jumps over the dog.", a, WordDiff.Mark.Changed));
        Assert.Equal("slow", Marked("the slow brown fox jumps over the dog", b, WordDiff.Mark.Changed));

        var (c, _) = WordDiff.Diff("dog bites man today", "man bites dog today");
        Assert.Contains(c, w => w.Mark == WordDiff.Mark.Moved);
        Assert.DoesNotContain(c, w => w.Mark == WordDiff.Mark.Changed);
    }

    [Fact]
    public void Colours_are_distinct_for_thirty_sources()
    {
        var colours = Enumerable.Range(0, 30).Select(HtmlReportRenderer.Palette).ToList();
        Assert.Equal(30, colours.Select(c => c.Strong).Distinct().Count());
        Assert.All(colours, c => Assert.Matches("^#[0-9a-f]{6}$", c.Light));
    }

    [Fact]
    public void Json_carries_formats_exclusion_spans_and_the_text_on_request()
    {
        var report = Report("--exclude-quotes");
        Assert.Equal("text", report.Suspicious.Format);
        Assert.NotNull(report.Suspicious.Text);
        Assert.True(report.Exclusions.Quotes);
        Assert.False(report.Exclusions.Bibliography);
        Assert.Contains(report.Exclusions.Spans, s => s.Kind == "quote");
        Assert.Contains(report.Exclusions.Spans, s => s.Kind == "bibliography");
        foreach (var s in report.Exclusions.Spans)
            Assert.InRange(s.Start + s.Length, 1, report.Suspicious.Length);
        Assert.Equal("blockQuote", ExcludedSpan.KindName(ExcludedKind.BlockQuote));
    }
}
