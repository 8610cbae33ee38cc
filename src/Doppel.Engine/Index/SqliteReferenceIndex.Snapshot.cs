using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Doppel.Engine.Index;

public sealed partial class SqliteReferenceIndex
{
    private sealed class Snapshot : IIndexSnapshot
    {
        private readonly SqliteReferenceIndex _index;
        private readonly SqliteConnection _conn;
        private readonly SqliteTransaction _tx;
        private readonly Rows _rows;
        private readonly SqliteCommand _lookup, _merged, _get, _text, _aliases;
        private readonly SqliteCommand? _vectors;
        private readonly HashSet<long> _dead;

        public long DocumentCount { get; }

        public Snapshot(SqliteReferenceIndex index)
        {
            _index = index;
            _conn = index.Connect();
            try
            {
                _tx = _conn.BeginTransaction(deferred: true);
                // The version as of this snapshot: a writer may have upgraded the file since the index was opened.
                using (var version = Command("PRAGMA user_version")) _rows = new Rows(index.Location, (int)(long)version.ExecuteScalar()!);
                using (var count = Command("SELECT count(*) FROM docs")) DocumentCount = (long)count.ExecuteScalar()!;
                _dead = ReadDead(_conn, _tx, _rows);
                if (_rows.Checksums)
                {
                    var stored = ReadCounts(_conn, _tx, _rows);
                    if (DocumentCount != stored.Docs || _dead.Count != stored.Dead)
                        throw _rows.Damaged(new RowCounts { Docs = DocumentCount, Aliases = stored.Aliases, Dead = _dead.Count, Blocks = stored.Blocks }.Mismatch(stored)!);
                }
            }
            catch
            {
                _conn.Dispose(); // with its transaction
                throw;
            }
            _lookup = Command($"SELECT seg, data, {_rows.Sum()} FROM postings WHERE bucket = $bucket AND seg < {PostingBlock.MergedBase}", "$bucket");
            _merged = Command($"SELECT seg, data, {_rows.Sum()} FROM postings WHERE bucket = $bucket AND seg >= {PostingBlock.MergedBase} AND seg <= $last ORDER BY seg DESC",
                "$bucket", "$last");
            _get = Command($"SELECT {_rows.DocColumns} FROM docs d WHERE d.doc = $doc", "$doc");
            // From docs, so that a document whose text is missing is damage, not a candidate quietly dropped.
            _text = Command($"SELECT d.id, d.hash, t.data, {_rows.Sum("t")} FROM docs d LEFT JOIN texts t ON t.doc = d.doc WHERE d.doc = $doc", "$doc");
            _aliases = Command($"SELECT id, doc, {_rows.Sum()} FROM aliases WHERE doc = $doc ORDER BY id", "$doc");
            if (_rows.HasVectors) _vectors = Command("SELECT tag, data, sum FROM vectors WHERE doc = $doc", "$doc");
        }

        public StoredVectors? ReadVectors(long number) => _vectors == null ? null : Guard(() =>
        {
            _vectors.Parameters[0].Value = number;
            using var r = _vectors.ExecuteReader();
            return r.Read() ? _rows.ReadVectors(r, 0, number) : null;
        });

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
            LoadKeyCounts(); // which numbers are live: a posting naming one neither live nor dead is damage
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
                    // A block is used only once its checksum matches; its decoding is checked all the same.
                    void Match(SqliteDataReader r, long seg)
                    {
                        byte[] block = _rows.ReadBlock(r, 1, bucket, seg);
                        try
                        {
                            PostingBlock.Match(block, rests,
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
                                if (!IsLive(doc)) throw _rows.Damaged($"{Rows.BlockName(bucket, seg)}: names document {doc}, which is neither stored nor removed");
                                int key = order[first + w].Index;
                                (lists[key] ??= []).Add(doc);
                            });
                        }
                        catch (InvalidDataException e)
                        {
                            throw _rows.Undecodable(bucket, seg, e);
                        }
                    }

