using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Doppel.Engine.Index;

/// <summary>
/// The embedded reference index: one directory holding one SQLite database (<c>index.db</c>) in WAL mode.
/// </summary>
/// <remarks>
/// <para>Why SQLite (docs/index.md): every <see cref="AddBatch"/> is one transaction, so a process killed at any
/// point leaves the last committed batch intact; WAL lets <c>check</c> read a consistent snapshot while <c>add</c>
/// writes; and the file is one portable, inspectable artefact.</para>
/// <para>Layout. <c>docs</c> holds one row per live document; <c>texts</c> its Brotli-compressed text;
/// <c>postings</c> one block per (bucket, segment) holding the posting lists of the bucket's keys for that segment,
/// where a segment is one add batch (see <see cref="PostingBlock"/>). Appending a segment never rewrites older rows,
/// so adding stays linear; a reader merges a bucket's blocks from every segment in one index range scan. Removing or replacing a document
/// deletes its row and records its number in <c>dead</c>; readers skip dead numbers (document numbers are never
/// reused).</para>
/// <para>Versioning. <c>PRAGMA application_id</c> marks the file as Doppel's and <c>PRAGMA user_version</c> carries
/// the format version; a foreign file or a newer version is refused with a message, never modified.</para>
/// </remarks>
public sealed class SqliteReferenceIndex : IReferenceIndex
{
    public const string FileName = "index.db";
    public const int FormatVersion = 1;
    /// <summary>"DPPL" in ASCII.</summary>
    public const int ApplicationId = 0x4450504C;

    private static readonly Lock InitLock = new();
    private static bool _initialised;

    private readonly SqliteConnection _conn;
    private readonly string _dbPath;

    public string Location { get; }

    private SqliteReferenceIndex(string directory, SqliteConnection conn, string dbPath)
    {
        Location = directory;
        _conn = conn;
        _dbPath = dbPath;
    }

