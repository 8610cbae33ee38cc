using Xunit;
using System.Text.Json;
using Doppel.Engine.Reports;

namespace Doppel.Tests.Cli;

public class CheckCommandTests : CliHarness
{
    [Fact]
    public void Ranks_the_true_source_above_the_unrelated_page()
    {
        // The examples directory also holds DOC itself, which must not be compared with itself, and the web page as
        // HTML, which is read like the text (both have no passages, so they tie and rank by name).
        var r = Run("check", Example("essay-paraphrased.txt"), "--against", Examples, "--format", "json");
        Assert.Equal(Ok, r.Code);
        Assert.Equal("", r.Err);
        var report = ComparisonReport.FromJson(r.Out);
        Assert.Equal(["essay.txt", "web-page.html", "web-page.txt"], report.Sources.Select(s => s.Name).ToArray());
        Assert.True(report.Sources[0].Coverage > report.Sources[1].Coverage);
        Assert.NotEmpty(report.Sources[0].Passages);
        Assert.True(report.Coverage >= report.Sources[0].Coverage);
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public void Explicit_files_are_ranked_too_and_text_output_lists_them()
    {
        var r = Run("check", Example("essay-paraphrased.txt"), "--against", Example("web-page.txt"), Example("essay.txt"));
        Assert.Equal(Ok, r.Code);
        int essay = r.Out.IndexOf("essay.txt", StringComparison.Ordinal);
        int page = r.Out.IndexOf("web-page.txt", StringComparison.Ordinal);
        Assert.True(essay >= 0 && page > essay, r.Out);
        Assert.Contains("== 1. essay.txt", r.Out);
    }

    [Fact]
    public void A_binary_file_in_a_source_directory_is_skipped_and_reported_and_the_rest_go_on()
    {
        string dir = Path.Combine(Temp, "corpus");
        TempFile("corpus/essay.txt", File.ReadAllBytes(Example("essay.txt")));
        TempFile("corpus/sub/web-page.md", File.ReadAllBytes(Example("web-page.txt")));
        TempFile("corpus/blob.txt", BinaryBytes());
        var r = Run("check", Example("essay-paraphrased.txt"), "--against", dir, "-f", "json");
        Assert.Equal(Partial, r.Code);
        AssertOneLineError(r);
        Assert.Contains("blob.txt", r.Err);
        var report = ComparisonReport.FromJson(r.Out);
        Assert.Equal(["essay.txt", "sub/web-page.md"], report.Sources.Select(s => s.Name).ToArray());
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal("binary", skipped.Kind);
    }

    [Fact]
    public void Hidden_files_other_extensions_and_binary_extensionless_files_are_ignored()
    {
        string dir = Path.Combine(Temp, "corpus");
        TempFile("corpus/essay", File.ReadAllBytes(Example("essay.txt")));      // extensionless text: used
        TempFile("corpus/.hidden.txt", BinaryBytes());                          // hidden: ignored
        TempFile("corpus/.git/objects.txt", BinaryBytes());                     // in a hidden directory: ignored
        TempFile("corpus/image.png", BinaryBytes());                            // not a text extension: ignored
        TempFile("corpus/program", BinaryBytes());                              // extensionless binary: ignored
        var r = Run("check", Example("essay-paraphrased.txt"), "--against", dir, "-f", "json");
        Assert.Equal(Ok, r.Code);
        Assert.Equal("", r.Err);
        var report = ComparisonReport.FromJson(r.Out);
        Assert.Equal("essay", Assert.Single(report.Sources).Name);
    }

    [Fact]
    public void Missing_source_is_skipped_with_exit_4_but_no_usable_source_is_an_input_error()
    {
        string missing = Path.Combine(Temp, "missing.txt");
        var r = Run("check", Example("essay-paraphrased.txt"), "--against", Example("essay.txt"), missing);
        Assert.Equal(Partial, r.Code);
        AssertOneLineError(r);
        Assert.Contains("essay.txt", r.Out);

        var none = Run("check", Example("essay-paraphrased.txt"), "--against", missing);
        Assert.Equal(InputError, none.Code);
        Assert.DoesNotContain("Exception", none.Err);
    }

    [Fact]
    public void Against_is_required()
    {
        Assert.Equal(Usage, Run("check", Example("essay.txt")).Code);
    }

    [Fact]
    public void Json_is_valid_json_with_camel_case_names()
    {
        var r = Run("check", Example("essay-paraphrased.txt"), "-a", Example("essay.txt"), "-f", "json");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.True(doc.RootElement.TryGetProperty("coveredLength", out _));
        Assert.True(doc.RootElement.GetProperty("sources")[0].TryGetProperty("passages", out _));
    }
}
