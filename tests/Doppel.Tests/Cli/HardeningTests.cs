using System.Text.Json;
using Xunit;

namespace Doppel.Tests.Cli;

/// <summary>Issue 14: hostile file system layouts and inputs end quickly, with the documented result.</summary>
public class HardeningTests : CliHarness
{
    /// <summary>Generous: the runs take well under a second; this only catches a hang.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    /// <summary>The issue's layout: L/essay.txt, L/self -> ../L, L/sub/back -> L (absolute).</summary>
    private string SymlinkLoop()
    {
        string dir = Path.Combine(Temp, "L");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.Copy(Example("essay.txt"), Path.Combine(dir, "essay.txt"));
        File.CreateSymbolicLink(Path.Combine(dir, "self"), "../L");
        File.CreateSymbolicLink(Path.Combine(dir, "sub", "back"), dir);
        return dir;
    }

    [Fact]
    public void Check_against_a_folder_with_symlink_loops_ends_and_compares_the_file_once()
    {
        var r = RunProcess(HangLimit, "check", Example("essay-paraphrased.txt"), "--against", SymlinkLoop(), "-f", "json");
        Assert.Equal(Ok, r.Code);
        using var json = JsonDocument.Parse(r.Out);
        var source = Assert.Single(json.RootElement.GetProperty("sources").EnumerateArray());
        Assert.Equal("essay.txt", source.GetProperty("name").GetString());
    }