    /// <summary>A further connection to the same database (each snapshot reads through its own).</summary>
    private SqliteConnection Connect()
    {
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _dbPath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60,
        }.ToString());
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 60000";
        cmd.ExecuteNonQuery();
        return conn;
    }

    /// <summary>True when <paramref name="directory"/> holds an index file.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Opens the index in <paramref name="directory"/>; creates it (and the directory) when
    /// <paramref name="create"/> is set.</summary>
    /// <exception cref="IndexException">Missing, foreign, newer or unreadable.</exception>
    public static SqliteReferenceIndex Open(string directory, bool create)
    {
        lock (InitLock)
        {
            if (!_initialised)
            {
                SQLitePCL.Batteries_V2.Init();
                _initialised = true;
            }
        }
        string full = Path.GetFullPath(directory);
        string db = Path.Combine(full, FileName);
        if (File.Exists(full))
            throw new IndexException(IndexErrorKind.Foreign, $"{directory}: is a file, not an index directory");
        if (!File.Exists(db))
        {
            if (!create)
                throw new IndexException(IndexErrorKind.NotFound, $"{directory}: no index here (create one with 'doppel index add')");
            try
            {
                Directory.CreateDirectory(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IndexException(IndexErrorKind.Storage, $"{directory}: cannot create the index directory: {e.Message}", e);
            }
        }

        var conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = db,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        try
        {
            conn.Open();
            var index = new SqliteReferenceIndex(full, conn, db);
            index.Initialise(directory, create);
            return index;
        }
        catch (SqliteException e)
        {
            conn.Dispose();
            throw e.SqliteErrorCode == 26 // SQLITE_NOTADB
                ? new IndexException(IndexErrorKind.Foreign, $"{directory}: {FileName} is not a Doppel index (not an SQLite database)", e)
                : new IndexException(IndexErrorKind.Storage, $"{directory}: cannot open the index: {e.Message}", e);
        }
        catch
        {
            conn.Dispose();
            throw;
        }
    }

    private void Initialise(string shownName, bool create)
    {
        Exec("PRAGMA busy_timeout = 60000");
        long appId = Scalar<long>("PRAGMA application_id");
        long version = Scalar<long>("PRAGMA user_version");
        long tables = Scalar<long>("SELECT count(*) FROM sqlite_master");
        if (tables == 0 && appId == 0)
        {
            // A new, empty database (or one whose creator has not committed yet): only add creates the schema,
            // in one immediate transaction, re-checked inside it in case another process got there first.
            if (!create)
                throw new IndexException(IndexErrorKind.NotFound, $"{shownName}: no index here (create one with 'doppel index add')");
            Exec("PRAGMA journal_mode = WAL");
            using var tx = _conn.BeginTransaction(deferred: false);
            if (Scalar<long>("SELECT count(*) FROM sqlite_master", tx) > 0)
            {
                tx.Rollback();
                Initialise(shownName, create);
                return;
            }
            Exec($"""
                PRAGMA application_id = {ApplicationId};
                PRAGMA user_version = {FormatVersion};
                CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE docs (doc INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                    hash BLOB NOT NULL, chars INTEGER NOT NULL, nkeys INTEGER NOT NULL, added TEXT NOT NULL);
                CREATE INDEX docs_hash ON docs (hash);
                CREATE TABLE texts (doc INTEGER PRIMARY KEY, data BLOB NOT NULL);
                CREATE TABLE postings (bucket INTEGER NOT NULL, seg INTEGER NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY (bucket, seg)) WITHOUT ROWID;
                CREATE TABLE dead (doc INTEGER PRIMARY KEY);
                CREATE TABLE aliases (id TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX aliases_doc ON aliases (doc);
                INSERT INTO meta VALUES ('format', 'doppel-index'), ('version', '{FormatVersion}'), ('segments', '0');
                """, tx);
            tx.Commit();
            Exec("PRAGMA synchronous = NORMAL");
            return;
        }
        if (appId != ApplicationId)
            throw new IndexException(IndexErrorKind.Foreign, $"{shownName}: {FileName} is not a Doppel index (foreign SQLite database)");
        if (version > FormatVersion)
            throw new IndexException(IndexErrorKind.NewerFormat,
                $"{shownName}: index format version {version} is newer than this doppel reads (version {FormatVersion}); upgrade doppel");
        if (version < 1)
            throw new IndexException(IndexErrorKind.Foreign, $"{shownName}: {FileName} has no Doppel format version");
        Exec("PRAGMA journal_mode = WAL");
        Exec("PRAGMA synchronous = NORMAL");
    }

    public IReadOnlyList<AddResult> AddBatch(IReadOnlyList<PreparedDocument> documents)
    {
        if (documents.Count == 0) return [];
        return Guard(() =>
        {
            using var tx = _conn.BeginTransaction();
            long segment = long.Parse(Scalar<string>("SELECT value FROM meta WHERE name = 'segments'", tx), CultureInfo.InvariantCulture) + 1;
            Exec($"UPDATE meta SET value = '{segment}' WHERE name = 'segments'", tx);

            using var byId = Command("SELECT doc, hash FROM docs WHERE id = $id", tx, "$id");
            using var byHash = Command("SELECT doc, id FROM docs WHERE hash = $hash LIMIT 1", tx, "$hash");
            using var insertAlias = Command("INSERT OR REPLACE INTO aliases (id, doc) VALUES ($id, $doc)", tx, "$id", "$doc");
            using var removeAlias = Command("DELETE FROM aliases WHERE id = $id", tx, "$id");
            using var insertDoc = Command(
                "INSERT INTO docs (id, title, hash, chars, nkeys, added) VALUES ($id, $title, $hash, $chars, $nkeys, $added) RETURNING doc",
                tx, "$id", "$title", "$hash", "$chars", "$nkeys", "$added");
            using var insertText = Command("INSERT INTO texts (doc, data) VALUES ($doc, $data)", tx, "$doc", "$data");
            string now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

            var results = new List<AddResult>(documents.Count);
            var postings = new List<(long Key, long Doc)>();
            foreach (var d in documents)
            {
                long? old = null;
                byId.Parameters[0].Value = d.Id;
                using (var r = byId.ExecuteReader())
                {
                    if (r.Read())
                    {
                        if (((byte[])r[1]).AsSpan().SequenceEqual(d.ContentHash))
                        {
                            results.Add(new AddResult(d.Id, AddOutcome.Unchanged));
                            continue;
                        }
                        old = r.GetInt64(0);
                    }
                }
                if (old == null && IsAliasOf(d.Id, d.ContentHash, tx))
                {
                    results.Add(new AddResult(d.Id, AddOutcome.Unchanged));
                    continue;
                }
                byHash.Parameters[0].Value = d.ContentHash;
                using (var r = byHash.ExecuteReader())
                {
                    if (r.Read() && r.GetString(1) != d.Id)
                    {
                        // Same content under another id: stored once, the new id kept as an alias of it.
                        if (old is long replaced) Delete(replaced, tx);
                        insertAlias.Parameters[0].Value = d.Id;
                        insertAlias.Parameters[1].Value = r.GetInt64(0);
                        insertAlias.ExecuteNonQuery();
                        results.Add(new AddResult(d.Id, AddOutcome.Duplicate, r.GetString(1)));
                        continue;
                    }
                }
                removeAlias.Parameters[0].Value = d.Id;
                removeAlias.ExecuteNonQuery();
                if (old is long o) Delete(o, tx);

                insertDoc.Parameters[0].Value = d.Id;
                insertDoc.Parameters[1].Value = d.Title;
                insertDoc.Parameters[2].Value = d.ContentHash;
                insertDoc.Parameters[3].Value = d.Text.Length;
                insertDoc.Parameters[4].Value = d.Keys.Length;
                insertDoc.Parameters[5].Value = now;
                long number = (long)insertDoc.ExecuteScalar()!;
                insertText.Parameters[0].Value = number;
                insertText.Parameters[1].Value = TextCodec.Compress(d.Text);
                insertText.ExecuteNonQuery();
                foreach (long key in d.Keys) postings.Add((key, number));
                results.Add(new AddResult(d.Id, old == null ? AddOutcome.Added : AddOutcome.Replaced));
            }

            WriteSegment(segment, postings, tx);
            tx.Commit();
            return (IReadOnlyList<AddResult>)results;
        });
    }

    /// <summary>Writes a batch's postings as one block per bucket (see <see cref="PostingBlock"/>).</summary>
    private void WriteSegment(long segment, List<(long Key, long Doc)> postings, SqliteTransaction tx)
    {
        if (postings.Count == 0) return;
        var entries = postings.Select(p => (Bucket: PostingBlock.Bucket(p.Key), Low: PostingBlock.Rest(p.Key), p.Doc)).ToArray();
        Array.Sort(entries);
        using var insert = Command("INSERT INTO postings (bucket, seg, data) VALUES ($bucket, $seg, $data)", tx, "$bucket", "$seg", "$data");
        insert.Parameters[1].Value = segment;
        var block = new List<(uint, long)>();
        int i = 0;
        while (i < entries.Length)
        {
            int bucket = entries[i].Bucket;
            block.Clear();
            for (; i < entries.Length && entries[i].Bucket == bucket; i++) block.Add((entries[i].Low, entries[i].Doc));
            insert.Parameters[0].Value = bucket;
            insert.Parameters[2].Value = PostingBlock.Encode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(block));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Deletes a stored document; when other ids share its content, the first of them takes it over.</summary>
    private void Delete(long number, SqliteTransaction tx)
    {
        using var alias = Command("SELECT id FROM aliases WHERE doc = $doc ORDER BY id LIMIT 1", tx, "$doc");
        alias.Parameters[0].Value = number;
        if (alias.ExecuteScalar() is string heir)
        {
            using var promote = Command("DELETE FROM aliases WHERE id = $id; UPDATE docs SET id = $id WHERE doc = $doc", tx, "$id", "$doc");
            promote.Parameters[0].Value = heir;
            promote.Parameters[1].Value = number;
            promote.ExecuteNonQuery();
            return;
        }
        Exec($"DELETE FROM docs WHERE doc = {number}; DELETE FROM texts WHERE doc = {number}; INSERT OR IGNORE INTO dead (doc) VALUES ({number})", tx);
    }

    private bool IsAliasOf(string id, byte[] hash, SqliteTransaction tx)
    {
        using var cmd = Command("SELECT 1 FROM aliases a JOIN docs d ON d.doc = a.doc WHERE a.id = $id AND d.hash = $hash", tx, "$id", "$hash");
        cmd.Parameters[0].Value = id;
        cmd.Parameters[1].Value = hash;
        return cmd.ExecuteScalar() != null;
    }

    public IReadOnlyList<string> Remove(IEnumerable<string> ids) => Guard(() =>
    {
        using var tx = _conn.BeginTransaction();
        using var find = Command("SELECT doc FROM docs WHERE id = $id", tx, "$id");
        using var dropAlias = Command("DELETE FROM aliases WHERE id = $id", tx, "$id");
        var removed = new List<string>();
        foreach (var id in ids)
        {
            find.Parameters[0].Value = id;
            if (find.ExecuteScalar() is long number)
            {
                Delete(number, tx);
                removed.Add(id);
            }
            else
            {
                dropAlias.Parameters[0].Value = id;
                if (dropAlias.ExecuteNonQuery() > 0) removed.Add(id);
            }
        }
        tx.Commit();
        return (IReadOnlyList<string>)removed;
    });

    public IReadOnlyList<IndexedDocument> List() => Guard(() =>
    {
        using var cmd = Command("""
            SELECT doc, id, title, hash, chars, nkeys, added, NULL FROM docs
            UNION ALL
            SELECT d.doc, a.id, d.title, d.hash, d.chars, d.nkeys, d.added, d.id FROM aliases a JOIN docs d ON d.doc = a.doc
            ORDER BY 2
            """, null);
        using var r = cmd.ExecuteReader();
        var list = new List<IndexedDocument>();
        while (r.Read()) list.Add(ReadDocument(r));
        return (IReadOnlyList<IndexedDocument>)list;
    });

    private static IndexedDocument ReadDocument(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), Convert.ToHexStringLower((byte[])r[3]), r.GetInt32(4), r.GetInt32(5),
        DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture))
    {
        AliasOf = r.FieldCount > 7 && !r.IsDBNull(7) ? r.GetString(7) : null,
    };

    public IndexStats Stats() => Guard(() =>
    {
        using var tx = _conn.BeginTransaction(deferred: true);
        long docs = Scalar<long>("SELECT count(*) FROM docs", tx);
        long chars = Scalar<long>("SELECT coalesce(sum(chars), 0) FROM docs", tx);
        long textBytes = Scalar<long>("SELECT coalesce(sum(length(data)), 0) FROM texts", tx);
        long rows = Scalar<long>("SELECT count(*) FROM postings", tx);
        long blocksPerBucket = Scalar<long>("SELECT coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM postings GROUP BY bucket)", tx);
        long unmerged = UnmergedBatches(tx);
        long dead = Scalar<long>("SELECT count(*) FROM dead", tx);
        long aliases = Scalar<long>("SELECT count(*) FROM aliases", tx);
        long disk = Directory.EnumerateFiles(Location, FileName + "*").Sum(f => new FileInfo(f).Length);
        return new IndexStats
        {
            Location = Location, Backend = "sqlite", FormatVersion = FormatVersion, Documents = docs, Characters = chars,
            Aliases = aliases, CompressedTextBytes = textBytes, PostingRows = rows, MaxBlocksPerBucket = blocksPerBucket, UnmergedBatches = unmerged, DeadDocuments = dead, DiskBytes = disk,
        };
    });

    /// <summary>Opens a snapshot on its own connection, so several can read in parallel with the writer.</summary>
    public IIndexSnapshot OpenSnapshot() => Guard(() => (IIndexSnapshot)new Snapshot(this));

    /// <summary>Folds the write-ahead log into the database file (after a large add, so the directory is one file).</summary>
    public void Checkpoint() => Guard(() => Exec("PRAGMA wal_checkpoint(TRUNCATE)"));

    /// <summary>Postings per merged block: about 800 bytes, under the ~1000 bytes SQLite keeps inside a 4 KB page.</summary>
    private const int MaxBlockEntries = 240;

    /// <summary>
    /// Merges every segment and drops the postings of dead documents: a bucket's blocks are rewritten as page-sized
    /// blocks in key order, numbered by their first key (<see cref="PostingBlock.MergedSegment"/>), so that a lookup
    /// reads only the blocks that can hold the keys it wants however many batches built the index. One transaction:
    /// a killed optimise leaves the index as it was; readers keep their snapshots meanwhile. Returns the segments
    /// merged (0 when everything was merged already and no document has been removed since).
    /// </summary>
    public long Optimize(Action<int, int>? progress = null) => Guard(() =>
    {
        using var tx = _conn.BeginTransaction(deferred: false);
        var dead = new HashSet<long>();
        using (var c = Command("SELECT doc FROM dead", tx))
        using (var r = c.ExecuteReader())
            while (r.Read()) dead.Add(r.GetInt64(0));
        // Add batches not merged yet, plus the merged blocks as one segment if there are any; nothing to do when
        // everything is merged and no document died since.
        long unmerged = UnmergedBatches(tx);
        long mergedBefore = Scalar<long>($"SELECT count(*) FROM (SELECT 1 FROM postings WHERE seg >= {PostingBlock.MergedBase} LIMIT 1)", tx);
        if (unmerged == 0 && dead.Count == 0) return 0L;
        long merged = unmerged + mergedBefore;

        using var read = Command("SELECT data FROM postings WHERE bucket = $bucket", tx, "$bucket");
        using var delete = Command("DELETE FROM postings WHERE bucket = $bucket", tx, "$bucket");
        using var insert = Command("INSERT INTO postings (bucket, seg, data) VALUES ($bucket, $seg, $data)", tx, "$bucket", "$seg", "$data");
        var entries = new List<(uint, long)>();
        int buckets = 1 << PostingBlock.BucketBits;
        for (int b = 0; b < buckets; b++)
        {
            entries.Clear();
            read.Parameters[0].Value = b;
            using (var r = read.ExecuteReader())
                while (r.Read()) PostingBlock.Decode((byte[])r[0], (rest, doc) => { if (!dead.Contains(doc)) entries.Add((rest, doc)); });
            delete.Parameters[0].Value = b;
            delete.ExecuteNonQuery();
            if (entries.Count > 0)
            {
                // Blocks of at most ~MaxBlockEntries entries, so that every row fits in its B-tree page: a larger
                // blob spills into overflow pages, each partly empty, and the file grows instead of shrinking.
                // Each block's number carries its first key (PostingBlock.MergedSegment).
                entries.Sort();
                var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries);
                uint lastStart = 0;
                int sameStart = 0;
                for (int at = 0; at < all.Length; at += MaxBlockEntries)
                {
                    uint start = all[at].Item1;
                    sameStart = at > 0 && start == lastStart ? sameStart + 1 : 0;
                    if (sameStart > PostingBlock.MaxSameStart)
                        throw new IndexException(IndexErrorKind.Storage, $"{Location}: a key holds too many documents to merge");
                    lastStart = start;
                    insert.Parameters[0].Value = b;
                    insert.Parameters[1].Value = PostingBlock.MergedSegment(start, sameStart);
                    insert.Parameters[2].Value = PostingBlock.Encode(all.Slice(at, Math.Min(MaxBlockEntries, all.Length - at)));
                    insert.ExecuteNonQuery();
                }
            }
            if ((b & 1023) == 1023) progress?.Invoke(b + 1, buckets);
        }
        Exec("DELETE FROM dead", tx);
        tx.Commit();
        Exec("PRAGMA wal_checkpoint(TRUNCATE)");
        Exec("VACUUM");
        Exec("PRAGMA wal_checkpoint(TRUNCATE)"); // in WAL mode the vacuumed copy sits in the log until then
        return merged;
    });

    public void Dispose() => _conn.Dispose();

    private sealed class Snapshot : IIndexSnapshot
    {
        private readonly SqliteReferenceIndex _index;
        private readonly SqliteConnection _conn;
        private readonly SqliteTransaction _tx;
        private readonly SqliteCommand _lookup, _merged, _get, _text, _aliases;
        private readonly HashSet<long> _dead = [];

        public long DocumentCount { get; }

        public Snapshot(SqliteReferenceIndex index)
        {
            _index = index;
            _conn = index.Connect();
            _tx = _conn.BeginTransaction(deferred: true);
            DocumentCount = (long)Command("SELECT count(*) FROM docs").ExecuteScalar()!;
            using (var c = Command("SELECT doc FROM dead"))
            using (var r = c.ExecuteReader())
                while (r.Read()) _dead.Add(r.GetInt64(0));
            _lookup = Command($"SELECT data FROM postings WHERE bucket = $bucket AND seg < {PostingBlock.MergedBase}", "$bucket");
            _merged = Command($"SELECT seg, data FROM postings WHERE bucket = $bucket AND seg >= {PostingBlock.MergedBase} AND seg <= $last ORDER BY seg DESC",
                "$bucket", "$last");
            _get = Command("SELECT doc, id, title, hash, chars, nkeys, added FROM docs WHERE doc = $doc", "$doc");
            _text = Command("SELECT data FROM texts WHERE doc = $doc", "$doc");
            _aliases = Command("SELECT id FROM aliases WHERE doc = $doc ORDER BY id", "$doc");
        }

        private SqliteCommand Command(string sql, params string[] parameters)
        {
            var cmd = _conn.CreateCommand();
            cmd.CommandText = sql;
            cmd.Transaction = _tx;
            foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
            return cmd;
        }

        public void Lookup(ReadOnlySpan<long> keys, PostingsSink sink, int maxDocuments = int.MaxValue)
        {
            // Visit buckets in order, each once, matching all wanted keys of the bucket in one pass per block.
            var order = new (int Bucket, uint Low, int Index)[keys.Length];
            for (int k = 0; k < keys.Length; k++) order[k] = (PostingBlock.Bucket(keys[k]), PostingBlock.Rest(keys[k]), k);
            Array.Sort(order);
            var lists = new List<long>[keys.Length];
            // Documents counted so far per key, over all segments; past maxDocuments the key is dropped.
            var counted = new int[keys.Length];
            var fetched = new HashSet<long>();
            try
            {
                int i = 0;
                while (i < order.Length)
                {
                    int bucket = order[i].Bucket;
                    int j = i;
                    while (j < order.Length && order[j].Bucket == bucket) j++;
                    var rests = new uint[j - i];
                    for (int k = i; k < j; k++) rests[k - i] = order[k].Low;
                    int first = i;
                    void Drop(int key)
                    {
                        counted[key] = -1;
                        lists[key] = null!;
                    }
                    void Match(byte[] block) => PostingBlock.Match(block, rests,
                        (w, count) =>
                        {
                            int key = order[first + w].Index;
                            if (counted[key] < 0) return false;
                            counted[key] += count;
                            if (counted[key] <= maxDocuments) return true;
                            Drop(key);
                            return false;
                        },
                        (w, doc) =>
                        {
                            if (_dead.Count > 0 && _dead.Contains(doc)) return;
                            int key = order[first + w].Index;
                            (lists[key] ??= []).Add(doc);
                        });

                    // Blocks of add batches not merged yet: any of them may hold any key of the bucket.
                    _lookup.Parameters[0].Value = bucket;
                    using (var r = _lookup.ExecuteReader())
                        while (r.Read()) Match((byte[])r[0]);
                    // Merged blocks: only those that start with a wanted key, and the last one before each, highest
                    // number first. All but the last block that starts with a key hold MaxBlockEntries postings of
                    // it, so the first block's number tells whether the key starts more blocks than its cap of
                    // documents fills: then it is too common and skipped unread.
                    fetched.Clear();
                    for (int w = 0; w < rests.Length; w++)
                    {
                        uint rest = rests[w];
                        int key = order[first + w].Index;
                        if (counted[key] < 0) continue;
                        _merged.Parameters[0].Value = bucket;
                        _merged.Parameters[1].Value = PostingBlock.LastMergedSegment(rest);
                        using var r = _merged.ExecuteReader();
                        for (bool top = true; r.Read(); top = false)
                        {
                            long seg = r.GetInt64(0);
                            if (top && PostingBlock.FirstRestOf(seg) == rest
                                && (long)PostingBlock.SameStartOf(seg) * MaxBlockEntries >= maxDocuments)
                            {
                                Drop(key);
                                break;
                            }
                            if (fetched.Add(seg)) Match((byte[])r[1]);
                            if (PostingBlock.FirstRestOf(seg) < rest) break;
                        }
                    }
                    i = j;
                }
            }
            catch (SqliteException e)
            {
                throw new IndexException(IndexErrorKind.Storage, $"{_index.Location}: {e.Message.Split('\n')[0]}", e);
            }
            for (int k = 0; k < keys.Length; k++)
            {
                if (counted[k] < 0 || lists[k] is not { Count: > 0 } list) continue;
                // Equal rests in one bucket are equal keys; sorted so each document appears once per key.
                list.Sort();
                int n = 1;
                for (int x = 1; x < list.Count; x++) if (list[x] != list[n - 1]) list[n++] = list[x];
                sink(k, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)[..n]);
            }
        }

        // Loaded on first use, once per snapshot: one scan is cheaper than a query per candidate. Document numbers
        // are dense (SQLite row ids, never reused), so an array indexed by number is the usual form: 4 MB for a
        // million documents. Only an index whose numbers have run far ahead of its size (documents replaced many
        // times over) falls back to a dictionary.
        private int[]? _keyCountByNumber;
        private Dictionary<long, int>? _keyCountSparse;
        private double _averageKeyCount = -1;

        public double AverageKeyCount
        {
            get
            {
                LoadKeyCounts();
                return _averageKeyCount;
            }
        }

        public void KeyCounts(ReadOnlySpan<long> numbers, Span<int> counts)
        {
            LoadKeyCounts();
            for (int i = 0; i < numbers.Length; i++)
            {
                long n = numbers[i];
                counts[i] = _keyCountByNumber is { } dense ? (n >= 0 && n < dense.Length ? dense[n] : 0) : _keyCountSparse!.GetValueOrDefault(n);
            }
        }

        private void LoadKeyCounts()
        {
            if (_averageKeyCount >= 0) return;
            Guard(() =>
            {
                var rows = new List<(long Doc, int Keys)>();
                using (var c = Command("SELECT doc, nkeys FROM docs"))
                using (var r = c.ExecuteReader())
                    while (r.Read()) rows.Add((r.GetInt64(0), r.GetInt32(1)));
                long max = 0, sum = 0;
                foreach (var (doc, keys) in rows) { max = Math.Max(max, doc); sum += keys; }
                if (max <= 4L * rows.Count + 1024)
                {
                    _keyCountByNumber = new int[max + 1];
                    foreach (var (doc, keys) in rows) _keyCountByNumber[doc] = keys;
                }
                else
                {
                    _keyCountSparse = new Dictionary<long, int>(rows.Count);
                    foreach (var (doc, keys) in rows) _keyCountSparse[doc] = keys;
                }
                _averageKeyCount = rows.Count == 0 ? 0 : (double)sum / rows.Count;
                return 0;
            });
        }

        public IndexedDocument? Get(long number) => Guard(() =>
        {
            _get.Parameters[0].Value = number;
            IndexedDocument doc;
            using (var r = _get.ExecuteReader())
            {
                if (!r.Read()) return null;
                doc = ReadDocument(r);
            }
            _aliases.Parameters[0].Value = number;
            var aliases = new List<string>();
            using (var r = _aliases.ExecuteReader())
                while (r.Read()) aliases.Add(r.GetString(0));
            return aliases.Count == 0 ? doc : doc with { Aliases = aliases };
        });

        public string? ReadText(long number) => Guard(() =>
        {
            _text.Parameters[0].Value = number;
            return _text.ExecuteScalar() is byte[] data ? TextCodec.Decompress(data) : null;
        });

        private T Guard<T>(Func<T> f) => _index.Guard(f);

        public void Dispose()
        {
            _lookup.Dispose();
            _merged.Dispose();
            _get.Dispose();
            _text.Dispose();
            _aliases.Dispose();
            _tx.Dispose();
            _conn.Dispose();
        }
    }

    private T Guard<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (SqliteException e)
        {
            throw new IndexException(IndexErrorKind.Storage, $"{Location}: {e.Message.Split('\n')[0]}", e);
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params string[] parameters)
    {
        var cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
        return cmd;
    }

    private int Exec(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql, tx);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Add batches whose posting blocks are not merged yet.</summary>
    private long UnmergedBatches(SqliteTransaction tx) =>
        Scalar<long>($"SELECT count(DISTINCT seg) FROM postings WHERE seg < {PostingBlock.MergedBase}", tx);

    private T Scalar<T>(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql, tx);
        return (T)cmd.ExecuteScalar()!;
    }
}
