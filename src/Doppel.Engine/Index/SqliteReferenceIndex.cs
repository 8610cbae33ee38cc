using System.Globalization;
using System.Runtime.InteropServices;
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
/// <para>Integrity. Every row carries a checksum of its key and content (<see cref="RowChecksum"/>), checked
/// whenever the row is read; a mismatch, a block or text that does not decode, and SQLite's own corruption errors
/// are <see cref="IndexErrorKind.Damaged"/> naming the row. <see cref="Verify"/> checks the whole file.</para>
/// <para>Versioning. <c>PRAGMA application_id</c> marks the file as Doppel's and <c>PRAGMA user_version</c> carries
/// the format version; a foreign file or a newer version is refused with a message, never modified. Version 1 (no
/// checksums) is read, checked as far as decoding can, and upgraded by the first write; version 2 (no sentence
/// vectors: a check encodes its candidates) is upgraded by adding the empty <c>vectors</c> table.</para>
/// <para>Sentence vectors (format 3, docs/index.md): <c>vectors</c> holds one row per document added with a semantic
/// mode, its int8-quantised unit vectors (<see cref="Semantic.UnitVectorCodec"/>) and their tag (encoder and unit
/// rule), checksummed like every other row and deleted with the document.</para>
/// </remarks>
public sealed partial class SqliteReferenceIndex : IReferenceIndex
{
    public const string FileName = "index.db";
    /// <summary>3: a <c>vectors</c> table holds documents' sentence vectors. 2 (every row carries a checksum, no
    /// vectors) and 1 (before checksums) are still read; the first write upgrades them.</summary>
    public const int FormatVersion = 3;
    /// <summary>The first version whose rows carry checksums.</summary>
    public const int ChecksumVersion = 2;
    /// <summary>"DPPL" in ASCII.</summary>
    public const int ApplicationId = 0x4450504C;

    private static readonly Lock InitLock = new();
    private static bool _initialised;

    private readonly SqliteConnection _conn;
    private readonly string _dbPath;
    private Rows _rows;
    /// <summary>The row counts, during a write transaction (<see cref="BeginWrite"/>).</summary>
    private RowCounts _counts = new();

    public string Location { get; }

    /// <summary>The format version of the file (<see cref="FormatVersion"/>, or 1 until the first write upgrades it).</summary>
    public int Version => _rows.Version;

    private SqliteReferenceIndex(string directory, SqliteConnection conn, string dbPath)
    {
        Location = directory;
        _conn = conn;
        _dbPath = dbPath;
        _rows = new Rows(directory, FormatVersion);
    }

