using Doppel.Engine.Reports;
using Doppel.Tests.Readers;
using Xunit;

namespace Doppel.Tests.Cli;

/// <summary>Every command reads every format, and the new report options work end to end.</summary>
public class ReadersCliTests : CliHarness
{
    [Fact]
    public void Compare_reads_docx_and_html_and_reports_their_format()
    {
        string docx = Path.Combine(Temp, "essay-paraphrased.docx");
        DocumentBuilders.Docx(docx, File.ReadAllText(Example("essay-paraphrased.txt")).TrimEnd('\n'));
        var r = Run("compare", docx, Example("essay.txt"), "-f", "json");
        Assert.Equal(Ok, r.Code);
        var report = ComparisonReport.FromJson(r.Out);
        Assert.Equal("docx", report.Suspicious.Format);
        Assert.True(report.Coverage > 0.9);

        r = Run("compare", Example("web-page.html"), Example("essay.txt"), "-f", "json");
        Assert.Equal(Ok, r.Code);
        Assert.Equal("html", ComparisonReport.FromJson(r.Out).Suspicious.Format);
    }

    [Fact]
    public void Check_finds_docx_html_and_pdf_sources_in_directories_and_skips_broken_ones()
    {
        string dir = Path.Combine(Temp, "sources");
        Directory.CreateDirectory(dir);
        DocumentBuilders.Docx(Path.Combine(dir, "essay.docx"), File.ReadAllText(Example("essay.txt")).TrimEnd('\n'));
        File.Copy(Example("web-page.html"), Path.Combine(dir, "web-page.html"));
        File.WriteAllText(Path.Combine(dir, "broken.pdf"), "%PDF-1.4\nnot really a pdf\n");
        File.WriteAllBytes(Path.Combine(dir, "image.png"), BinaryBytes());
        var r = Run("check", Example("essay-paraphrased.txt"), "--against", dir, "-f", "json");
        Assert.Equal(Partial, r.Code);
        var report = ComparisonReport.FromJson(r.Out);
        Assert.Equal(["essay.docx", "web-page.html"], report.Sources.Select(s => s.Name));
        Assert.Equal("docx", report.Sources[0].Format);
        var skipped = Assert.Single(report.Skipped);
        Assert.EndsWith("broken.pdf", skipped.Path);
        Assert.Contains("broken.pdf: ", Assert.Single(r.ErrLines));
    }

    [Fact]
    public void Extract_prints_the_text_that_offsets_refer_to()
    {
        var r = Run("extract", Example("web-page.html"));
        Assert.Equal(Ok, r.Code);
        Assert.StartsWith("Cuban Missile Crisis: Resolution and analysis", r.Out);
        Assert.DoesNotContain("Subscribe", r.Out);
        var json = Run("compare", Example("web-page.html"), Example("essay.txt"), "-f", "json");
        Assert.Equal(r.Out.Length, ComparisonReport.FromJson(json.Out).Suspicious.Length);

        r = Run("extract", Example("web-page.html"), "-f", "json");
        Assert.Contains("\"format\": \"html\"", r.Out);
        Assert.Contains("\"kind\": \"heading\"", r.Out);
    }

    [Fact]
    public void Html_format_writes_one_file_and_exclusions_change_the_json()
    {
        string html = Path.Combine(Temp, "r.html");
        var r = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "--format", "html", "-o", html, "--quiet");
        Assert.Equal(Ok, r.Code);
        Assert.Equal("", r.Err);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html));

        var excluded = ComparisonReport.FromJson(Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json", "--exclude-source", "essay.*").Out);
        Assert.Equal(0, excluded.CoveredLength);
        Assert.True(excluded.Sources[0].Excluded);
        Assert.All(excluded.Sources[0].Passages, p => Assert.Equal("source", p.Excluded));

        var shortOnes = ComparisonReport.FromJson(Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json", "--min-match-words", "100000").Out);
        Assert.Equal(0, shortOnes.CoveredLength);
        Assert.All(shortOnes.Sources[0].Passages, p => Assert.Equal("short", p.Excluded));
    }

    [Fact]
    public void Bad_exclusion_values_are_usage_errors_and_unsupported_inputs_are_input_errors()
    {
        var r = Run("compare", Example("essay.txt"), Example("essay.txt"), "--min-match-words", "-1");
        Assert.Equal(Usage, r.Code);

        string doc = TempFile("old.doc", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]);
        r = Run("compare", doc, Example("essay.txt"));
        Assert.Equal(InputError, r.Code);
        AssertOneLineError(r);
        Assert.Contains("unsupported format", r.Err);
    }
}

public class HostileInputCliTests : CliHarness
{
    [Fact]
    public void Zip_bomb_is_an_input_error_without_the_file_size_hint_and_a_skip_in_check()
    {
        string bomb = Path.Combine(Temp, "bomb.docx");
        using (var z = System.IO.Compression.ZipFile.Open(bomb, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var s = z.CreateEntry("word/document.xml", System.IO.Compression.CompressionLevel.Optimal).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 8; i++) s.Write(zeros);
        }
        var r = Run("compare", bomb, Example("essay.txt"));
        Assert.Equal(InputError, r.Code);
        AssertOneLineError(r);
        Assert.Contains("refused: archive too large to unpack safely", r.Err);
        Assert.DoesNotContain("--max-file-size", r.Err);

        r = Run("check", Example("essay-paraphrased.txt"), "-a", bomb, Example("essay.txt"), "-f", "json");
        Assert.Equal(Partial, r.Code);
        Assert.Equal("tooLarge", Assert.Single(ComparisonReport.FromJson(r.Out).Skipped).Kind);
    }
}
