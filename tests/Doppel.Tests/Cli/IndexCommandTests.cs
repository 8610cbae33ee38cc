using System.Diagnostics;
using System.Text.Json;
using Doppel.Engine.Index;
using Doppel.Engine.Reports;
using Xunit;

namespace Doppel.Tests.Cli;

public class IndexCommandTests : CliHarness
{
    private string Idx => Path.Combine(Temp, "idx");

    /// <summary>A corpus folder with the example essay and page, a nested file, and filler documents.</summary>
    private string Corpus(int fillers = 3)
    {
        TempFile("corpus/essay.txt", File.ReadAllBytes(Example("essay.txt")));
        TempFile("corpus/pages/web-page.txt", File.ReadAllBytes(Example("web-page.txt")));
        for (int i = 0; i < fillers; i++)
            TempFile($"corpus/filler/f{i:D4}.txt", System.Text.Encoding.UTF8.GetBytes(Doppel.Tests.Index.TestTexts.Filler(i)));
        return Path.Combine(Temp, "corpus");
    }

    [Fact]
    public void Add_list_stats_and_check_against_the_index()
    {
        var add = Run("index", "add", Corpus(), "--index", Idx);
        Assert.Equal(Ok, add.Code);
        Assert.Contains("5 added", add.Err);

        var list = Run("index", "list", "--index", Idx);
        Assert.Equal(Ok, list.Code);
        var ids = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToArray();
        Assert.Equal(["essay.txt", "filler/f0000.txt", "filler/f0001.txt", "filler/f0002.txt", "pages/web-page.txt"], ids);

        var stats = Run("index", "stats", "--index", Idx, "--format", "json");
        Assert.Equal(Ok, stats.Code);
        using (var j = JsonDocument.Parse(stats.Out))
        {
            Assert.Equal(5, j.RootElement.GetProperty("documents").GetInt64());
            Assert.Equal(SqliteReferenceIndex.FormatVersion, j.RootElement.GetProperty("formatVersion").GetInt32());
        }

        var check = Run("check", Example("essay-paraphrased.txt"), "--index", Idx, "--format", "json");
        Assert.Equal(Ok, check.Code);
        var report = ComparisonReport.FromJson(check.Out);
        Assert.Equal("essay.txt", report.Sources[0].Name);
        Assert.NotEmpty(report.Sources[0].Passages);
        Assert.DoesNotContain(report.Sources, s => s.Name.StartsWith("filler/"));
    }

    [Fact]
    public void Adding_again_changes_nothing_and_changed_files_replace_their_old_version()
    {
        string corpus = Corpus();
        Assert.Equal(Ok, Run("index", "add", corpus, "--index", Idx).Code);
        var again = Run("index", "add", corpus, "--index", Idx);
        Assert.Equal(Ok, again.Code);
        Assert.Contains("0 added, 0 replaced, 5 unchanged", again.Err);

        File.WriteAllText(Path.Combine(corpus, "essay.txt"), File.ReadAllText(Example("web-page.txt")) + "\nA new closing line.");
        var changed = Run("index", "add", corpus, "--index", Idx);
        Assert.Contains("0 added, 1 replaced, 4 unchanged", changed.Err);

        var removed = Run("index", "remove", "essay.txt", "missing.txt", "--index", Idx);
        Assert.Equal(Partial, removed.Code);
        Assert.Contains("missing.txt: not in the index", removed.Err);
        Assert.DoesNotContain("essay.txt", Run("index", "list", "--index", Idx).Out);
    }

    [Fact]
    public void An_unreadable_file_is_reported_and_skipped_and_the_rest_is_indexed()
    {
        string corpus = Corpus();
        TempFile("corpus/empty.txt", []);
        TempFile("corpus/binary.txt", BinaryBytes());
        var r = Run("index", "add", corpus, "--index", Idx);
        Assert.Equal(Partial, r.Code);
        Assert.Contains(r.ErrLines, l => l.Contains("empty.txt") && l.EndsWith("(skipped)"));
        Assert.Contains(r.ErrLines, l => l.Contains("binary.txt") && l.EndsWith("(skipped)"));
        Assert.Contains("5 added", r.Err);
        Assert.DoesNotContain("Exception", r.Err);

        var nothing = Run("index", "add", Path.Combine(Temp, "no-such-file.txt"), "--index", Idx);
        Assert.Equal(InputError, nothing.Code);
        Assert.Contains(nothing.ErrLines, l => l.Contains("no-such-file.txt") && l.EndsWith("(skipped)"));
    }

