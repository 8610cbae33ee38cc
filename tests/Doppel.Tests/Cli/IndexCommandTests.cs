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

    /// <summary>The cases of issue 14: text blobs cut in half gave exit 0 and a lower share; random bytes in posting
    /// blocks an internal error; a 4 KB region flipped mid-file passed everything but SQLite's integrity check.</summary>
    [Fact]
    public void A_damaged_index_is_exit_6_naming_what_is_damaged_and_verify_lists_every_problem()
    {
        Assert.Equal(Ok, Run("index", "add", Corpus(), "--index", Idx, "-q").Code);
        var intactCheck = Run("check", Example("essay-paraphrased.txt"), "--index", Idx, "--format", "json");
        var intactList = Run("index", "list", "--index", Idx);
        Assert.Equal(Ok, Run("index", "verify", "--index", Idx).Code);
        string db = Path.Combine(Idx, SqliteReferenceIndex.FileName);
        byte[] intact = File.ReadAllBytes(db);

        Sql(db, "UPDATE texts SET data = substr(data, 1, length(data) / 2)");
        var check = Run("check", Example("essay-paraphrased.txt"), "--index", Idx);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, check.Code);
        AssertOneLineError(check);
        Assert.Contains("damaged index: text of document", check.Err);
        Assert.Contains("'essay.txt'", check.Err);
        // list reads no text: its answer is still right, and verify still finds the damage, one line per text.
        Assert.Equal(intactList.Out, Run("index", "list", "--index", Idx).Out);
        var verify = Run("index", "verify", "--index", Idx);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, verify.Code);
        Assert.Equal(5, verify.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("text of document") && l.EndsWith("fails its checksum")));
        var optimize = Run("index", "optimize", "--index", Idx);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, optimize.Code);
        Assert.Contains("not optimized", optimize.Err);

        File.WriteAllBytes(db, intact);
        Sql(db, "UPDATE postings SET data = randomblob(length(data))");
        check = Run("check", Example("essay-paraphrased.txt"), "--index", Idx);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, check.Code);
        AssertOneLineError(check);
        Assert.Contains("damaged index: posting block (bucket ", check.Err);

        File.WriteAllBytes(db, intact);
        var flipped = (byte[])intact.Clone();
        var rng = new Random(14);
        for (int i = flipped.Length / 2; i < flipped.Length / 2 + 4096; i++) flipped[i] ^= (byte)rng.Next(1, 256);
        File.WriteAllBytes(db, flipped);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, Run("index", "verify", "--index", Idx).Code);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, Run("index", "optimize", "--index", Idx).Code);
        foreach (var args in new[] { new[] { "index", "list" }, ["index", "stats"], ["check", Example("essay-paraphrased.txt"), "--format", "json"] })
        {
            var r = Run([.. args, "--index", Idx]);
            Assert.True(r.Code == Doppel.Cli.ExitCodes.IndexError || r.Code == Ok, $"{string.Join(' ', args)}: exit {r.Code}: {r.Err}");
            if (r.Code == Ok && args[0] == "check") Assert.Equal(intactCheck.Out, r.Out);
            if (r.Code == Ok && args[1] == "list") Assert.Equal(intactList.Out, r.Out);
        }
    }

    /// <summary>An index written before checksums (format version 1, by the commit before them) is read, verified
    /// as far as decoding can, and upgraded to the current version by its first write; damaged, it is refused, not upgraded.</summary>
    [Fact]
    public void A_version_1_index_is_read_and_upgraded_by_the_first_write()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "index-v1");
        TempFile("idx/index.db", File.ReadAllBytes(Path.Combine(fixture, SqliteReferenceIndex.FileName)));
        TempFile("damaged/index.db", File.ReadAllBytes(Path.Combine(fixture, SqliteReferenceIndex.FileName)));
        string damaged = Path.Combine(Temp, "damaged");
        string[] expectedList =
        [
            "essay-copy.txt\t2399\tessay\t(same content as essay.txt)", "essay.txt\t2399\tessay", "filler0.txt\t1196\tfiller0",
            "filler1.txt\t1168\tfiller1", "filler2.txt\t1208\tfiller2", "web-page.txt\t4588\tCuban Missile Crisis: Resolution and analysis",
        ];
        Assert.Equal(expectedList, Run("index", "list", "--index", Idx).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var verify = Run("index", "verify", "--index", Idx);
        Assert.Equal(Ok, verify.Code);
        Assert.Contains("format version 1", verify.Err);
        var check = Run("check", Example("essay-paraphrased.txt"), "--index", Idx, "--format", "json");
        Assert.Equal(Ok, check.Code);
        var report = ComparisonReport.FromJson(check.Out);
        Assert.Equal("essay.txt", report.Sources[0].Name);

        Corpus(fillers: 1);
        Assert.Equal(Ok, Run("index", "add", Path.Combine(Temp, "corpus", "filler"), "--index", Idx, "-q").Code);
        using (var j = JsonDocument.Parse(Run("index", "stats", "--index", Idx, "--format", "json").Out))
        {
            Assert.Equal(SqliteReferenceIndex.FormatVersion, j.RootElement.GetProperty("formatVersion").GetInt32());
            Assert.Equal(6, j.RootElement.GetProperty("documents").GetInt64());
            Assert.Equal(1, j.RootElement.GetProperty("deadDocuments").GetInt64());
            // The text lengths recorded by the upgrade are the blobs' own.
            Assert.Equal(4244 + TextCodec.Compress(Doppel.Tests.Index.TestTexts.Filler(0)).Length, j.RootElement.GetProperty("compressedTextBytes").GetInt64());
        }
        Assert.Equal(Ok, Run("index", "verify", "--index", Idx).Code);
        var after = Run("index", "list", "--index", Idx).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expectedList, after.Where(l => !l.StartsWith("f0000.txt\t")));
        Assert.Single(after, l => l.StartsWith("f0000.txt\t"));
        Assert.Equal(check.Out, Run("check", Example("essay-paraphrased.txt"), "--index", Idx, "--format", "json").Out);

        // Damaged: the text's content hash gives it away (there is no checksum), and the write does not upgrade it.
        Sql(Path.Combine(damaged, SqliteReferenceIndex.FileName), "UPDATE texts SET data = substr(data, 1, length(data) / 2)");
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, Run("check", Example("essay-paraphrased.txt"), "--index", damaged).Code);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, Run("index", "verify", "--index", damaged).Code);
        var add = Run("index", "add", Example("web-page.txt"), "--index", damaged);
        Assert.Equal(Doppel.Cli.ExitCodes.IndexError, add.Code);
        Assert.Contains($"not upgraded to format version {SqliteReferenceIndex.FormatVersion}", add.Err);
        Assert.Contains("format version 1", Run("index", "stats", "--index", damaged).Out);
    }

    private static void Sql(string db, string sql)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql + "; PRAGMA wal_checkpoint(TRUNCATE)";
        cmd.ExecuteNonQuery();
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
