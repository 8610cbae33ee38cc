using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Doppel.Engine.Index;

public sealed partial class SqliteReferenceIndex
{
    /// <summary>Problems listed at most; a badly damaged file could otherwise list every row.</summary>
    private const int MaxProblems = 1000;

    /// <summary>
    /// Checks the whole index, in one read transaction: SQLite's <c>PRAGMA integrity_check</c> (the file's
    /// structure: pages, B-trees, SQL indexes), every row's checksum, every text's length, and that texts, aliases
    /// and dead numbers refer to what they should; every posting block is decoded and must name only stored or
    /// removed documents. A version-1 index, without checksums, has every text decompressed and checked against its
    /// content hash instead. Returns one line per problem, none when the index is intact.
    /// </summary>
    public IReadOnlyList<string> Verify() => Guard(() =>
    {
        var problems = new List<string>();
        int more = 0;
        void Report(string problem)
        {
            if (problems.Count < MaxProblems) problems.Add(problem);
            else more++;
        }
        using var tx = _conn.BeginTransaction(deferred: true);

        // Each step goes on past damaged rows; one that SQLite cannot read any further is reported and ends.
        // Returns the rows read, damaged or not.
        long Step(string table, string sql, Action<SqliteDataReader> row)
        {
            long rows = 0;
            try
            {
                using var cmd = Command(sql, tx);
                using var r = cmd.ExecuteReader();
                for (; r.Read(); rows++)
                {
                    try
                    {
                        row(r);
                    }
                    catch (IndexException e) when (e.Problem != null)
                    {
                        Report(e.Problem);
                    }
                }
            }
            catch (SqliteException e)
            {
                Report($"{table}: {ToIndexError(Location, e).Problem ?? e.Message}");
            }
            return rows;
        }

        Step("SQLite integrity check", "PRAGMA integrity_check", r =>
        {
            string line = r.IsDBNull(0) ? "" : r.GetString(0);
            if (line != "ok") Report($"SQLite integrity check: {line}");
        });

        var meta = new Dictionary<string, string>();
        Step("meta", $"SELECT name, value, {_rows.Sum()} FROM meta", r =>
        {
            string name = _rows.Text(r, 0, "meta"), value = _rows.Text(r, 1, $"meta '{name}'");
            if (_rows.Checksums) _rows.Check(r, 2, _rows.MetaSum(name, value), $"meta '{name}'");
            meta[name] = value;
        });
        string version = _rows.Version.ToString(CultureInfo.InvariantCulture);
        if (meta.GetValueOrDefault("format") != "doppel-index") Report("meta 'format': missing or not 'doppel-index'");
        if (meta.GetValueOrDefault("version") != version) Report($"meta 'version': missing or not {version} (the file's format version)");
        if (!long.TryParse(meta.GetValueOrDefault("segments"), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            Report("meta 'segments': missing or not a number");

        var docs = new Dictionary<long, StoredDoc>();
        var withText = new HashSet<long>();
        var counted = new RowCounts();
        counted.Docs = Step("docs", $"SELECT {_rows.DocColumns} FROM docs d NOT INDEXED", r =>
        {
            var d = _rows.ReadDoc(r, 0);
            docs[d.Number] = d;
        });

        Step("texts", $"SELECT doc, data, {_rows.Sum()} FROM texts NOT INDEXED", r =>
        {
            long number = _rows.Int(r, 0, "text");
            byte[] data = _rows.Blob(r, 1, $"text of document {number}");
            withText.Add(number);
            if (!docs.TryGetValue(number, out var d))
            {
                if (_rows.Checksums) _rows.Check(r, 2, _rows.TextSum(number, data), $"text of document {number}");
                Report($"text of document {number}: belongs to no document");
            }
            else if (_rows.Checksums)
            {
                // The checksum proves the bytes are the ones written; decompressing them again would prove nothing.
                _rows.Check(r, 2, _rows.TextSum(number, data), $"text of document {number} ('{d.Id}')");
                if (data.Length != d.TextBytes)
                    Report($"text of document {number} ('{d.Id}'): {data.Length} bytes where the document says {d.TextBytes}");
            }
            else
            {
                _rows.ReadText(number, d.Id, data, r, 2, d.Hash);
            }
        });
        foreach (var d in docs.Values)
            if (!withText.Contains(d.Number)) Report($"text of document {d.Number} ('{d.Id}'): missing");

        var dead = new HashSet<long>();
        counted.Dead = Step("dead", $"SELECT doc, {_rows.Sum()} FROM dead", r =>
        {
            long number = _rows.ReadDead(r);
            dead.Add(number);
            if (docs.TryGetValue(number, out var d)) Report($"dead document {number}: is live ('{d.Id}')");
        });

        // Every block is decoded, and every number it holds must be a stored or a removed document's (numbers are
        // never reused, and optimize drops dead postings together with the dead list). Each unknown number is
        // reported once, with the first block that names it.
        var unknownReported = new HashSet<long>();
        counted.Blocks = Step("postings", $"SELECT bucket, seg, data, {_rows.Sum()} FROM postings", r =>
        {
            long bucket = _rows.Int(r, 0, "posting block");
            long seg = _rows.ReadSegment(r, 1, bucket);
            byte[] data = _rows.ReadBlock(r, 2, bucket, seg);
            if (bucket is < 0 or >= 1 << PostingBlock.BucketBits) Report($"{Rows.BlockName(bucket, seg)}: no such bucket");
            long unknown = 0;
            try
            {
                PostingBlock.Decode(data, (_, doc) => { if (unknown == 0 && !docs.ContainsKey(doc) && !dead.Contains(doc)) unknown = doc; });
            }
            catch (InvalidDataException e)
            {
                throw _rows.Undecodable(bucket, seg, e);
            }
            if (unknown != 0 && unknownReported.Add(unknown)) Report($"{Rows.BlockName(bucket, seg)}: names document {unknown}, which is neither stored nor removed");
        });

        counted.Aliases = Step("aliases", $"SELECT id, doc, {_rows.Sum()} FROM aliases", r =>
        {
            var (id, number) = _rows.ReadAlias(r, 0);
            if (!docs.ContainsKey(number)) Report($"alias '{id}': its document {number} is missing");
        });

        if (_rows.HasVectors)
        {
            Step("vectors", "SELECT doc, tag, data, sum FROM vectors NOT INDEXED", r =>
            {
                long number = _rows.Int(r, 0, "vectors");
                var v = _rows.ReadVectors(r, 1, number);
                if (!docs.ContainsKey(number)) Report($"vectors of document {number}: belong to no document");
                try
                {
                    Semantic.UnitVectorCodec.Decode(v.Data, v.Tag);
                }
                catch (InvalidDataException e)
                {
                    Report($"vectors of document {number}: cannot be decoded ({e.Message})");
                }
            });
        }

        if (_rows.Checksums)
        {
            var stored = RowCounts.Parse(meta.GetValueOrDefault(RowCounts.MetaName) ?? "");
            if (stored == null) Report($"meta '{RowCounts.MetaName}': missing or not four counts");
            else if (counted.Mismatch(stored) is { } lost) Report(lost);
        }

        if (more > 0) problems.Add($"{more} more problems not listed");
        return (IReadOnlyList<string>)problems;
    });

    /// <summary>Throws the damaged-index error when <see cref="Verify"/> finds any problem.</summary>
    private void RefuseIfDamaged(string consequence)
    {
        var problems = Verify();
        if (problems.Count == 0) return;
        string more = problems.Count > 1 ? $" (and {problems.Count - 1} more: 'doppel index verify' lists them)" : "";
        throw Damage(Location, $"{problems[0]}{more}; {consequence}");
    }

    /// <summary>
    /// Before the first write to a version-1 index: gives every row its checksum and every document its text length,
    /// in one transaction, and marks the file version 2. A damaged index is refused (after <see cref="Verify"/>), so
    /// that damage is never sealed under a valid checksum. Returns whether it upgraded (and so verified) the index.
    /// </summary>
    private bool UpgradeToCurrentFormat()
    {
        if (_rows.Version >= FormatVersion) return false;
        bool verified = _rows.Version < ChecksumVersion && UpgradeToChecksums();
        // 2 -> 3: an empty vectors table; no row changes, so nothing is sealed and nothing needs verifying.
        using var tx = _conn.BeginTransaction(deferred: false);
        if (Scalar<long>("PRAGMA user_version", tx) < FormatVersion)
        {
            Exec(VectorsTable, tx);
            WriteMeta("version", FormatVersion.ToString(CultureInfo.InvariantCulture), tx);
            Exec($"PRAGMA user_version = {FormatVersion}", tx);
        }
        tx.Commit();
        _rows = new Rows(Location, FormatVersion);
        return verified;
    }

    /// <summary>Version 1 to 2 (see <see cref="UpgradeToCurrentFormat"/>); returns true (it verified the index).</summary>
    private bool UpgradeToChecksums()
    {
        RefuseIfDamaged($"not upgraded to format version {FormatVersion}");
        var v2 = new Rows(Location, ChecksumVersion);
        using var tx = _conn.BeginTransaction(deferred: false);
        if (Scalar<long>("PRAGMA user_version", tx) >= ChecksumVersion)
        {
            tx.Commit(); // another process upgraded it meanwhile
            _rows = v2;
            return true;
        }
        Exec("""
            ALTER TABLE meta ADD COLUMN sum INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE docs ADD COLUMN textbytes INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE docs ADD COLUMN sum INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE texts ADD COLUMN sum INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE postings ADD COLUMN sum INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE dead ADD COLUMN sum INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE aliases ADD COLUMN sum INTEGER NOT NULL DEFAULT 0;
            """, tx);

        // Each table is read whole first, then its rows updated (no statement reads a table while another writes it).
        void Seal(string select, string update, Func<SqliteDataReader, object[]> parameters)
        {
            var rows = new List<object[]>();
            using (var read = Command(select, tx))
            using (var r = read.ExecuteReader())
                while (r.Read()) rows.Add(parameters(r));
            if (rows.Count == 0) return;
            using var write = Command(update, tx, Enumerable.Range(0, rows[0].Length).Select(i => $"$p{i}").ToArray());
            foreach (var values in rows)
            {
                SetParameters(write, values);
                write.ExecuteNonQuery();
            }
        }
        var old = _rows;
        Seal("SELECT name, value FROM meta", "UPDATE meta SET value = $p1, sum = $p2 WHERE name = $p0", r =>
        {
            string name = r.GetString(0);
            string value = name == "version" ? ChecksumVersion.ToString(CultureInfo.InvariantCulture) : r.GetString(1);
            return [name, value, v2.MetaSum(name, value)];
        });
        Seal($"SELECT {old.DocColumns}, length(t.data) FROM docs d JOIN texts t ON t.doc = d.doc", "UPDATE docs SET textbytes = $p1, sum = $p2 WHERE doc = $p0", r =>
        {
            var d = old.ReadDoc(r, 0) with { TextBytes = r.GetInt64(Rows.DocColumnCount) };
            return [d.Number, d.TextBytes, v2.DocSum(d)];
        });
        Seal("SELECT doc, data FROM texts", "UPDATE texts SET sum = $p1 WHERE doc = $p0", r =>
        {
            long number = r.GetInt64(0);
            return [number, v2.TextSum(number, r.GetFieldValue<byte[]>(1))];
        });
        Seal("SELECT bucket, seg, data FROM postings", "UPDATE postings SET sum = $p2 WHERE bucket = $p0 AND seg = $p1", r =>
        {
            long bucket = r.GetInt64(0), seg = r.GetInt64(1);
            return [bucket, seg, v2.PostingSum(bucket, seg, r.GetFieldValue<byte[]>(2))];
        });
        Seal("SELECT doc FROM dead", "UPDATE dead SET sum = $p1 WHERE doc = $p0", r => [r.GetInt64(0), v2.DeadSum(r.GetInt64(0))]);
        Seal("SELECT id, doc FROM aliases", "UPDATE aliases SET sum = $p1 WHERE id = $p0", r => [r.GetString(0), v2.AliasSum(r.GetString(0), r.GetInt64(1))]);
        Exec($"INSERT INTO meta (name, value) VALUES ('{RowCounts.MetaName}', '')", tx);
        Seal($"SELECT '{RowCounts.MetaName}', (SELECT count(*) FROM docs), (SELECT count(*) FROM aliases), (SELECT count(*) FROM dead), (SELECT count(*) FROM postings)",
            "UPDATE meta SET value = $p1, sum = $p2 WHERE name = $p0", r =>
            {
                string value = new RowCounts { Docs = r.GetInt64(1), Aliases = r.GetInt64(2), Dead = r.GetInt64(3), Blocks = r.GetInt64(4) }.ToString();
                return [RowCounts.MetaName, value, v2.MetaSum(RowCounts.MetaName, value)];
            });
        Exec($"PRAGMA user_version = {ChecksumVersion}", tx);
        tx.Commit();
        _rows = v2;
        return true;
    }
}