    [Fact]
    public void Cross_over_a_folder_with_symlink_loops_ends_and_reads_the_file_once()
    {
        var r = RunProcess(HangLimit, "cross", SymlinkLoop(), Example("essay-paraphrased.txt"), "-f", "json");
        Assert.Equal(Ok, r.Code);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal(["essay.txt", "essay-paraphrased.txt"],
            json.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public void Index_add_of_a_folder_with_symlink_loops_ends_and_stores_the_file_once()
    {
        string idx = Path.Combine(Temp, "idx");
        var r = RunProcess(HangLimit, "index", "add", SymlinkLoop(), "--index", idx);
        Assert.Equal(Ok, r.Code);
        var list = Run("index", "list", "--index", idx);
        Assert.Equal("essay.txt", Assert.Single(list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('\t')[0]);
    }

    [Fact]
    public void A_file_reached_by_a_link_and_by_its_real_place_is_named_by_its_real_place()
    {
        string dir = Path.Combine(Temp, "corpus");
        Directory.CreateDirectory(Path.Combine(dir, "texts"));
        File.Copy(Example("essay.txt"), Path.Combine(dir, "texts", "essay.txt"));
        File.CreateSymbolicLink(Path.Combine(dir, "a-link"), Path.Combine(dir, "texts"));
        File.CreateSymbolicLink(Path.Combine(dir, "also.txt"), Path.Combine(dir, "texts", "essay.txt"));
        var r = RunProcess(HangLimit, "check", Example("essay-paraphrased.txt"), "--against", dir, "-f", "json");
        Assert.Equal(Ok, r.Code);
        using var json = JsonDocument.Parse(r.Out);
        var names = json.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        // also.txt and a-link/essay.txt sort first but are links to texts/essay.txt: the file is named by its real place.
        Assert.Equal(["texts/essay.txt"], names);
    }

    /// <summary>A folder with the example essay, a named pipe named like a document and one without an extension;
    /// nobody ever writes to them, so opening one for reading would wait forever.</summary>
    private string FolderWithPipes()
    {
        string dir = Path.Combine(Temp, "F");
        Directory.CreateDirectory(dir);
        File.Copy(Example("essay.txt"), Path.Combine(dir, "essay.txt"));
        foreach (var name in new[] { "pipe.txt", "pipe" })
        {
            using var mk = System.Diagnostics.Process.Start("mkfifo", Path.Combine(dir, name))!;
            mk.WaitForExit();
            Assert.Equal(0, mk.ExitCode);
        }
        return dir;
    }

    private const string PipeSkipped = "pipe.txt: not a regular file (a named pipe) (skipped)";

    [Fact]
    public void A_named_pipe_in_a_folder_is_reported_and_skipped_and_the_rest_goes_on()
    {
        string dir = FolderWithPipes();
        var check = RunProcess(HangLimit, "check", Example("essay-paraphrased.txt"), "--against", dir, "-f", "json");
        Assert.Equal(Partial, check.Code);
        Assert.EndsWith(PipeSkipped, Assert.Single(check.ErrLines));
        using (var json = JsonDocument.Parse(check.Out))
        {
            Assert.Equal("essay.txt", Assert.Single(json.RootElement.GetProperty("sources").EnumerateArray()).GetProperty("name").GetString());
            Assert.Equal("unreadable", Assert.Single(json.RootElement.GetProperty("skipped").EnumerateArray()).GetProperty("kind").GetString());
        }

        var cross = RunProcess(HangLimit, "cross", dir, Example("essay-paraphrased.txt"), "-f", "csv", "-q");
        Assert.Equal(Partial, cross.Code);
        Assert.EndsWith(PipeSkipped, Assert.Single(cross.ErrLines));
        Assert.Equal(2, cross.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var add = RunProcess(HangLimit, "index", "add", dir, "--index", Path.Combine(Temp, "idx"), "-q");
        Assert.Equal(Partial, add.Code);
        Assert.EndsWith(PipeSkipped, Assert.Single(add.ErrLines));
    }

    [Fact]
    public void A_named_pipe_given_directly_is_refused_at_once()
    {
        string pipe = Path.Combine(FolderWithPipes(), "pipe.txt");
        var compare = RunProcess(HangLimit, "compare", pipe, Example("essay.txt"));
        Assert.Equal(InputError, compare.Code);
        Assert.Equal($"doppel: {pipe}: not a regular file (a named pipe)", Assert.Single(compare.ErrLines));

        var check = RunProcess(HangLimit, "check", Example("essay-paraphrased.txt"), "--against", pipe, Example("essay.txt"), "-q");
        Assert.Equal(Partial, check.Code);
        Assert.EndsWith(PipeSkipped, Assert.Single(check.ErrLines));

        var docs = RunProcess(HangLimit, "check", pipe, Example("essay-paraphrased.txt"), "--against", Example("essay.txt"), "-q");
        Assert.Equal(Partial, docs.Code);
        Assert.EndsWith(PipeSkipped, Assert.Single(docs.ErrLines));
    }

    [Fact]
    public void A_closed_output_pipe_is_an_output_error()
    {
        // 3 MB of text: far more than a pipe holds, so doppel is still writing when the reader goes away.
        string big = TempFile("big.txt", System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("All work and no play makes Jack a dull boy. ", 70_000))));
        using var child = System.Diagnostics.Process.Start(DoppelProcess("extract", big))!;
        var err = child.StandardError.ReadToEndAsync();
        var buffer = new char[10];
        child.StandardOutput.ReadBlock(buffer, 0, buffer.Length); // head -c 10
        child.StandardOutput.Close();
        Assert.True(child.WaitForExit(HangLimit), "doppel did not end");
        Assert.Equal(OutputError, child.ExitCode);
        Assert.Equal("doppel: standard output: cannot write: Broken pipe", err.Result.Trim());
    }

    [Fact]
    public void Output_to_a_directory_or_into_a_missing_one_says_so()
    {
        var dir = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-o", Temp);
        Assert.Equal(OutputError, dir.Code);
        Assert.Equal($"doppel: {Temp}: cannot write: is a directory (give a file name)", Assert.Single(dir.ErrLines));
        string missing = Path.Combine(Temp, "no", "report.json");
        var parent = Run("cross", Examples, "-f", "json", "-o", missing, "-q");
        Assert.Equal(OutputError, parent.Code);
        Assert.Equal($"doppel: {missing}: cannot write: no such directory {Path.Combine(Temp, "no")}", Assert.Single(parent.ErrLines));
    }

    [Theory]
    [InlineData("/nonexistent-home")]
    [InlineData("relative-home")]
    public void A_home_that_is_not_a_directory_gives_no_default_index_and_creates_nothing(string home)
    {
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["DOPPEL_INDEX"] = null, ["XDG_DATA_HOME"] = null };
        var add = RunProcess(HangLimit, env, Temp, "index", "add", Example("essay.txt"));
        Assert.Equal(Usage, add.Code);
        Assert.Equal($"doppel: no default index location: HOME ({home}) is not a directory; give --index DIR or set DOPPEL_INDEX", Assert.Single(add.ErrLines));
        Assert.Empty(Directory.GetFileSystemEntries(Temp));
        var check = RunProcess(HangLimit, env, Temp, "check", Example("essay.txt"));
        Assert.Equal(Usage, check.Code);
        Assert.Contains("no default index location", check.Err);
    }

    [Fact]
    public void Without_HOME_the_default_index_is_under_the_accounts_home_directory()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = null, ["DOPPEL_INDEX"] = null, ["XDG_DATA_HOME"] = null };
        var stats = RunProcess(HangLimit, env, Temp, "index", "stats", "-f", "json");
        // No index there (exit 3) or one there (exit 0): either way the location is absolute, never ./.local.
        string where = stats.Code == Ok ? JsonDocument.Parse(stats.Out).RootElement.GetProperty("location").GetString()! : stats.Err["doppel: ".Length..].Split(':')[0];
        Assert.True(Path.IsPathRooted(where), where);
        Assert.EndsWith(Path.Combine(".local", "share", "doppel", "index"), where);
    }

    /// <summary>The report of a comparison, read as JSON (not through the model, so the test runs on any version).</summary>
    private static JsonElement Compare(params string[] args)
    {
        var r = Run(["compare", .. args, "-f", "json"]);
        Assert.Equal(Ok, r.Code);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public void An_identical_copy_and_an_exact_pdf_copy_are_100_percent()
    {
        // essay.txt starts with a space and ends with ". \n ": no passage holds those, but no word is left out.
        string copy = TempFile("copy.txt", File.ReadAllBytes(Example("essay.txt")));
        Assert.Contains("Reused: 100.0% of the suspicious text", Run("compare", Example("essay.txt"), copy).Out);
        Assert.Equal(1.0, Compare(Example("essay.txt"), copy).GetProperty("coverage").GetDouble());

        string pdf = Path.Combine(Temp, "essay.pdf");
        Doppel.Tests.Readers.DocumentBuilders.Pdf(pdf, File.ReadAllText(Example("essay.txt")), Temp);
        Assert.Equal(1.0, Compare(pdf, Example("essay.txt")).GetProperty("coverage").GetDouble());
        Assert.Equal(1.0, Compare(Example("essay.txt"), pdf).GetProperty("coverage").GetDouble());
    }

    [Fact]
    public void The_html_report_the_json_report_and_cross_count_the_words_of_a_file_alike()
    {
        // The paraphrase has broken apostrophes ("â€™"): counted as runs of letters, the HTML report said 352 words where
        // cross said 350. One count everywhere: the analysis's words.
        var json = Compare(Example("essay-paraphrased.txt"), Example("essay.txt"));
        string html = Path.Combine(Temp, "r.html");
        Assert.Equal(Ok, Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "html", "-o", html).Code);
        var header = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(html), @"· ([0-9,]+) words ·");
        Assert.True(header.Success);
        var cross = Run("cross", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json", "-q");
        using var collection = JsonDocument.Parse(cross.Out);
        int crossWords = collection.RootElement.GetProperty("documents").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "essay-paraphrased.txt").GetProperty("words").GetInt32();

        Assert.Equal(350, crossWords);
        Assert.Equal(crossWords, int.Parse(header.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(crossWords, json.GetProperty("suspicious").GetProperty("words").GetInt32());
        Assert.Equal(398, json.GetProperty("sources")[0].GetProperty("words").GetInt32()); // sources carry their words too
    }

    /// <summary>"Café" in Windows-1252: not valid UTF-8.</summary>
    private string Windows1252File(string name = "cafe.txt") =>
        TempFile(name, [.. "Caf"u8, 0xE9, .. " au lait is what people like to drink in the morning, with bread and butter.\n"u8]);

    [Fact]
    public void Text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning()
    {
        string cafe = Windows1252File();
        string warning = $"doppel: {cafe}: warning: not valid UTF-8: read as Windows-1252";
        var extract = Run("extract", cafe);
        Assert.Equal(Ok, extract.Code);
        Assert.StartsWith("Café au lait", extract.Out);
        Assert.Equal([warning], extract.ErrLines);

        var compare = Run("compare", cafe, Example("essay.txt"));
        Assert.Equal(Ok, compare.Code);
        Assert.Equal([warning], compare.ErrLines);
        Assert.Empty(Run("compare", cafe, Example("essay.txt"), "-q").ErrLines);

        var check = Run("check", Example("essay.txt"), "--against", cafe, Example("web-page.txt"));
        Assert.Equal(Ok, check.Code);
        Assert.Equal([warning], check.ErrLines);

        // A web page that declares no charset is read the same way, and says so.
        string page = TempFile("page.html", [.. "<html><body><p>Caf"u8, 0xE9, .. " au lait is what people like to drink in the morning.</p></body></html>"u8]);
        Assert.Equal([$"doppel: {page}: warning: not valid UTF-8: read as Windows-1252"], Run("extract", page).ErrLines);
        Assert.Empty(Run("extract", Example("essay.txt")).ErrLines); // UTF-8: nothing to say
    }

    [Fact]
    public void An_empty_folder_is_treated_alike_by_check_cross_and_index_add()
    {
        string empty = Directory.CreateDirectory(Path.Combine(Temp, "empty")).FullName;
        string warning = $"doppel: {empty}: warning: no documents in this folder";
        string idx = Path.Combine(Temp, "idx");

        // Beside other inputs: said in one warning line, and the run goes on.
        var check = Run("check", Example("essay-paraphrased.txt"), "--against", empty, Example("essay.txt"), "-f", "json");
        Assert.Equal(Ok, check.Code);
        Assert.Equal([warning], check.ErrLines);
        var cross = Run("cross", empty, Example("essay.txt"), Example("essay-paraphrased.txt"), "-f", "csv");
        Assert.Equal(Ok, cross.Code);
        Assert.Equal(warning, cross.ErrLines[0]);
        var add = Run("index", "add", empty, Example("essay.txt"), "--index", idx);
        Assert.Equal(Ok, add.Code);
        Assert.Equal(warning, add.ErrLines[0]);

        // Alone: nothing to work on, an input error (exit 3) in one line.
        var checkAlone = Run("check", Example("essay-paraphrased.txt"), "--against", empty);
        Assert.Equal(InputError, checkAlone.Code);
        Assert.Equal($"doppel: {empty}: no source documents found", Assert.Single(checkAlone.ErrLines));
        var crossAlone = Run("cross", empty);
        Assert.Equal(InputError, crossAlone.Code);
        Assert.Equal($"doppel: {empty}: no documents found", Assert.Single(crossAlone.ErrLines));
        var addAlone = Run("index", "add", empty, "--index", idx);
        Assert.Equal(InputError, addAlone.Code);
        Assert.Equal($"doppel: {empty}: no documents found", Assert.Single(addAlone.ErrLines));
    }

    [Theory]
    [InlineData("check")]
    [InlineData("cross")]
    [InlineData("index", "add")]
    public void Help_lists_every_format_a_folder_is_searched_for(params string[] command)
    {
        var help = Run([.. command, "--help"]);
        Assert.Equal(Ok, help.Code);
        string text = string.Join(' ', help.Out.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        foreach (var ext in Doppel.Application.DocumentInputs.DocumentExtensions)
            Assert.Contains("*" + ext, text);
    }

    [Fact]
    public void The_text_report_traces_a_long_paraphrase_sentence_by_sentence()
    {
        var json = Compare(Example("essay-paraphrased.txt"), Example("essay.txt"));
        var links = json.GetProperty("sources")[0].GetProperty("passages")[0].GetProperty("links");
        var text = Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"));
        Assert.Equal(Ok, text.Code);
        Assert.Contains($"sentence links: {links.GetArrayLength()} pairs of sentences", text.Out);
        // Each link: its number, similarity and offsets on both sides, then the two sentences.
        var first = links[0];
        int s = first.GetProperty("suspicious").GetProperty("start").GetInt32(), sl = first.GetProperty("suspicious").GetProperty("length").GetInt32();
        int r = first.GetProperty("source").GetProperty("start").GetInt32(), rl = first.GetProperty("source").GetProperty("length").GetInt32();
        Assert.Matches($@"1\. \d\.\d\d  suspicious {s}\.\.{s + sl} +│ source {r}\.\.{r + rl}", text.Out);
        Assert.Contains("2. ", text.Out);

        // A verbatim copy is shown whole or cut, its links only with --links.
        string copy = TempFile("copy.txt", File.ReadAllBytes(Example("essay.txt")));
        Assert.DoesNotContain("sentence links", Run("compare", Example("essay.txt"), copy).Out);
        Assert.Contains("sentence links", Run("compare", Example("essay.txt"), copy, "--links").Out);
        Assert.Contains("sentence links", Run("check", Example("essay.txt"), "--against", copy, "--links").Out);
    }
}