                    // Blocks of add batches not merged yet: any of them may hold any key of the bucket.
                    _lookup.Parameters[0].Value = bucket;
                    using (var r = _lookup.ExecuteReader())
                        while (r.Read()) Match(r, _rows.ReadSegment(r, 0, bucket));
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
                            long seg = _rows.ReadSegment(r, 0, bucket);
                            if (top && PostingBlock.FirstRestOf(seg) == rest
                                && (long)PostingBlock.SameStartOf(seg) * MaxBlockEntries >= maxDocuments)
                            {
                                Drop(key);
                                break;
                            }
                            if (fetched.Add(seg)) Match(r, seg);
                            if (PostingBlock.FirstRestOf(seg) < rest) break;
                        }
                    }
                    i = j;
                }
            }
            catch (SqliteException e)
            {
                throw ToIndexError(_index.Location, e);
            }
            for (int k = 0; k < keys.Length; k++)
            {
                if (counted[k] < 0 || lists[k] is not { Count: > 0 } list) continue;
                // Equal rests in one bucket are equal keys; sorted so each document appears once per key.
                list.Sort();
                int n = 1;
                for (int x = 1; x < list.Count; x++) if (list[x] != list[n - 1]) list[n++] = list[x];
                sink(k, CollectionsMarshal.AsSpan(list)[..n]);
            }
        }

        // Loaded on first use, once per snapshot: one scan is cheaper than a query per candidate. Document numbers
        // are dense (SQLite row ids, never reused), so an array indexed by number is the usual form: 4 MB for a
        // million documents, -1 for numbers not live. Only an index whose numbers have run far ahead of its size
        // (documents replaced many times over) falls back to a dictionary.
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
                counts[i] = _keyCountByNumber is { } dense ? (n >= 0 && n < dense.Length ? Math.Max(dense[n], 0) : 0) : _keyCountSparse!.GetValueOrDefault(n);
            }
        }

        private bool IsLive(long n) =>
            _keyCountByNumber is { } dense ? n >= 0 && n < dense.Length && dense[n] >= 0 : _keyCountSparse!.ContainsKey(n);

        private void LoadKeyCounts()
        {
            if (_averageKeyCount >= 0) return;
            Guard(() =>
            {
                // Every row read whole and checked: a damaged key count would skew every ranking unseen. Read from
                // the table itself (NOT INDEXED), and counted against DocumentCount.
                var rows = new List<(long Doc, int Keys)>();
                using (var c = Command($"SELECT {_rows.DocColumns} FROM docs d NOT INDEXED"))
                using (var r = c.ExecuteReader())
                {
                    while (r.Read())
                    {
                        var doc = _rows.ReadDoc(r, 0);
                        rows.Add((doc.Number, doc.Keys));
                    }
                }
                if (rows.Count != DocumentCount)
                    throw _rows.Damaged($"docs: {rows.Count} rows read where SQLite counts {DocumentCount}");
                long max = 0, sum = 0;
                foreach (var (doc, keys) in rows) { max = Math.Max(max, doc); sum += keys; }
                if (max <= 4L * rows.Count + 1024)
                {
                    _keyCountByNumber = new int[max + 1];
                    Array.Fill(_keyCountByNumber, -1);
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
                doc = _rows.ReadDoc(r, 0).ToIndexed();
            }
            _aliases.Parameters[0].Value = number;
            var aliases = new List<string>();
            using (var r = _aliases.ExecuteReader())
            {
                while (r.Read())
                {
                    var (alias, of) = _rows.ReadAlias(r, 0);
                    if (of != number)
                        throw _rows.Damaged($"alias '{alias}': found for document {number}, which it does not name (SQL index damaged)");
                    aliases.Add(alias);
                }
            }
            return aliases.Count == 0 ? doc : doc with { Aliases = aliases };
        });

        public string? ReadText(long number) => Guard(() =>
        {
            _text.Parameters[0].Value = number;
            using var r = _text.ExecuteReader();
            if (!r.Read()) return null;
            string id = _rows.Text(r, 0, $"document {number}");
            byte[] hash = _rows.Blob(r, 1, $"document {number} ('{id}')");
            if (r.IsDBNull(2)) throw _rows.Damaged($"text of document {number} ('{id}'): missing");
            return _rows.ReadText(number, id, r.GetFieldValue<byte[]>(2), r, 3, hash);
        });

        private T Guard<T>(Func<T> f) => _index.Guard(f);

        public void Dispose()
        {
            _lookup.Dispose();
            _merged.Dispose();
            _get.Dispose();
            _text.Dispose();
            _aliases.Dispose();
            _vectors?.Dispose();
            _tx.Dispose();
            _conn.Dispose();
        }
    }
}
