using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.Engine.Index;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace Doppel.Tests.Cli;

/// <summary>
/// Corrupts copies of real indexes in many deterministic ways and runs the CLI on each: a damaged index must give
/// exit 6 with one line, or (when the damage is where a command does not read) the intact index's very result,
/// never a different result with exit 0 and never an internal error (exit 1).
/// </summary>
public class IndexCorruptionTests(ITestOutputHelper output) : CliHarness
{
    private static readonly string V1Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "index-v1");
    private const int PageSize = 4096;

    /// <summary>One way of damaging <c>index.db</c>; <c>null</c> from <see cref="Apply"/> when it does not apply
    /// to that index (a column version 1 lacks).</summary>
    private sealed record Corruption(string Name, Func<string, bool> Apply);

    /// <summary>The commands run on every copy, in order; the last three change the index.</summary>
    private static readonly string[] Steps = ["check", "list", "stats", "verify", "add", "list after add", "optimize", "check after optimize"];

    [Fact]
    public void A_damaged_index_gives_exit_6_or_the_intact_result_never_a_wrong_answer_nor_an_internal_error()
    {
        var clock = Stopwatch.StartNew();
        string query = Query();
        var bases = new List<(string Name, string Dir)> { ("batches", BuildBase(optimize: false)), ("optimized", BuildBase(optimize: true)), ("v1", V1Base()) };
        var failures = new List<string>();
        // Outcome counts per step: "same" (exit 0, intact result) or "exit N".
        var outcomes = Steps.ToDictionary(s => s, _ => new SortedDictionary<string, int>());
        int runs = 0, undetected = 0, copies = 0;
        var v1Wrong = new List<string>();
        var undetectedNames = new List<string>();

        foreach (var (baseName, baseDir) in bases)
        {
            var intact = RunSteps(Copy(baseDir, $"{baseName}-intact"), query);
            Assert.All(Steps, s => Assert.True(intact[s].Code == Ok, $"{baseName} intact: {s} exit {intact[s].Code}: {intact[s].Err}"));
            Assert.Equal("", intact["verify"].Out);

            foreach (var c in Corruptions(new FileInfo(Path.Combine(baseDir, SqliteReferenceIndex.FileName)).Length))
            {
                string dir = Copy(baseDir, $"{baseName}-{copies++}");
                if (!c.Apply(Path.Combine(dir, SqliteReferenceIndex.FileName))) continue;
                runs++;
                var got = RunSteps(dir, query);
                foreach (var step in Steps)
                {
                    var (code, outText, err) = got[step];
                    // After a refused add, the index is as it was: the list is the intact one before the add.
                    var expected = step == "list after add" && got["add"].Code != Ok ? intact["list"] : intact[step];
                    string where = $"{baseName} / {c.Name} / {step}";
                    if (code == Ok)
                    {
                        bool same = outText == expected.Out;
                        // Version 1 has no checksums: only what decoding shows is caught, so a changed field reads
                        // as it is (counted, not failed); the current format must catch everything it reads.
                        if (!same && baseName != "v1") failures.Add($"{where}: exit 0 with a result that differs from the intact index's");
                        if (!same && baseName == "v1") v1Wrong.Add($"{c.Name} / {step}");
                        string key = same ? "same" : "DIFFERENT (v1)";
                        outcomes[step][key] = outcomes[step].GetValueOrDefault(key) + 1;
                        continue;
                    }
                    outcomes[step][$"exit {code}"] = outcomes[step].GetValueOrDefault($"exit {code}") + 1;
                    if (code != Doppel.Cli.ExitCodes.IndexError) failures.Add($"{where}: exit {code}: {err.Trim()}");
                    else if (err.Split('\n', StringSplitOptions.RemoveEmptyEntries) is not [var line] || !line.StartsWith("doppel: ") || line.Contains("Exception"))
                        failures.Add($"{where}: not one line: {err.Trim()}");
                }
                if (got["verify"].Code == Ok && baseName != "v1")
                {
                    undetected++;
                    undetectedNames.Add($"{baseName} / {c.Name}");
                }
            }
        }

        output.WriteLine($"{runs} corrupted copies, {runs * Steps.Length} runs, {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var step in Steps)
            output.WriteLine($"  {step,-22} {StepTime[step],5:F1} s  {string.Join(", ", outcomes[step].Select(o => $"{o.Key} {o.Value}"))}");
        output.WriteLine($"verify found nothing in {undetected} (every other command then gave the intact result): {string.Join("; ", undetectedNames)}");
        output.WriteLine($"version 1, exit 0 with another result in {v1Wrong.Count} runs: {string.Join("; ", v1Wrong)}");
        Assert.True(runs >= 150, $"{runs} corruptions");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        // Damage that no command notices is damage to bytes nothing reads (free space in a page, say); a handful.
        Assert.True(undetected <= runs / 10, $"verify found nothing in {undetected} of {runs} copies");
    }

    /// <summary>The documents checked: the paraphrase of the essay, and a mix of a filler and the web page.</summary>
    private string Query()
    {
        string mix = string.Concat(File.ReadAllText(Path.Combine(V1Fixture, "docs", "filler0.txt")).AsSpan(0, 600), "\n\n",
            File.ReadAllText(Path.Combine(V1Fixture, "docs", "web-page.txt")).AsSpan(0, 2000));
        TempFile("query/mix.txt", Encoding.UTF8.GetBytes(mix));
        return Path.Combine(Temp, "query", "mix.txt");
    }

    /// <summary>A current-format index built as the version-1 fixture was: five documents, then a copy (an alias),
    /// then a changed document (a dead number), three add batches.</summary>
    private string BuildBase(bool optimize)
    {
        string dir = Path.Combine(Temp, optimize ? "base-optimized" : "base-batches");
        string docs = Path.Combine(Temp, "docs");
        string filler2 = Path.Combine(docs, "filler2.txt"), changed = Path.Combine(V1Fixture, "docs", "filler2.txt");
        if (!Directory.Exists(docs))
        {
            Directory.CreateDirectory(docs);
            foreach (var f in Directory.GetFiles(Path.Combine(V1Fixture, "docs"))) File.Copy(f, Path.Combine(docs, Path.GetFileName(f)));
        }
        File.WriteAllText(filler2, File.ReadAllText(changed).Replace("A changed closing line.\n", ""));
        Assert.Equal(Ok, Run("index", "add", docs, "--index", dir, "-q").Code);
        Assert.Equal(Ok, Run("index", "add", Path.Combine(V1Fixture, "essay-copy.txt"), "--index", dir, "-q").Code);
        File.Copy(changed, filler2, overwrite: true);
        Assert.Equal(Ok, Run("index", "add", docs, "--index", dir, "-q").Code);
        if (optimize) Assert.Equal(Ok, Run("index", "optimize", "--index", dir, "-q").Code);
        return dir;
    }

    private string V1Base()
    {
        string dir = Path.Combine(Temp, "base-v1");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(V1Fixture, SqliteReferenceIndex.FileName), Path.Combine(dir, SqliteReferenceIndex.FileName));
        return dir;
    }

    /// <summary>A copy of the index file alone (every base is checkpointed: no log beside it).</summary>
    private string Copy(string baseDir, string name)
    {
        string dir = Path.Combine(Temp, "copies", name);
        Directory.CreateDirectory(dir);
        Assert.False(File.Exists(Path.Combine(baseDir, SqliteReferenceIndex.FileName + "-wal")) && new FileInfo(Path.Combine(baseDir, SqliteReferenceIndex.FileName + "-wal")).Length > 0);
        File.Copy(Path.Combine(baseDir, SqliteReferenceIndex.FileName), Path.Combine(dir, SqliteReferenceIndex.FileName));
        return dir;
    }

    private readonly Dictionary<string, double> StepTime = [];

    private Dictionary<string, Result> RunSteps(string dir, string mix)
    {
        Result Norm(Result r) => r with { Out = r.Out.Replace(dir, "IDX") };
        string added = Path.Combine(Temp, "added", "new-document.txt");
        if (!File.Exists(added)) TempFile("added/new-document.txt", Encoding.UTF8.GetBytes(Doppel.Tests.Index.TestTexts.Filler(77)));
        string[] check = ["check", Example("essay-paraphrased.txt"), mix, "--index", dir, "--format", "json", "-q"];
        var results = new Dictionary<string, Result>();
        void Step(string name, Func<Result> run)
        {
            var sw = Stopwatch.StartNew();
            results[name] = run();
            StepTime[name] = StepTime.GetValueOrDefault(name) + sw.Elapsed.TotalSeconds;
        }
        Step("check", () => Norm(Run(check)));
        Step("list", () => Norm(Run("index", "list", "--index", dir)));
        Step("stats", () => Stats(Run("index", "stats", "--index", dir, "--format", "json")));
        Step("verify", () => Norm(Run("index", "verify", "--index", dir, "-q")));
        Step("add", () => Norm(Run("index", "add", added, "--index", dir, "-q")));
        Step("list after add", () => Norm(Run("index", "list", "--index", dir)));
        Step("optimize", () => Norm(Run("index", "optimize", "--index", dir, "-q")));
        Step("check after optimize", () => Norm(Run(check)));
        return results;
    }

    /// <summary>Stats without what a damaged copy may differ in without being wrong: its path and its size on disk.</summary>
    private static Result Stats(Result r)
    {
        if (r.Code != Ok) return r;
        var json = JsonNode.Parse(r.Out)!.AsObject();
        json.Remove("location");
        json.Remove("diskBytes");
        return r with { Out = json.ToJsonString() };
    }

    private static IEnumerable<Corruption> Corruptions(long fileLength)
    {
        // Through SQL, as someone with sqlite3 (or a bug) would: the checksums are left as they were.
        yield return Sql("texts cut in half", "UPDATE texts SET data = substr(data, 1, length(data) / 2)");
        yield return Sql("one text cut short", "UPDATE texts SET data = substr(data, 1, length(data) - 1) WHERE doc = (SELECT min(doc) FROM texts)");
        yield return Sql("one text one byte longer", "UPDATE texts SET data = data || x'00' WHERE doc = (SELECT max(doc) FROM texts)");
        yield return Sql("texts swapped", """
            UPDATE texts SET data = CASE doc WHEN (SELECT min(doc) FROM texts) THEN (SELECT data FROM texts WHERE doc = (SELECT max(doc) FROM texts))
                ELSE (SELECT data FROM texts WHERE doc = (SELECT min(doc) FROM texts)) END
            WHERE doc IN ((SELECT min(doc) FROM texts), (SELECT max(doc) FROM texts))
            """);
        yield return Sql("a text emptied", "UPDATE texts SET data = x'' WHERE doc = (SELECT min(doc) FROM texts)");
        yield return Sql("posting blocks cut in half", "UPDATE postings SET data = substr(data, 1, length(data) / 2)");
        yield return Sql("posting blocks one byte longer", "UPDATE postings SET data = data || x'01'");
        yield return Sql("posting blocks swapped", """
            UPDATE postings SET data = CASE bucket WHEN (SELECT min(bucket) FROM postings) THEN (SELECT data FROM postings WHERE bucket = (SELECT max(bucket) FROM postings) LIMIT 1)
                ELSE (SELECT data FROM postings WHERE bucket = (SELECT min(bucket) FROM postings) LIMIT 1) END
            WHERE bucket IN ((SELECT min(bucket) FROM postings), (SELECT max(bucket) FROM postings))
            """);
        yield return Sql("every posting block moved to the next segment", "UPDATE postings SET seg = seg + 1000003");
        yield return Sql("a document's length changed", "UPDATE docs SET chars = chars + 1 WHERE doc = (SELECT min(doc) FROM docs)");
        yield return Sql("key counts changed", "UPDATE docs SET nkeys = nkeys * 3");
        yield return Sql("an id changed", "UPDATE docs SET id = id || 'x' WHERE doc = (SELECT min(doc) FROM docs)");
        yield return Sql("a title changed", "UPDATE docs SET title = 'another title' WHERE doc = (SELECT max(doc) FROM docs)");
        yield return Sql("a content hash changed", "UPDATE docs SET hash = zeroblob(32) WHERE doc = (SELECT min(doc) FROM docs)");
        yield return Sql("a date changed", "UPDATE docs SET added = 'yesterday'");
        yield return Sql("a text length changed", "UPDATE docs SET textbytes = textbytes + 1 WHERE doc = (SELECT min(doc) FROM docs)");
        yield return Sql("a document row deleted", "DELETE FROM docs WHERE doc = (SELECT min(doc) FROM docs)");
        yield return Sql("a text row deleted", "DELETE FROM texts WHERE doc = (SELECT max(doc) FROM texts)");
        yield return Sql("a live document marked dead", "INSERT INTO dead (doc) SELECT min(doc) FROM docs", "INSERT INTO dead (doc, sum) SELECT min(doc), 0 FROM docs");
        yield return Sql("the dead list emptied", "DELETE FROM dead WHERE (SELECT count(*) FROM dead) > 0", requireChange: true);
        yield return Sql("an alias moved to another document", "UPDATE aliases SET doc = (SELECT max(doc) FROM docs)");
        yield return Sql("an alias's document gone", "UPDATE aliases SET doc = 999");
        yield return Sql("the segment counter garbled", "UPDATE meta SET value = 'many' WHERE name = 'segments'");
        yield return Sql("the segment counter set back", "UPDATE meta SET value = '0' WHERE name = 'segments'");
        yield return Sql("the format name changed", "UPDATE meta SET value = 'other' WHERE name = 'format'");
        for (int seed = 0; seed < 6; seed++) yield return RandomBytesInBlob("texts", "doc", seed);
        for (int seed = 0; seed < 8; seed++) yield return RandomBytesInBlob("postings", "bucket, seg", seed);

        // In the file, as a failing disk or a bad copy would: regions flipped (every byte changed) or zeroed, bytes
        // flipped, pages swapped or repeated, the file cut short, the header zeroed.
        for (int i = 0; i < 16; i++)
        {
            long at = fileLength * i / 16 + new Random(i).Next(PageSize);
            yield return InFile($"4 KB flipped at {at}", b => Flip(b, at, PageSize, new Random(100 + i)));
        }
        for (int i = 0; i < 10; i++)
        {
            var rng = new Random(200 + i);
            long at = rng.NextInt64(100, fileLength);
            yield return InFile($"one byte flipped at {at}", b => Flip(b, at, 1, rng));
        }
        for (int i = 0; i < 4; i++)
        {
            long at = fileLength * (2 * i + 1) / 8;
            yield return InFile($"4 KB zeroed at {at}", b => Array.Clear(b, (int)at, (int)Math.Min(PageSize, b.Length - at)));
        }
        yield return InFile("header zeroed", b => Array.Clear(b, 0, 100));
        yield return InFile("first page zeroed", b => Array.Clear(b, 0, PageSize));
        yield return InFile("page size garbled", b => b[16] = 0x03);
        yield return InFile("pages 2 and 3 swapped", b => SwapPages(b, 1, 2));
        yield return InFile("last two pages swapped", b => SwapPages(b, b.Length / PageSize - 2, b.Length / PageSize - 1));
        yield return InFile("a middle page repeated", b => Array.Copy(b, b.Length / 2 / PageSize * PageSize, b, (b.Length / 2 / PageSize + 1) * PageSize, PageSize));
        foreach (double share in new[] { 0.5, 0.9, 0.999 })
            yield return Truncate($"cut to {share:P1}", (long)(fileLength * share));
        yield return Truncate("cut to one page", PageSize);
        yield return Truncate("cut to 100 bytes", 100);
    }

    private static Corruption Sql(string name, string sql, string? sqlV2 = null, bool requireChange = false) => new(name, db =>
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM pragma_table_info('docs') WHERE name = 'sum'";
        bool v2 = (long)cmd.ExecuteScalar()! > 0;
        cmd.CommandText = v2 && sqlV2 != null ? sqlV2 : sql;
        int changed;
        try
        {
            changed = cmd.ExecuteNonQuery();
        }
        catch (SqliteException) when (!v2)
        {
            return false; // a column version 1 does not have
        }
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        cmd.ExecuteNonQuery();
        return !requireChange || changed > 0;
    });

    /// <summary>1 to 8 random bytes written over one blob chosen by the seed.</summary>
    private static Corruption RandomBytesInBlob(string table, string key, int seed) => new($"random bytes in {table} (seed {seed})", db =>
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {key}, data FROM {table} ORDER BY {key}";
        var rows = new List<(object[] Key, byte[] Data)>();
        using (var r = cmd.ExecuteReader())
            while (r.Read()) rows.Add((Enumerable.Range(0, r.FieldCount - 1).Select(r.GetValue).ToArray(), (byte[])r[r.FieldCount - 1]));
        var rng = new Random(1000 + seed);
        var (keys, data) = rows[rng.Next(rows.Count)];
        int n = rng.Next(1, 9);
        for (int i = 0; i < n; i++) data[rng.Next(data.Length)] ^= (byte)rng.Next(1, 256);
        var names = key.Split(", ");
        cmd.CommandText = $"UPDATE {table} SET data = $data WHERE " + string.Join(" AND ", names.Select((k, i) => $"{k} = $k{i}"));
        cmd.Parameters.AddWithValue("$data", data);
        for (int i = 0; i < names.Length; i++) cmd.Parameters.AddWithValue($"$k{i}", keys[i]);
        cmd.ExecuteNonQuery();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        cmd.ExecuteNonQuery();
        return true;
    });

    private static Corruption InFile(string name, Action<byte[]> change) => new(name, db =>
    {
        var bytes = System.IO.File.ReadAllBytes(db);
        change(bytes);
        System.IO.File.WriteAllBytes(db, bytes);
        return true;
    });

    private static Corruption Truncate(string name, long length) => new(name, db =>
    {
        using var f = new FileStream(db, FileMode.Open);
        f.SetLength(Math.Min(length, f.Length - 1));
        return true;
    });

    /// <summary>Every byte of the region changed (XOR with a non-zero random byte).</summary>
    private static void Flip(byte[] b, long at, int length, Random rng)
    {
        for (long i = at; i < Math.Min(b.Length, at + length); i++) b[i] ^= (byte)rng.Next(1, 256);
    }

    private static void SwapPages(byte[] b, int p, int q)
    {
        var tmp = b.AsSpan(p * PageSize, PageSize).ToArray();
        Array.Copy(b, q * PageSize, b, p * PageSize, PageSize);
        tmp.CopyTo(b, q * PageSize);
    }
}