    [Fact]
    public void Check_writes_pan_xml_per_source_with_detections()
    {
        Assert.Equal(Ok, Run("index", "add", Corpus(), "--index", Idx, "-q").Code);
        string outDir = Path.Combine(Temp, "pan");
        var r = Run("check", Example("essay-paraphrased.txt"), "--index", Idx, "--format", "pan", "-o", outDir);
        Assert.Equal(Ok, r.Code);
        var file = Assert.Single(Directory.GetFiles(outDir));
        Assert.Equal("essay-paraphrased-essay.xml", Path.GetFileName(file));
        Assert.NotEmpty(Doppel.Engine.Evaluation.PanXml.ReadDetections(file));
    }

    [Fact]
    public void Index_errors_are_one_line_with_their_exit_codes()
    {
        var missing = Run("index", "list", "--index", Idx);
        Assert.Equal(InputError, missing.Code);
        AssertOneLineError(missing);
        Assert.Contains("no index here", missing.Err);

        TempFile("idx/index.db", System.Text.Encoding.UTF8.GetBytes("not a database at all, just some text in a file"));
        var foreign = Run("check", Example("essay.txt"), "--index", Idx);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, foreign.Code);
        AssertOneLineError(foreign);
        Assert.Contains("not a Doppel index", foreign.Err);

        var both = Run("check", Example("essay.txt"), "--index", Idx, "--against", Examples);
        Assert.Equal(Usage, both.Code);
        var panWithoutDir = Run("check", Example("essay.txt"), "--index", Idx, "--format", "pan");
        Assert.Equal(Usage, panWithoutDir.Code);
    }

    [Fact]
    public void The_index_location_can_come_from_the_environment()
    {
        Corpus();
        string previous = Environment.GetEnvironmentVariable("DOPPEL_INDEX") ?? "";
        try
        {
            Environment.SetEnvironmentVariable("DOPPEL_INDEX", Idx);
            Assert.Equal(Ok, Run("index", "add", Path.Combine(Temp, "corpus", "essay.txt"), "-q").Code);
            Assert.True(SqliteReferenceIndex.Exists(Idx));
            Assert.StartsWith("essay.txt\t", Run("index", "list").Out);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOPPEL_INDEX", previous.Length == 0 ? null : previous);
        }
    }

    /// <summary>Kills a real <c>doppel index add</c> process with SIGKILL in the middle of its batch: the index
    /// opens, passes SQLite's integrity check, holds at least every document it held before the kill, each intact;
    /// and a second run completes the batch.</summary>
    [Fact]
    public void Sigkill_during_add_keeps_every_committed_document()
    {
        string corpus = Corpus(fillers: 1500);
        string dll = Path.Combine(AppContext.BaseDirectory, "doppel.dll");
        Assert.True(File.Exists(dll), dll);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { dll, "index", "add", corpus, "--index", Idx, "--batch", "20" }) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        child.ErrorDataReceived += (_, _) => { };
        child.BeginErrorReadLine();

        // Wait until some batches are committed, note how many, then kill without warning.
        long before = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !child.HasExited)
        {
            if (SqliteReferenceIndex.Exists(Idx))
            {
                try
                {
                    using var idx = SqliteReferenceIndex.Open(Idx, create: false);
                    using var snap = idx.OpenSnapshot();
                    before = snap.DocumentCount;
                }
                catch (IndexException) { } // the schema is being created
            }
            if (before >= 100) break;
            Thread.Sleep(20);
        }
        Assert.False(child.HasExited, "the add finished before it could be killed; make the batch larger");
        child.Kill(); // SIGKILL on Unix
        child.WaitForExit();
        Assert.True(before >= 100);

        using (var idx = SqliteReferenceIndex.Open(Idx, create: false))
        {
            var docs = idx.List();
            Assert.True(docs.Count >= before, $"{docs.Count} documents after the kill, {before} seen before it");
            Assert.True(docs.Count < 1502, "killed mid-batch");
            using var snap = idx.OpenSnapshot();
            foreach (var d in docs.Where(d => d.Id.StartsWith("filler/")))
            {
                string original = File.ReadAllText(Path.Combine(corpus, d.Id));
                Assert.Equal(original, snap.ReadText(d.Number));
            }
        }
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Idx, "index.db")};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", cmd.ExecuteScalar());
        }

        var rest = Run("index", "add", corpus, "--index", Idx, "-q");
        Assert.Equal(Ok, rest.Code);
        Assert.Equal(1502, Run("index", "list", "--index", Idx).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
