using Xunit;
using Doppel.Engine.Reports.Collection;

namespace Doppel.Tests.Cli;

public class CrossCommandTests : CliHarness
{
    private static readonly string Clough = Path.Combine(AppContext.BaseDirectory, "Fixtures", "clough", "taska");

    [Fact]
    public void Csv_has_the_documented_header_and_one_ranked_line_per_pair()
    {
        var r = Run("cross", Clough, "--format", "csv", "-q");
        Assert.Equal(Ok, r.Code);
        Assert.Equal("", r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("doc_a,doc_b,coverage_a,coverage_b,passages,longest_words", lines[0]);
        Assert.True(lines.Length > 2);
        Assert.Contains(lines, l => l.StartsWith("g0pD_taska.txt,orig_taska.txt,", StringComparison.Ordinal));
        var first = lines[1].Split(',');
        Assert.Equal(6, first.Length);
        Assert.InRange(double.Parse(first[2], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        Assert.True(int.Parse(first[5]) >= 15);
    }

    [Fact]
    public void Json_round_trips_and_refers_to_documents_by_id()
    {
        string json = Path.Combine(Temp, "cross.json");
        var r = Run("cross", Clough, "--format", "json", "-o", json, "--min-words", "20");
        Assert.Equal(Ok, r.Code);
        var report = CollectionReport.FromJson(File.ReadAllText(json));
        Assert.Equal(1, report.SchemaVersion);
        Assert.Equal("collection", report.Mode);
        Assert.Equal(20, report.Settings.MinWords);
        Assert.Equal(Directory.GetFiles(Clough, "*.txt").Length, report.Documents.Count);
        Assert.NotEmpty(report.Pairs);
        foreach (var p in report.Pairs)
        {
            Assert.Equal(report.Documents[p.A].Name, p.NameA);
            foreach (var x in p.Passages)
            {
                string text = File.ReadAllText(report.Documents[p.A].Path);
                Assert.Equal(text.Substring(x.A.Start, x.A.Length), x.A.Text);
                Assert.True(x.A.Words >= 20 && x.B.Words >= 20);
            }
        }
        Assert.All(report.Clusters, c => Assert.All(c.Pairs, rank => Assert.InRange(rank, 1, report.Pairs.Count)));
        Assert.Contains("documents,", r.Err); // the summary line
    }

    [Fact]
    public void Html_report_is_written_offline_with_a_page_per_pair()
    {
        string dir = Path.Combine(Temp, "report");
        var r = Run("cross", Clough, "-o", dir, "-q");
        Assert.Equal(Ok, r.Code);
        string index = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("<svg", index);
        Assert.Contains("orig_taska.txt", index);
        var pages = Directory.GetFiles(Path.Combine(dir, "pairs"), "*.html");
        Assert.NotEmpty(pages);
        Assert.Contains("pairs/pair-00001.html", index);
        foreach (var f in pages.Append(Path.Combine(dir, "index.html")))
        {
            string html = File.ReadAllText(f);
            Assert.DoesNotContain("src=\"http", html);
            Assert.DoesNotContain("href=\"http", html);
            Assert.DoesNotContain("<link", html);
        }
        string pairPage = File.ReadAllText(Path.Combine(dir, "pairs", "pair-00001.html"));
        Assert.Contains("<mark", pairPage);
        // Each pair also gets the evidence report compare and check write, linked from its side-by-side page.
        Assert.Contains("href=\"evidence-00001.html\"", pairPage);
        string evidence = File.ReadAllText(Path.Combine(dir, "pairs", "evidence-00001.html"));
        Assert.Contains("default-src 'none'", evidence);
        Assert.Contains("evidence", evidence);

        var limited = Run("cross", Clough, "-o", Path.Combine(Temp, "r2"), "-q", "--pages", "1");
        Assert.Equal(Ok, limited.Code);
        Assert.Equal(["evidence-00001.html", "pair-00001.html"], Directory.GetFiles(Path.Combine(Temp, "r2", "pairs")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_bad_file_is_reported_and_skipped_and_the_rest_goes_on_with_exit_code_4()
    {
        string dir = Path.Combine(Temp, "subs");
        foreach (var f in Directory.GetFiles(Clough, "*.txt")) TempFile(Path.Combine("subs", Path.GetFileName(f)), File.ReadAllBytes(f));
        TempFile("subs/empty.txt", []);
        string binary = TempFile("binary.txt", BinaryBytes());
        var r = Run("cross", dir, binary, "--format", "csv", "-q");
        Assert.Equal(Partial, r.Code);
        Assert.Equal(2, r.ErrLines.Length);
        Assert.All(r.ErrLines, l => Assert.EndsWith("(skipped)", l));
        Assert.Contains(r.ErrLines, l => l.Contains("empty.txt"));
        Assert.Contains(r.ErrLines, l => l.Contains("binary.txt"));
        Assert.Contains("orig_taska.txt", r.Out);
    }

    [Fact]
    public void Fewer_than_two_documents_or_a_missing_template_is_an_input_error()
    {
        var one = Run("cross", Path.Combine(Clough, "orig_taska.txt"));
        Assert.Equal(InputError, one.Code);
        AssertOneLineError(one);
        Assert.Contains("at least two", one.Err);

        var missing1 = Run("cross", Path.Combine(Clough, "orig_taska.txt"), Path.Combine(Temp, "gone.txt"));
        Assert.Equal(InputError, missing1.Code);
        Assert.Equal(2, missing1.ErrLines.Length); // the missing file (skipped), then why the run cannot go on
        Assert.Contains("gone.txt", missing1.ErrLines[0]);

        Directory.CreateDirectory(Path.Combine(Temp, "none"));
        var none = Run("cross", Path.Combine(Temp, "none"));
        Assert.Equal(InputError, none.Code);
        Assert.Contains("no documents found", none.Err);

        var missing = Run("cross", Clough, "--exclude", Path.Combine(Temp, "nope.txt"));
        Assert.Equal(InputError, missing.Code);
        AssertOneLineError(missing);
        Assert.Contains("--exclude", missing.Err);

        var usage = Run("cross", Clough, "--min-words", "0");
        Assert.Equal(Usage, usage.Code);
    }

    [Fact]
    public void An_excluded_file_inside_the_folder_is_not_a_submission_and_its_text_does_not_count()
    {
        string orig = Path.Combine(Clough, "orig_taska.txt");
        var r = Run("cross", Clough, "--exclude", orig, "--format", "json", "-q");
        Assert.Equal(Ok, r.Code);
        var report = CollectionReport.FromJson(r.Out);
        Assert.Equal(Directory.GetFiles(Clough, "*.txt").Length - 1, report.Documents.Count);
        Assert.DoesNotContain(report.Documents, d => d.Name == "orig_taska.txt");
        Assert.Contains(report.Common, c => c.Source == "template");
        // The copies now share only the original's text with each other: nothing left to count.
        Assert.DoesNotContain(report.Pairs, p => p.NameA == "g0pD_taska.txt" && p.NameB == "g0pE_taska.txt" && p.CoverageA > 0.3);
    }
}