    /// <summary>A further connection to the same database (each snapshot reads through its own).</summary>
    private SqliteConnection Connect()
    {
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _dbPath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60,
        }.ToString());
        conn.Open();
        Configure(conn);
        return conn;
    }

    /// <summary>Every connection waits for the writer's lock, and has SQLite check each B-tree page's cells as the
    /// page is read (<c>cell_size_check</c>: damage is found where it is read instead of spreading).</summary>
    private static void Configure(SqliteConnection conn)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA cell_size_check = ON";
        cmd.ExecuteNonQuery();
    }

    /// <summary>True when <paramref name="directory"/> holds an index file.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Opens the index in <paramref name="directory"/>; creates it (and the directory) when
    /// <paramref name="create"/> is set.</summary>
    /// <exception cref="IndexException">Missing, foreign, newer, damaged or unreadable.</exception>
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
            throw (e.SqliteErrorCode & 0xFF) == SqliteNotADatabase
                ? new IndexException(IndexErrorKind.Foreign, $"{directory}: {FileName} is not a Doppel index (not an SQLite database, or its header is damaged)", e)
                : ToIndexError(directory, e);
        }
        catch
        {
            conn.Dispose();
            throw;
        }
    }

    private void Initialise(string shownName, bool create)
    {
        Configure(_conn);
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
                CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL, sum INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE docs (doc INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                    hash BLOB NOT NULL, chars INTEGER NOT NULL, nkeys INTEGER NOT NULL, added TEXT NOT NULL,
                    textbytes INTEGER NOT NULL, sum INTEGER NOT NULL);
                CREATE INDEX docs_hash ON docs (hash);
                CREATE TABLE texts (doc INTEGER PRIMARY KEY, data BLOB NOT NULL, sum INTEGER NOT NULL);
                CREATE TABLE postings (bucket INTEGER NOT NULL, seg INTEGER NOT NULL, data BLOB NOT NULL, sum INTEGER NOT NULL,
                    PRIMARY KEY (bucket, seg)) WITHOUT ROWID;
                CREATE TABLE dead (doc INTEGER PRIMARY KEY, sum INTEGER NOT NULL);
                CREATE TABLE aliases (id TEXT PRIMARY KEY, doc INTEGER NOT NULL, sum INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX aliases_doc ON aliases (doc);
                {VectorsTable}
                """, tx);
            WriteMeta("format", "doppel-index", tx);
            WriteMeta("version", FormatVersion.ToString(CultureInfo.InvariantCulture), tx);
            WriteMeta("segments", "0", tx);
            WriteMeta(RowCounts.MetaName, new RowCounts().ToString(), tx);
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
        _rows = new Rows(Location, (int)version);
        Exec("PRAGMA journal_mode = WAL");
        Exec("PRAGMA synchronous = NORMAL");
    }

    private const string VectorsTable = "CREATE TABLE IF NOT EXISTS vectors (doc INTEGER PRIMARY KEY, tag TEXT NOT NULL, data BLOB NOT NULL, sum INTEGER NOT NULL);";

    public bool StoresVectors => true;

    public IReadOnlyList<AddResult> AddBatch(IReadOnlyList<PreparedDocument> documents)
    {
        if (documents.Count == 0) return [];
        return Guard(() =>
        {
            UpgradeToCurrentFormat();
            using var tx = BeginWrite();
            long segment = ReadSegmentCount(tx) + 1;
            WriteMeta("segments", segment.ToString(CultureInfo.InvariantCulture), tx);
            long next = NextDocumentNumber(tx);

            using var byId = Command($"SELECT {_rows.DocColumns} FROM docs d WHERE d.id = $id", tx, "$id");
            using var byHash = Command($"SELECT {_rows.DocColumns} FROM docs d WHERE d.hash = $hash LIMIT 1", tx, "$hash");
            using var insertAlias = Command("INSERT OR REPLACE INTO aliases (id, doc, sum) VALUES ($id, $doc, $sum)", tx, "$id", "$doc", "$sum");
            using var removeAlias = Command("DELETE FROM aliases WHERE id = $id", tx, "$id");
            using var insertDoc = Command(
                "INSERT INTO docs (doc, id, title, hash, chars, nkeys, added, textbytes, sum) VALUES ($doc, $id, $title, $hash, $chars, $nkeys, $added, $textbytes, $sum)",
                tx, "$doc", "$id", "$title", "$hash", "$chars", "$nkeys", "$added", "$textbytes", "$sum");
            using var insertText = Command("INSERT INTO texts (doc, data, sum) VALUES ($doc, $data, $sum)", tx, "$doc", "$data", "$sum");
            using var vectorTag = Command("SELECT tag FROM vectors WHERE doc = $doc", tx, "$doc");
            using var insertVectors = Command("INSERT OR REPLACE INTO vectors (doc, tag, data, sum) VALUES ($doc, $tag, $data, $sum)", tx, "$doc", "$tag", "$data", "$sum");
            // Vectors for a document stored already (added before without them, or with another encoder) are filled in.
            void StoreVectors(long number, StoredVectors? v, bool onlyIfOther)
            {
                if (v == null) return;
                if (onlyIfOther)
                {
                    vectorTag.Parameters[0].Value = number;
                    if (vectorTag.ExecuteScalar() is string tag && tag == v.Tag) return;
                }
                SetParameters(insertVectors, number, v.Tag, v.Data, _rows.VectorSum(number, v.Tag, v.Data));
                insertVectors.ExecuteNonQuery();
            }
            string now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

            var results = new List<AddResult>(documents.Count);
            var postings = new List<(long Key, long Doc)>();
            foreach (var d in documents)
            {
                var existing = ReadDocWhere(byId, d.Id, row => row.Id == d.Id);
                if (existing != null && existing.Hash.AsSpan().SequenceEqual(d.ContentHash))
                {
                    StoreVectors(existing.Number, d.Vectors, onlyIfOther: true);
                    results.Add(new AddResult(d.Id, AddOutcome.Unchanged));
                    continue;
                }
                long? old = existing?.Number;
                if (old == null && IsAliasOf(d.Id, d.ContentHash, tx))
                {
                    results.Add(new AddResult(d.Id, AddOutcome.Unchanged));
                    continue;
                }
                if (ReadDocWhere(byHash, d.ContentHash, row => row.Hash.AsSpan().SequenceEqual(d.ContentHash)) is { } same && same.Id != d.Id)
                {
                    // Same content under another id: stored once, the new id kept as an alias of it.
                    if (old is long replaced) Delete(replaced, tx);
                    StoreVectors(same.Number, d.Vectors, onlyIfOther: true);
                    removeAlias.Parameters[0].Value = d.Id;
                    _counts.Aliases -= removeAlias.ExecuteNonQuery();
                    SetParameters(insertAlias, d.Id, same.Number, _rows.AliasSum(d.Id, same.Number));
                    _counts.Aliases += insertAlias.ExecuteNonQuery();
                    results.Add(new AddResult(d.Id, AddOutcome.Duplicate, same.Id));
                    continue;
                }
                removeAlias.Parameters[0].Value = d.Id;
                _counts.Aliases -= removeAlias.ExecuteNonQuery();
                if (old is long o) Delete(o, tx);

                long number = next++;
                byte[] text = TextCodec.Compress(d.Text);
                SetParameters(insertDoc, number, d.Id, d.Title, d.ContentHash, d.Text.Length, d.Keys.Length, now, text.Length,
                    _rows.DocSum(number, d.Id, d.Title, d.ContentHash, d.Text.Length, d.Keys.Length, now, text.Length));
                _counts.Docs += insertDoc.ExecuteNonQuery();
                SetParameters(insertText, number, text, _rows.TextSum(number, text));
                insertText.ExecuteNonQuery();
                StoreVectors(number, d.Vectors, onlyIfOther: false);
                foreach (long key in d.Keys) postings.Add((key, number));
                results.Add(new AddResult(d.Id, old == null ? AddOutcome.Added : AddOutcome.Replaced));
            }

            WriteSegment(segment, postings, tx);
            EndWrite(tx);
            return (IReadOnlyList<AddResult>)results;
        });
    }

    /// <summary>The number the next document gets: above every number ever used, live or dead (a damaged
    /// <c>sqlite_sequence</c> must not make a new document inherit a dead one's number and lose its postings).</summary>
    private long NextDocumentNumber(SqliteTransaction tx) => Scalar<long>("""
        SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'docs'), 0),
                   coalesce((SELECT max(doc) FROM docs), 0), coalesce((SELECT max(doc) FROM dead), 0)) + 1
        """, tx);

    /// <summary>The one document a lookup by id or hash finds, checked, and confirmed to be the one asked for
    /// (a damaged SQL index could hand back another row).</summary>
    private StoredDoc? ReadDocWhere(SqliteCommand lookup, object value, Func<StoredDoc, bool> isWanted)
    {
        lookup.Parameters[0].Value = value;
        using var r = lookup.ExecuteReader();
        if (!r.Read()) return null;
        var doc = _rows.ReadDoc(r, 0);
        return isWanted(doc) ? doc : throw _rows.Damaged($"document {doc.Number} ('{doc.Id}'): found by a lookup it does not match (SQL index damaged)");
    }

    /// <summary>Writes a batch's postings as one block per bucket (see <see cref="PostingBlock"/>).</summary>
    private void WriteSegment(long segment, List<(long Key, long Doc)> postings, SqliteTransaction tx)
    {
        if (postings.Count == 0) return;
        var entries = postings.Select(p => (Bucket: PostingBlock.Bucket(p.Key), Low: PostingBlock.Rest(p.Key), p.Doc)).ToArray();
        Array.Sort(entries);
        using var insert = InsertBlockCommand(tx);
        var block = new List<(uint, long)>();
        int i = 0;
        while (i < entries.Length)
        {
            int bucket = entries[i].Bucket;
            block.Clear();
            for (; i < entries.Length && entries[i].Bucket == bucket; i++) block.Add((entries[i].Low, entries[i].Doc));
            InsertBlock(insert, bucket, segment, PostingBlock.Encode(CollectionsMarshal.AsSpan(block)));
        }
    }

    private SqliteCommand InsertBlockCommand(SqliteTransaction tx) =>
        Command("INSERT INTO postings (bucket, seg, data, sum) VALUES ($bucket, $seg, $data, $sum)", tx, "$bucket", "$seg", "$data", "$sum");

    private void InsertBlock(SqliteCommand insert, int bucket, long segment, byte[] data)
    {
        SetParameters(insert, bucket, segment, data, _rows.PostingSum(bucket, segment, data));
        _counts.Blocks += insert.ExecuteNonQuery();
    }

    /// <summary>Deletes a stored document; when other ids share its content, the first of them takes it over.</summary>
    private void Delete(long number, SqliteTransaction tx)
    {
        using var alias = Command($"SELECT id, doc, {_rows.Sum()} FROM aliases WHERE doc = $doc ORDER BY id LIMIT 1", tx, "$doc");
        alias.Parameters[0].Value = number;
        string? heir = null;
        using (var r = alias.ExecuteReader())
        {
            if (r.Read())
            {
                var (id, of) = _rows.ReadAlias(r, 0);
                heir = of == number ? id : throw _rows.Damaged($"alias '{id}': found for document {number}, which it does not name (SQL index damaged)");
            }
        }
        if (heir != null)
        {
            using var get = Command($"SELECT {_rows.DocColumns} FROM docs d WHERE d.doc = $doc", tx, "$doc");
            var doc = ReadDocWhere(get, number, row => row.Number == number)
                ?? throw _rows.Damaged($"alias '{heir}': its document {number} is missing");
            var promoted = doc with { Id = heir };
            using var promote = Command("DELETE FROM aliases WHERE id = $id; UPDATE docs SET id = $id, sum = $sum WHERE doc = $doc", tx, "$id", "$sum", "$doc");
            SetParameters(promote, heir, _rows.DocSum(promoted), number);
            promote.ExecuteNonQuery();
            _counts.Aliases--;
            return;
        }
        using var delete = Command("DELETE FROM vectors WHERE doc = $doc; DELETE FROM texts WHERE doc = $doc; DELETE FROM docs WHERE doc = $doc", tx, "$doc");
        delete.Parameters[0].Value = number;
        delete.ExecuteNonQuery();
        _counts.Docs--;
        using var bury = Command("INSERT OR IGNORE INTO dead (doc, sum) VALUES ($doc, $sum)", tx, "$doc", "$sum");
        SetParameters(bury, number, _rows.DeadSum(number));
        _counts.Dead += bury.ExecuteNonQuery();
    }

    private bool IsAliasOf(string id, byte[] hash, SqliteTransaction tx)
    {
        using var cmd = Command($"SELECT a.id, a.doc, {_rows.Sum("a")}, {_rows.DocColumns} FROM aliases a JOIN docs d ON d.doc = a.doc WHERE a.id = $id", tx, "$id");
        cmd.Parameters[0].Value = id;
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return false;
        _rows.ReadAlias(r, 0);
        return _rows.ReadDoc(r, 3).Hash.AsSpan().SequenceEqual(hash);
    }

    public IReadOnlyList<string> Remove(IEnumerable<string> ids) => Guard(() =>
    {
        UpgradeToCurrentFormat();
        using var tx = BeginWrite();
        using var find = Command($"SELECT {_rows.DocColumns} FROM docs d WHERE d.id = $id", tx, "$id");
        using var dropAlias = Command("DELETE FROM aliases WHERE id = $id", tx, "$id");
        var removed = new List<string>();
        foreach (var id in ids)
        {
            if (ReadDocWhere(find, id, row => row.Id == id) is { } doc)
            {
                Delete(doc.Number, tx);
                removed.Add(id);
            }
            else
            {
                dropAlias.Parameters[0].Value = id;
                int dropped = dropAlias.ExecuteNonQuery();
                _counts.Aliases -= dropped;
                if (dropped > 0) removed.Add(id);
            }
        }
        EndWrite(tx);
        return (IReadOnlyList<string>)removed;
    });

    public IReadOnlyList<IndexedDocument> List() => Guard(() =>
    {
        // Every row is read from its table, not through an SQL index (NOT INDEXED: a damaged one could drop or
        // repeat rows unseen), and an alias whose document is missing is damage, not a row to leave out.
        using var cmd = Command($"""
            SELECT d.id, 0, NULL, NULL, NULL, {_rows.DocColumns} FROM docs d NOT INDEXED
            UNION ALL
            SELECT a.id, 1, a.id, a.doc, {_rows.Sum("a")}, {_rows.DocColumns} FROM aliases a LEFT JOIN docs d NOT INDEXED ON d.doc = a.doc
            ORDER BY 1
            """, null);
        using var r = cmd.ExecuteReader();
        var list = new List<IndexedDocument>();
        while (r.Read())
        {
            if (r.GetInt64(1) == 0)
            {
                list.Add(_rows.ReadDoc(r, 5).ToIndexed());
                continue;
            }
            var (alias, number) = _rows.ReadAlias(r, 2);
            if (r.IsDBNull(5)) throw _rows.Damaged($"alias '{alias}': its document {number} is missing");
            var doc = _rows.ReadDoc(r, 5);
            list.Add(doc.ToIndexed() with { Id = alias, AliasOf = doc.Id });
        }
        return (IReadOnlyList<IndexedDocument>)list;
    });

    public IndexStats Stats() => Guard(() =>
    {
        using var tx = _conn.BeginTransaction(deferred: true);
        long docs = 0, chars = 0, textBytes = 0;
        using (var c = Command($"SELECT {_rows.DocColumns} FROM docs d NOT INDEXED", tx))
        using (var r = c.ExecuteReader())
        {
            while (r.Read())
            {
                var d = _rows.ReadDoc(r, 0);
                docs++;
                chars += d.Chars;
                textBytes += d.TextBytes;
            }
        }
        // Version 1 stored no lengths: the blobs' own.
        if (!_rows.Checksums) textBytes = Scalar<long>("SELECT coalesce(sum(length(data)), 0) FROM texts", tx);
        // The block figures come from the blocks' keys, so every block is read and checked (SQL would count keys
        // that damage has changed just the same).
        long rows = 0, blocksPerBucket = 0, inBucket = 0, lastBucket = -1;
        var batches = new HashSet<long>();
        using (var c = Command($"SELECT bucket, seg, data, {_rows.Sum()} FROM postings", tx))
        using (var r = c.ExecuteReader())
        {
            for (; r.Read(); rows++)
            {
                long bucket = _rows.Int(r, 0, "posting block"), seg = _rows.ReadSegment(r, 1, bucket);
                _rows.ReadBlock(r, 2, bucket, seg);
                inBucket = bucket == lastBucket ? inBucket + 1 : 1;
                lastBucket = bucket;
                blocksPerBucket = Math.Max(blocksPerBucket, inBucket);
                if (!PostingBlock.IsMerged(seg)) batches.Add(seg);
            }
        }
        long unmerged = batches.Count;
        long dead = ReadDead(tx).Count;
        long aliases = 0;
        using (var c = Command($"SELECT id, doc, {_rows.Sum()} FROM aliases", tx))
        using (var r = c.ExecuteReader())
        {
            for (; r.Read(); aliases++) _rows.ReadAlias(r, 0);
        }
        // Rows lost whole show in the counts: texts against documents, every table against what was written.
        long texts = Scalar<long>("SELECT count(*) FROM texts", tx);
        if (texts != docs) throw _rows.Damaged($"texts: {texts} rows for {docs} documents");
        if (_rows.Checksums && new RowCounts { Docs = docs, Aliases = aliases, Dead = dead, Blocks = rows }.Mismatch(ReadCounts(_conn, tx, _rows)) is { } lost)
            throw _rows.Damaged(lost);
        long vectorDocs = 0, vectorBytes = 0;
        if (_rows.HasVectors)
        {
            using var c = Command("SELECT count(*), coalesce(sum(length(data)), 0) FROM vectors", tx);
            using var r = c.ExecuteReader();
            r.Read();
            (vectorDocs, vectorBytes) = (r.GetInt64(0), r.GetInt64(1));
        }
        long disk = Directory.EnumerateFiles(Location, FileName + "*").Sum(f => new FileInfo(f).Length);
        return new IndexStats
        {
            Location = Location, Backend = "sqlite", FormatVersion = _rows.Version, Documents = docs, Characters = chars,
            Aliases = aliases, CompressedTextBytes = textBytes, PostingRows = rows, MaxBlocksPerBucket = blocksPerBucket, UnmergedBatches = unmerged, DeadDocuments = dead, DiskBytes = disk,
            VectorDocuments = vectorDocs, VectorBytes = vectorBytes,
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
    /// a killed optimise leaves the index as it was; readers keep their snapshots meanwhile. A damaged index is
    /// refused (after <see cref="Verify"/>): rewriting and vacuuming it could lose the damaged rows past finding.
    /// Returns the segments merged (0 when everything was merged already and no document has been removed since).
    /// </summary>
    public long Optimize(Action<int, int>? progress = null) => Guard(() =>
    {
        if (!UpgradeToCurrentFormat()) RefuseIfDamaged("not optimized");
        using var tx = BeginWrite();
        var dead = ReadDead(tx);
        // Add batches not merged yet, plus the merged blocks as one segment if there are any; nothing to do when
        // everything is merged and no document died since.
        long unmerged = UnmergedBatches(tx);
        long mergedBefore = Scalar<long>($"SELECT count(*) FROM (SELECT 1 FROM postings WHERE seg >= {PostingBlock.MergedBase} LIMIT 1)", tx);
        if (unmerged == 0 && dead.Count == 0) return 0L;
        long merged = unmerged + mergedBefore;

        // Buckets are merged a range at a time: one query reads the range (a query per bucket costs more than the
        // merge of a small index), and holds a 256th of the postings in memory at most.
        const int Range = 256;
        using var read = Command($"SELECT bucket, seg, data, {_rows.Sum()} FROM postings WHERE bucket >= $from AND bucket < $to", tx, "$from", "$to");
        using var delete = Command("DELETE FROM postings WHERE bucket >= $from AND bucket < $to", tx, "$from", "$to");
        using var insert = InsertBlockCommand(tx);
        var entries = new List<(uint, long)>[Range];
        for (int i = 0; i < Range; i++) entries[i] = [];
        int buckets = 1 << PostingBlock.BucketBits;
        for (int from = 0; from < buckets; from += Range)
        {
            foreach (var list in entries) list.Clear();
            SetParameters(read, from, from + Range);
            using (var r = read.ExecuteReader())
            {
                while (r.Read())
                {
                    long b = _rows.Int(r, 0, "posting block"), seg = _rows.ReadSegment(r, 1, b);
                    byte[] data = _rows.ReadBlock(r, 2, b, seg);
                    if (b < from || b >= from + Range) throw _rows.Damaged($"{Rows.BlockName(b, seg)}: outside the range read");
                    var into = entries[b - from];
                    try
                    {
                        PostingBlock.Decode(data, (rest, doc) => { if (!dead.Contains(doc)) into.Add((rest, doc)); });
                    }
                    catch (InvalidDataException e)
                    {
                        throw _rows.Undecodable(b, seg, e);
                    }
                }
            }
            SetParameters(delete, from, from + Range);
            _counts.Blocks -= delete.ExecuteNonQuery();
            for (int b = from; b < from + Range; b++)
            {
                if (entries[b - from].Count == 0) continue;
                // Blocks of at most ~MaxBlockEntries entries, so that every row fits in its B-tree page: a larger
                // blob spills into overflow pages, each partly empty, and the file grows instead of shrinking.
                // Each block's number carries its first key (PostingBlock.MergedSegment).
                entries[b - from].Sort();
                var all = CollectionsMarshal.AsSpan(entries[b - from]);
                uint lastStart = 0;
                int sameStart = 0;
                for (int at = 0; at < all.Length; at += MaxBlockEntries)
                {
                    uint start = all[at].Item1;
                    sameStart = at > 0 && start == lastStart ? sameStart + 1 : 0;
                    if (sameStart > PostingBlock.MaxSameStart)
                        throw new IndexException(IndexErrorKind.Storage, $"{Location}: a key holds too many documents to merge");
                    lastStart = start;
                    InsertBlock(insert, b, PostingBlock.MergedSegment(start, sameStart),
                        PostingBlock.Encode(all.Slice(at, Math.Min(MaxBlockEntries, all.Length - at))));
                }
            }
            if (((from + Range) & 1023) == 0) progress?.Invoke(from + Range, buckets);
        }
        Exec("DELETE FROM dead", tx);
        _counts.Dead = 0;
        EndWrite(tx);
        Exec("PRAGMA wal_checkpoint(TRUNCATE)");
        Exec("VACUUM");
        Exec("PRAGMA wal_checkpoint(TRUNCATE)"); // in WAL mode the vacuumed copy sits in the log until then
        return merged;
    });

    public void Dispose() => _conn.Dispose();

    /// <summary>The numbers of dead documents, each row checked.</summary>
    private HashSet<long> ReadDead(SqliteTransaction tx) => ReadDead(_conn, tx, _rows);

    private static HashSet<long> ReadDead(SqliteConnection conn, SqliteTransaction tx, Rows rows)
    {
        var dead = new HashSet<long>();
        using var c = conn.CreateCommand();
        c.CommandText = $"SELECT doc, {rows.Sum()} FROM dead";
        c.Transaction = tx;
        using var r = c.ExecuteReader();
        while (r.Read()) dead.Add(rows.ReadDead(r));
        return dead;
    }

    private long ReadSegmentCount(SqliteTransaction tx) =>
        long.TryParse(ReadMeta(_conn, tx, _rows, "segments"), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n < PostingBlock.MergedBase
            ? n : throw _rows.Damaged("meta 'segments': not a segment count");

    /// <summary>A meta value, its row checked.</summary>
    private static string ReadMeta(SqliteConnection conn, SqliteTransaction? tx, Rows rows, string name)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT value, {rows.Sum()} FROM meta WHERE name = $name";
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$name", name);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) throw rows.Damaged($"meta '{name}': missing");
        string value = rows.Text(r, 0, $"meta '{name}'");
        if (rows.Checksums) rows.Check(r, 1, rows.MetaSum(name, value), $"meta '{name}'");
        return value;
    }

    /// <summary>The row counts as stored (format version 2).</summary>
    private static RowCounts ReadCounts(SqliteConnection conn, SqliteTransaction? tx, Rows rows) =>
        RowCounts.Parse(ReadMeta(conn, tx, rows, RowCounts.MetaName)) ?? throw rows.Damaged($"meta '{RowCounts.MetaName}': not four counts");

    /// <summary>Starts a write transaction (immediate: the writer's lock is taken at once) and loads the row counts
    /// that <see cref="EndWrite"/> stores with its commit.</summary>
    private SqliteTransaction BeginWrite()
    {
        var tx = _conn.BeginTransaction(deferred: false);
        try
        {
            _counts = ReadCounts(_conn, tx, _rows);
            return tx;
        }
        catch
        {
            tx.Dispose();
            throw;
        }
    }

    private void EndWrite(SqliteTransaction tx)
    {
        WriteMeta(RowCounts.MetaName, _counts.ToString(), tx);
        tx.Commit();
    }

    private void WriteMeta(string name, string value, SqliteTransaction tx)
    {
        using var cmd = Command("INSERT OR REPLACE INTO meta (name, value, sum) VALUES ($name, $value, $sum)", tx, "$name", "$value", "$sum");
        SetParameters(cmd, name, value, _rows.MetaSum(name, value));
        cmd.ExecuteNonQuery();
    }

    private T Guard<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (SqliteException e)
        {
            throw ToIndexError(Location, e);
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

    private static void SetParameters(SqliteCommand cmd, params object[] values)
    {
        for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
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
