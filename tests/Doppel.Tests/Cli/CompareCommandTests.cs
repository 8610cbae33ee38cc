using Xunit;
using System.Text.Json;
using Doppel.Engine.Reports;
using Doppel.Engine.Text;

namespace Doppel.Tests.Cli;

public class CompareCommandTests : CliHarness
{
    [Fact]
    public void Json_passages_have_offsets_inside_the_texts_and_their_text_is_the_substring()
    {
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "--format", "json");
        Assert.Equal(Ok, r.Code);
        Assert.Equal("", r.Err);

        var loader = new DocumentLoader();
        string susp = loader.LoadOrThrow(Example("essay-paraphrased.txt")).Text;
        string src = loader.LoadOrThrow(Example("essay.txt")).Text;

        using var json = JsonDocument.Parse(r.Out);
        var root = json.RootElement;
        Assert.Equal(ComparisonReport.CurrentSchemaVersion, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(susp.Length, root.GetProperty("suspicious").GetProperty("length").GetInt32());
        var source = Assert.Single(root.GetProperty("sources").EnumerateArray().ToArray());
        Assert.Equal(src.Length, source.GetProperty("length").GetInt32());
        var passages = source.GetProperty("passages").EnumerateArray().ToArray();
        Assert.NotEmpty(passages);
        foreach (var p in passages)
        {
            AssertSpan(p.GetProperty("suspicious"), susp);
            AssertSpan(p.GetProperty("source"), src);
            Assert.Contains(p.GetProperty("kind").GetString(), new[] { "verbatim", "paraphrase", "summary" });
            double score = p.GetProperty("score").GetDouble();
            Assert.InRange(score, 0, 1);
            foreach (var link in p.GetProperty("links").EnumerateArray())
            {
                Assert.InRange(link.GetProperty("suspicious").GetProperty("start").GetInt32(), 0, susp.Length);
                Assert.InRange(link.GetProperty("source").GetProperty("start").GetInt32(), 0, src.Length);
            }
        }
        double coverage = root.GetProperty("coverage").GetDouble();
        Assert.InRange(coverage, 0.5, 1);
    }

    private static void AssertSpan(JsonElement span, string text)
    {
        int start = span.GetProperty("start").GetInt32(), length = span.GetProperty("length").GetInt32();
        Assert.InRange(start, 0, text.Length);
        Assert.InRange(length, 1, text.Length - start);
        Assert.Equal(text.Substring(start, length), span.GetProperty("text").GetString());
    }

    [Fact]
    public void Json_round_trips_through_the_report_model()
    {
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json");
        var report = ComparisonReport.FromJson(r.Out);
        Assert.Equal("essay-paraphrased.txt", report.Suspicious.Name);
        Assert.Equal(r.Out, report.ToJson() + "\n");
    }

    [Fact]
    public void Text_shows_coverage_and_side_by_side_passages_without_colour_when_not_a_terminal()
    {
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"));
        Assert.Equal(Ok, r.Code);
        Assert.Contains("Reused: ", r.Out);
        Assert.Contains(" │ ", r.Out);
        Assert.DoesNotContain("\e[", r.Out, StringComparison.Ordinal); // ordinal: ESC is ignorable in culture-aware comparison
    }

    [Fact]
    public void Pan_format_writes_detection_xml()
    {
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "--format", "pan");
        Assert.Equal(Ok, r.Code);
        Assert.Contains("<document reference=\"essay-paraphrased.txt\"", r.Out);
        Assert.Contains("name=\"detected-plagiarism\"", r.Out);
        Assert.Contains("source_reference=\"essay.txt\"", r.Out);
    }

    [Fact]
    public void Output_file_gets_the_report_and_stdout_stays_empty()
    {
        string file = Path.Combine(Temp, "report.json");
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json", "-o", file);
        Assert.Equal(Ok, r.Code);
        Assert.Equal("", r.Out);
        Assert.NotEmpty(ComparisonReport.FromJson(File.ReadAllText(file)).Sources[0].Passages);
    }

    [Fact]
    public void Unwritable_output_is_an_output_error()
    {
        string file = Path.Combine(Temp, "no-such-dir", "report.json");
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-o", file);
        Assert.Equal(OutputError, r.Code);
        AssertOneLineError(r);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(Usage, Run("compare", Example("essay.txt")).Code);
        Assert.Equal(Usage, Run("compare", Example("essay.txt"), Example("essay.txt"), "--format", "xml").Code);
        Assert.Equal(Usage, Run("compare", Example("essay.txt"), Example("essay.txt"), "--max-file-size", "0").Code);
        Assert.Equal(Usage, Run("frobnicate").Code);
    }

    [Fact]
    public void Help_goes_to_the_given_stdout()
    {
        var r = Run("compare", "--help");
        Assert.Equal(Ok, r.Code);
        Assert.Contains("--format", r.Out);
        Assert.Contains("--max-file-size", r.Out);
    }
}
