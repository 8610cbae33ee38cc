using System.Globalization;
using System.Runtime.InteropServices;
using Doppel.Engine.Index;
using StackExchange.Redis;

namespace Doppel.Index.Redis;

public sealed partial class RedisReferenceIndex
{
    /// <summary>Every live entry: number → (keys, characters, text bytes), each checked.</summary>
    internal Dictionary<long, (int Keys, long Chars, long TextBytes)> ReadLive()
    {
        var shards = Enumerable.Range(0, LiveShards).Select(s => _db.HashGetAllAsync(LiveKey(s))).ToList();
        var live = new Dictionary<long, (int, long, long)>();
        foreach (var t in shards)
        {
            foreach (var e in Await(t))
            {
                long number = ParseNumber(e.Name);
                if (number <= 0) throw Damaged($"live entry '{e.Name}': not a document number");
                live[number] = ParseLive(number, e.Value);
            }
        }
        return live;
    }

    internal long ReadCounter(RedisKey key)
    {
        var v = _db.StringGet(key);
        long n = ParseNumber(v);
        return n >= 0 ? n : throw Damaged($"{key}: not a number");
    }

    /// <summary>Every alias entry: alias → document number, each checked.</summary>
    internal Dictionary<string, long> ReadAliases()
    {
        var shards = Enumerable.Range(0, MapShards).Select(s => _db.HashGetAllAsync(AliasKey(s))).ToList();
        var aliases = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in shards)
            foreach (var e in Await(t))
                aliases[e.Name!] = ParseAlias(e.Name!, e.Value);
        return aliases;
    }

    public IReadOnlyList<IndexedDocument> List() => Retry(() =>
    {
        var live = ReadLive();
        var numbers = live.Keys.ToList();
        var records = numbers.Select(ReadRecordAsync).ToList();
        var byNumber = new Dictionary<long, Record>();
        for (int i = 0; i < numbers.Count; i++)
            byNumber[numbers[i]] = ParseRecord(numbers[i], Await(records[i])) ?? throw Damaged($"document {numbers[i]}: live, but its record is missing");
        var list = byNumber.Values.Select(r => r.ToIndexed()).ToList();
        foreach (var (alias, number) in ReadAliases())
        {
            if (!byNumber.TryGetValue(number, out var doc)) throw Damaged($"alias '{alias}': its document {number} is missing");
            list.Add(doc.ToIndexed() with { Id = alias, AliasOf = doc.Id });
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return (IReadOnlyList<IndexedDocument>)list;
    });

    public IndexStats Stats() => Retry(() =>
    {
        var live = ReadLive();
        long aliases = ReadAliases().Count;
        long seq = ReadCounter(SeqKey);
        // Posting lists: one hash field per key; counted per bucket, pipelined.
        long fields = 0, maxFields = 0;
        const int Group = 8192;
        for (int from = 0; from < 1 << BucketBits; from += Group)
        {
            var lens = Enumerable.Range(from, Group).Select(b => _db.HashLengthAsync(BucketKey(b))).ToList();
            foreach (var t in lens)
            {
                long n = Await(t);
                fields += n;
                maxFields = Math.Max(maxFields, n);
            }
        }
        return new IndexStats
        {
            Location = Location, Backend = "redis-cluster", FormatVersion = Version, Documents = live.Count, Aliases = aliases,
            Characters = live.Values.Sum(v => v.Chars), CompressedTextBytes = live.Values.Sum(v => v.TextBytes),
            PostingRows = fields, MaxBlocksPerBucket = maxFields, UnmergedBatches = 0,
            // Numbers handed out and not live: removed or replaced documents, and attempts a failure interrupted.
            DeadDocuments = Math.Max(0, seq - live.Count), DiskBytes = UsedMemory(),
        };
    });

    public IIndexSnapshot OpenSnapshot() => Retry(() => (IIndexSnapshot)new Snapshot(this));

    private sealed class Snapshot : IIndexSnapshot
    {
        private readonly RedisReferenceIndex _index;
        private readonly IDatabase _db;
        private readonly long _highWater;
        private readonly Dictionary<long, int> _keys = [];

        public long DocumentCount => _keys.Count;
        public double AverageKeyCount { get; }

        public Snapshot(RedisReferenceIndex index)
        {
            _index = index;
            _db = index._db;
            // The mark first: a document made live after it has a higher number and is left out.
            _highWater = index.ReadCounter(index.CommittedKey);
            long sum = 0;
            foreach (var (number, entry) in index.ReadLive())
            {
                if (number > _highWater) continue;
                _keys[number] = entry.Keys;
                sum += entry.Keys;
            }
            AverageKeyCount = _keys.Count == 0 ? 0 : (double)sum / _keys.Count;
        }

        public void Lookup(ReadOnlySpan<long> keys, PostingsSink sink, int maxDocuments = int.MaxValue)
        {
            var wanted = keys.ToArray();
            var lists = _index.Retry(() => Fetch(wanted, maxDocuments));
            for (int k = 0; k < wanted.Length; k++)
                if (lists[k] is { Count: > 0 } list) sink(k, CollectionsMarshal.AsSpan(list));
        }

        /// <summary>One HMGET per bucket for the keys wanted in it, all pipelined; lists of live documents per key,
        /// null for keys absent, saturated or held by more than <paramref name="maxDocuments"/>.</summary>
        private List<long>?[] Fetch(long[] keys, int maxDocuments)
        {
            var byBucket = new Dictionary<int, List<int>>();
            for (int k = 0; k < keys.Length; k++)
            {
                int b = BucketOf(keys[k]);
                if (!byBucket.TryGetValue(b, out var l)) byBucket[b] = l = [];
                l.Add(k);
            }
            var requests = byBucket.Select(e => (Keys: e.Value, Task: _db.HashGetAsync(_index.BucketKey(e.Key), e.Value.Select(k => KeyField(keys[k])).ToArray()))).ToList();
            var lists = new List<long>?[keys.Length];
            var sum = new RowChecksum();
            foreach (var (wanted, task) in requests)
            {
                var values = Await(task);
                for (int w = 0; w < wanted.Count; w++)
                {
                    if (values[w].IsNull) continue;
                    byte[] value = (byte[])values[w]!;
                    int k = wanted[w];
                    try
                    {
                        int count = PostingChunks.Count(value);
                        if (count < 0 || count > maxDocuments) continue;
                        var list = new List<long>(count);
                        PostingChunks.Decode(keys[k], value, sum, doc =>
                        {
                            if (_keys.ContainsKey(doc)) list.Add(doc);
                        });
                        list.Sort();
                        int n = list.Count == 0 ? 0 : 1;
                        for (int x = 1; x < list.Count; x++) if (list[x] != list[n - 1]) list[n++] = list[x];
                        list.RemoveRange(n, list.Count - n);
                        lists[k] = list;
                    }
                    catch (InvalidDataException e)
                    {
                        throw _index.Damaged($"posting list of key {keys[k]:x16} (bucket {BucketOf(keys[k])}): {e.Message}", e);
                    }
                }
            }
            return lists;
        }

        public IndexedDocument? Get(long number)
        {
            if (!_keys.ContainsKey(number)) return null;
            return _index.Retry(() =>
            {
                var record = _index.ReadRecordAsync(number);
                var aliases = _db.SetMembersAsync(_index.DocAliasKey(number));
                var r = _index.ParseRecord(number, Await(record));
                var names = Await(aliases).Select(a => (string)a!).ToList();
                if (r == null) return null; // removed since the snapshot was opened
                names.Sort(string.CompareOrdinal);
                var doc = r.ToIndexed();
                return names.Count == 0 ? doc : doc with { Aliases = names };
            });
        }

        public void KeyCounts(ReadOnlySpan<long> numbers, Span<int> counts)
        {
            for (int i = 0; i < numbers.Length; i++) counts[i] = _keys.GetValueOrDefault(numbers[i]);
        }

        public string? ReadText(long number)
        {
            if (!_keys.ContainsKey(number)) return null;
            var v = _index.Retry(() => _db.HashGet(_index.DocKey(number), ["id", "hash", "text", "tsum"]));
            return v[0].IsNull ? null : _index.CheckText(number, v);
        }

        public StoredVectors? ReadVectors(long number)
        {
            if (!_keys.ContainsKey(number)) return null;
            var v = _index.Retry(() => _db.HashGet(_index.DocKey(number), ["vtag", "vec", "vsum"]));
            if (v[0].IsNull) return null;
            string tag = (string)v[0]!;
            if (v[1].IsNull || v[2] != Num(_index.VectorSum(number, tag, (byte[])v[1]!)))
                throw _index.Damaged($"vectors of document {number}: fail their checksum");
            return new StoredVectors(tag, (byte[])v[1]!);
        }

        public void Dispose()
        {
        }
    }

    /// <summary>A record's text (HMGET id, hash, text, tsum), checked against its checksum and content hash.</summary>
    internal string CheckText(long number, RedisValue[] v)
    {
        string what = $"text of document {number} ('{(string?)v[0]}')";
        if (v[1].IsNull || v[2].IsNull || v[3].IsNull) throw Damaged($"{what}: missing");
        byte[] data = (byte[])v[2]!;
        if ((string?)v[3] != Num(TextSum(number, data))) throw Damaged($"{what}: fails its checksum");
        string text;
        try
        {
            text = TextCodec.Decompress(data);
        }
        catch (InvalidDataException e)
        {
            throw Damaged($"{what}: cannot be decompressed ({e.Message})", e);
        }
        if (!DocumentPreparer.ContentHash(text).AsSpan().SequenceEqual((byte[])v[1]!))
            throw Damaged($"{what}: does not match the document's content hash");
        return text;
    }
}
