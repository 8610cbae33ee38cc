using System.Diagnostics;
using System.Globalization;
using Doppel.Engine.Index;
using StackExchange.Redis;

namespace Doppel.Index.Redis;

public sealed partial class RedisReferenceIndex
{
    private static readonly string[] RecordFields = ["id", "title", "hash", "chars", "nkeys", "added", "textbytes", "sum"];
    private static readonly RedisValue[] RecordFieldValues = RecordFields.Select(f => (RedisValue)f).ToArray();

    /// <summary>A document record without its text, as read for the writer's decisions and for listings.</summary>
    internal sealed class Record
    {
        public long Number;
        public string Id = "";
        public string Title = "";
        public byte[] Hash = [];
        public int Chars, Keys;
        public string Added = "";
        public long TextBytes;
        public bool Live;
        public SortedSet<string> Aliases = new(StringComparer.Ordinal);

        public IndexedDocument ToIndexed() => new(Number, Id, Title, Convert.ToHexStringLower(Hash), Chars, Keys,
            DateTimeOffset.Parse(Added, CultureInfo.InvariantCulture));
    }

    /// <summary>Parses an HMGET of <see cref="RecordFields"/>; null when the record is absent; checks the checksum.</summary>
    internal Record? ParseRecord(long number, RedisValue[] v)
    {
        if (v.All(x => x.IsNull)) return null;
        if (v.Any(x => x.IsNull)) throw Damaged($"document {number}: a field is missing");
        var r = new Record
        {
            Number = number, Id = v[0]!, Title = v[1]!, Hash = (byte[])v[2]!, Added = v[5]!,
        };
        if (!int.TryParse((string?)v[3], NumberStyles.None, CultureInfo.InvariantCulture, out r.Chars)
            || !int.TryParse((string?)v[4], NumberStyles.None, CultureInfo.InvariantCulture, out r.Keys)
            || !long.TryParse((string?)v[6], NumberStyles.None, CultureInfo.InvariantCulture, out r.TextBytes)
            || !long.TryParse((string?)v[7], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long sum)
            || sum != DocSum(number, r.Id, r.Title, r.Hash, r.Chars, r.Keys, r.Added, r.TextBytes)
            || !DateTimeOffset.TryParse(r.Added, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw Damaged($"document {number} ('{r.Id}'): fails its checksum");
        return r;
    }

    internal Task<RedisValue[]> ReadRecordAsync(long number) => _db.HashGetAsync(DocKey(number), RecordFieldValues);

    /// <summary>What the writer knows of the index during one attempt: the maps' entries for the batch's ids and
    /// contents and the records they name, updated by each decision so later documents of the batch see earlier ones.</summary>
    private sealed class WriteState
    {
        public readonly Dictionary<string, long> Ids = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Aliases = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> Hashes = new(StringComparer.Ordinal);
        public readonly Dictionary<long, Record?> Records = [];
    }

    public IReadOnlyList<AddResult> AddBatch(IReadOnlyList<PreparedDocument> documents)
    {
        if (documents.Count == 0) return [];
        int n = documents.Count;
        var outcome = new AddResult?[n];
        var written = new long[n]; // the number a previous attempt wrote the document under (0: none)
        var confirmed = new bool[n];
        var clock = Stopwatch.StartNew();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Attempt(documents, outcome, written, confirmed);
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (clock.Elapsed >= RetryBudget)
                {
                    var committed = Enumerable.Range(0, n).Where(i => confirmed[i]).Select(i => outcome[i]!.Value).ToList();
                    var missing = Enumerable.Range(0, n).Where(i => !confirmed[i]).Select(i => documents[i].Id).ToList();
                    throw new IndexException(IndexErrorKind.Unavailable,
                        $"{Location}: the Redis cluster did not acknowledge {missing.Count} of {n} documents of a batch within {RetryBudget.TotalSeconds:F0} s ({OneLine(e)}); they were not added", e)
                    {
                        Committed = committed, NotAdded = missing,
                    };
                }
                Thread.Sleep(Backoff(attempt));
                continue;
            }
            return outcome.Select(o => o!.Value).ToList();
        }
    }

    /// <summary>One attempt at the documents not confirmed yet; marks those it confirms.</summary>
    private void Attempt(IReadOnlyList<PreparedDocument> documents, AddResult?[] outcome, long[] written, bool[] confirmed)
    {
        var todo = Enumerable.Range(0, documents.Count).Where(i => !confirmed[i]).ToList();
        var state = Load(todo.Select(i => documents[i]).ToList(), todo.Select(i => written[i]).Where(w => w > 0));
        var tasks = new List<Task>();
        var visible = new List<Func<Task>>(); // phase 2: what makes the batch's changes visible
        var readBack = new List<(int Doc, Func<bool> Check)>();
        // Numbers written in this attempt that a later document of the batch replaced: nothing to read back.
        var superseded = new HashSet<long>();
        string now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

        // Numbers for the documents that may be stored: one allocation for the attempt.
        long next = AllocateNumbers(todo.Count);
        long highest = 0;
        var postings = new List<(long Key, long Doc)>();

        foreach (int i in todo)
        {
            var d = documents[i];
            string hex = Convert.ToHexStringLower(d.ContentHash);
            // A previous attempt's record is dropped unless it is what the index now holds for this id.
            long previous = written[i];
            var existing = state.Ids.TryGetValue(d.Id, out long e) ? Live(state, e, d.Id) : null;
            AddResult decided;
            if (existing != null && existing.Hash.AsSpan().SequenceEqual(d.ContentHash))
            {
                decided = new AddResult(d.Id, AddOutcome.Unchanged);
                if (d.Vectors is { } v) tasks.Add(_db.HashSetAsync(DocKey(existing.Number), VectorFields(existing.Number, v)));
                if (existing.Number == previous) previous = 0;
                readBack.Add((i, ReadBackLive(existing.Number, d.Id)));
            }
            else if (existing == null && state.Aliases.TryGetValue(d.Id, out long a) && Live(state, a, null) is { } aliased
                     && aliased.Hash.AsSpan().SequenceEqual(d.ContentHash))
            {
                decided = new AddResult(d.Id, AddOutcome.Unchanged);
                if (d.Vectors is { } v) tasks.Add(_db.HashSetAsync(DocKey(aliased.Number), VectorFields(aliased.Number, v)));
                readBack.Add((i, ReadBackAlias(d.Id, aliased.Number)));
            }
            else if (state.Hashes.TryGetValue(hex, out long h) && Live(state, h, null) is { } same && same.Hash.AsSpan().SequenceEqual(d.ContentHash)
                     && same.Id != d.Id)
            {
                // Same content under another id: the id becomes an alias of it.
                if (existing != null) { superseded.Add(existing.Number); Delete(state, existing, visible); }
                RemoveAlias(state, d.Id, visible);
                long number = same.Number;
                if (d.Vectors is { } v) tasks.Add(_db.HashSetAsync(DocKey(number), VectorFields(number, v)));
                string id = d.Id;
                long sum = AliasSum(id, number);
                state.Aliases[id] = number;
                same.Aliases.Add(id);
                visible.Add(() => _db.HashSetAsync(AliasKeyOf(id), id, $"{number} {sum}"));
                visible.Add(() => _db.SetAddAsync(DocAliasKey(number), id));
                decided = new AddResult(d.Id, AddOutcome.Duplicate, same.Id);
                readBack.Add((i, ReadBackAlias(id, number)));
            }
            else
            {
                RemoveAlias(state, d.Id, visible);
                if (existing != null) { superseded.Add(existing.Number); Delete(state, existing, visible); }
                long number = next++;
                highest = number;
                written[i] = number;
                byte[] text = TextCodec.Compress(d.Text);
                long sum = DocSum(number, d.Id, d.Title, d.ContentHash, d.Text.Length, d.Keys.Length, now, text.Length);
                tasks.Add(_db.HashSetAsync(DocKey(number), [
                    new("id", d.Id), new("title", d.Title), new("hash", d.ContentHash), new("chars", d.Text.Length),
                    new("nkeys", d.Keys.Length), new("added", now), new("textbytes", text.Length), new("sum", Num(sum)),
                    new("text", text), new("tsum", Num(TextSum(number, text))),
                    .. d.Vectors is { } v ? VectorFields(number, v) : [],
                ]));
                foreach (long key in d.Keys) postings.Add((key, number));
                string live = LiveValue(number, d.Keys.Length, d.Text.Length, text.Length);
                string id = d.Id;
                visible.Add(() => _db.HashSetAsync(LiveKeyOf(number), Num(number), live));
                visible.Add(() => _db.HashSetAsync(IdKeyOf(id), id, Num(number)));
                visible.Add(() => _db.HashSetAsync(HashKeyOf(d.ContentHash), hex, Num(number)));
                state.Records[number] = new Record
                {
                    Number = number, Id = d.Id, Title = d.Title, Hash = d.ContentHash, Chars = d.Text.Length, Keys = d.Keys.Length,
                    Added = now, TextBytes = text.Length, Live = true,
                };
                state.Ids[d.Id] = number;
                state.Hashes[hex] = number;
                decided = new AddResult(d.Id, existing == null ? AddOutcome.Added : AddOutcome.Replaced);
                readBack.Add((i, ReadBackDocument(number, sum, superseded)));
            }
            // The first attempt's outcome stands: a retry that finds its own earlier write finds it "unchanged".
            outcome[i] ??= decided;
            if (previous > 0 && previous != written[i]) Drop(previous, tasks);
        }
        WritePostings(postings, tasks);
        AwaitAll(tasks);
        WaitForReplicas();

        foreach (var write in visible) tasks.Add(write());
        if (highest > 0) tasks.Add(_db.ScriptEvaluateAsync(RaiseScript, [CommittedKey], [highest]));
        AwaitAll(tasks);
        WaitForReplicas();

        // Read back: a document is confirmed only once the cluster returns what was written.
        // (after the writes: each check reads when it runs; run in parallel so the round trips overlap)
        Parallel.ForEach(readBack, new ParallelOptions { MaxDegreeOfParallelism = 16 }, r =>
        {
            if (r.Check()) confirmed[r.Doc] = true;
        });
        if (readBack.Any(r => !confirmed[r.Doc]))
            throw new TransientException("a document written did not read back");
    }

    private Func<bool> ReadBackDocument(long number, long sum, HashSet<long> superseded) => () =>
    {
        if (superseded.Contains(number)) return true;
        return Await(_db.HashGetAsync(DocKey(number), "sum")) == Num(sum) && Await(_db.HashExistsAsync(LiveKeyOf(number), Num(number)));
    };

    private Func<bool> ReadBackLive(long number, string id) => () =>
        Await(_db.HashExistsAsync(LiveKeyOf(number), Num(number))) && Await(_db.HashGetAsync(IdKeyOf(id), id)) == Num(number);

    private Func<bool> ReadBackAlias(string id, long number) => () => ParseAlias(id, Await(_db.HashGetAsync(AliasKeyOf(id), id))) == number;

    /// <summary>An alias entry's document number (0: absent), its checksum checked.</summary>
    internal long ParseAlias(string id, RedisValue v)
    {
        if (v.IsNull) return 0;
        var parts = ((string)v!).Split(' ');
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long number)
            && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long sum) && sum == AliasSum(id, number))
            return number;
        throw Damaged($"alias '{id}': fails its checksum");
    }

    /// <summary>The live record numbered <paramref name="number"/>, when it is live (and has the id, if given).</summary>
    private static Record? Live(WriteState state, long number, string? id) =>
        state.Records.GetValueOrDefault(number) is { Live: true } r && (id == null || r.Id == id) ? r : null;

    /// <summary>Reads the maps' entries for the documents and the records they name (two pipelined rounds).</summary>
    private WriteState Load(List<PreparedDocument> docs, IEnumerable<long> previous)
    {
        var state = new WriteState();
        var ids = docs.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList();
        var hashes = docs.Select(d => d.ContentHash).DistinctBy(Convert.ToHexStringLower).ToList();
        var idTasks = ids.Select(id => _db.HashGetAsync(IdKeyOf(id), id)).ToList();
        var aliasTasks = ids.Select(id => _db.HashGetAsync(AliasKeyOf(id), id)).ToList();
        var hashTasks = hashes.Select(h => _db.HashGetAsync(HashKeyOf(h), Convert.ToHexStringLower(h))).ToList();
        var numbers = new HashSet<long>(previous);
        for (int i = 0; i < ids.Count; i++)
        {
            long id = ParseNumber(Await(idTasks[i]));
            if (id > 0) { state.Ids[ids[i]] = id; numbers.Add(id); }
            long alias = ParseAlias(ids[i], Await(aliasTasks[i]));
            if (alias > 0) { state.Aliases[ids[i]] = alias; numbers.Add(alias); }
        }
        for (int i = 0; i < hashes.Count; i++)
        {
            long h = ParseNumber(Await(hashTasks[i]));
            if (h > 0) { state.Hashes[Convert.ToHexStringLower(hashes[i])] = h; numbers.Add(h); }
        }
        LoadRecords(state, numbers);
        return state;
    }

    private void LoadRecords(WriteState state, IEnumerable<long> numbers)
    {
        var list = numbers.Where(x => !state.Records.ContainsKey(x)).ToList();
        var records = list.Select(ReadRecordAsync).ToList();
        var live = list.Select(x => _db.HashExistsAsync(LiveKeyOf(x), Num(x))).ToList();
        var aliases = list.Select(x => _db.SetMembersAsync(DocAliasKey(x))).ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var r = ParseRecord(list[i], Await(records[i]));
            if (r != null)
            {
                r.Live = Await(live[i]);
                foreach (var a in Await(aliases[i])) r.Aliases.Add(a!);
            }
            else
            {
                Await(live[i]);
                Await(aliases[i]);
            }
            state.Records[list[i]] = r;
        }
    }

    /// <summary>Removes a document (phase 2); when other ids share its content, the first of them (in ordinal order)
    /// takes it over, as in the embedded index.</summary>
    private void Delete(WriteState state, Record doc, List<Func<Task>> visible)
    {
        long number = doc.Number;
        string oldId = doc.Id;
        if (state.Ids.GetValueOrDefault(oldId) == number) state.Ids.Remove(oldId);
        if (doc.Aliases.Count > 0)
        {
            string heir = doc.Aliases.Min!;
            doc.Aliases.Remove(heir);
            doc.Id = heir;
            state.Aliases.Remove(heir);
            state.Ids[heir] = number;
            long sum = DocSum(number, heir, doc.Title, doc.Hash, doc.Chars, doc.Keys, doc.Added, doc.TextBytes);
            visible.Add(() => _db.HashSetAsync(DocKey(number), [new("id", heir), new("sum", Num(sum))]));
            visible.Add(() => _db.HashSetAsync(IdKeyOf(heir), heir, Num(number)));
            visible.Add(() => _db.HashDeleteAsync(AliasKeyOf(heir), heir));
            visible.Add(() => _db.SetRemoveAsync(DocAliasKey(number), heir));
            visible.Add(() => DeleteIfNumber(IdKeyOf(oldId), oldId, number));
            return;
        }
        doc.Live = false;
        string hex = Convert.ToHexStringLower(doc.Hash);
        if (state.Hashes.GetValueOrDefault(hex) == number) state.Hashes.Remove(hex);
        visible.Add(() => _db.HashDeleteAsync(LiveKeyOf(number), Num(number)));
        visible.Add(() => _db.KeyDeleteAsync(DocKey(number)));
        visible.Add(() => _db.KeyDeleteAsync(DocAliasKey(number)));
        visible.Add(() => DeleteIfNumber(IdKeyOf(oldId), oldId, number));
        visible.Add(() => DeleteIfNumber(HashKeyOf(doc.Hash), hex, number));
    }

    /// <summary>Drops an alias of the id, if there is one.</summary>
    private void RemoveAlias(WriteState state, string id, List<Func<Task>> visible)
    {
        if (!state.Aliases.Remove(id, out long number)) return;
        if (state.Records.GetValueOrDefault(number) is { } r) r.Aliases.Remove(id);
        visible.Add(() => _db.HashDeleteAsync(AliasKeyOf(id), id));
        visible.Add(() => _db.SetRemoveAsync(DocAliasKey(number), id));
    }

    /// <summary>What a failed attempt wrote under a number that is not used after all.</summary>
    private void Drop(long number, List<Task> tasks)
    {
        tasks.Add(_db.HashDeleteAsync(LiveKeyOf(number), Num(number)));
        tasks.Add(_db.KeyDeleteAsync(DocKey(number)));
        tasks.Add(_db.KeyDeleteAsync(DocAliasKey(number)));
    }

    /// <summary>HDEL of a map entry only while it still names <paramref name="number"/> (another document may have
    /// taken the id or content since).</summary>
    private Task DeleteIfNumber(RedisKey key, string field, long number) =>
        _db.ScriptEvaluateAsync(DeleteIfScript, [key], [field, Num(number)]);

    private const string DeleteIfScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
        return 0
        """;

    /// <summary>SET key to ARGV[1] unless it holds more already.</summary>
    private const string RaiseScript = """
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        local v = tonumber(ARGV[1])
        if v > cur then redis.call('SET', KEYS[1], ARGV[1]) return v end
        return cur
        """;

    /// <summary>Hands out <paramref name="count"/> numbers above every number used (also above what this writer
    /// used, should a failover have lost the counter's last increments). Returns the first.</summary>
    private long AllocateNumbers(int count)
    {
        const string script = """
            local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
            local floor = tonumber(ARGV[2])
            if cur < floor then cur = floor end
            cur = cur + tonumber(ARGV[1])
            redis.call('SET', KEYS[1], cur)
            return cur
            """;
        long last = (long)_db.ScriptEvaluate(script, [SeqKey], [count, _numberFloor]);
        _numberFloor = last;
        return last - count + 1;
    }

    /// <summary>Appends the batch's postings, one script call per bucket (one key each: no slot is crossed), every
    /// call pipelined.</summary>
    private void WritePostings(List<(long Key, long Doc)> postings, List<Task> tasks)
    {
        if (postings.Count == 0) return;
        var sorted = postings.Select(p => (Bucket: BucketOf(p.Key), p.Key, p.Doc)).ToArray();
        Array.Sort(sorted);
        var docs = new List<long>();
        int i = 0;
        while (i < sorted.Length)
        {
            int bucket = sorted[i].Bucket;
            var args = new List<RedisValue> { PostingChunks.MaxValueBytes };
            while (i < sorted.Length && sorted[i].Bucket == bucket)
            {
                long key = sorted[i].Key;
                docs.Clear();
                for (; i < sorted.Length && sorted[i].Key == key; i++)
                    if (docs.Count == 0 || docs[^1] != sorted[i].Doc) docs.Add(sorted[i].Doc);
                args.Add(KeyField(key));
                args.Add(EncodeChunk(key, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(docs)));
            }
            tasks.Add(_db.ScriptEvaluateAsync(AppendScript, [BucketKey(bucket)], args.ToArray()));
        }
    }

    private const string AppendScript = """
        local bound = tonumber(ARGV[1])
        for i = 2, #ARGV, 2 do
          local v = redis.call('HGET', KEYS[1], ARGV[i])
          if not v then
            redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          elseif v ~= '!' then
            if #v + #ARGV[i + 1] > bound then
              redis.call('HSET', KEYS[1], ARGV[i], '!')
            else
              redis.call('HSET', KEYS[1], ARGV[i], v .. ARGV[i + 1])
            end
          end
        end
        return 0
        """;

    public IReadOnlyList<string> Remove(IEnumerable<string> ids)
    {
        var list = ids.Distinct(StringComparer.Ordinal).ToList();
        return Retry(() =>
        {
            var state = new WriteState();
            var idTasks = list.Select(id => _db.HashGetAsync(IdKeyOf(id), id)).ToList();
            var aliasTasks = list.Select(id => _db.HashGetAsync(AliasKeyOf(id), id)).ToList();
            var numbers = new HashSet<long>();
            for (int i = 0; i < list.Count; i++)
            {
                long n = ParseNumber(Await(idTasks[i]));
                if (n > 0) { state.Ids[list[i]] = n; numbers.Add(n); }
                long a = ParseAlias(list[i], Await(aliasTasks[i]));
                if (a > 0) { state.Aliases[list[i]] = a; numbers.Add(a); }
            }
            LoadRecords(state, numbers);
            var visible = new List<Func<Task>>();
            var removed = new List<string>();
            foreach (var id in list)
            {
                if (state.Ids.TryGetValue(id, out long n) && Live(state, n, id) is { } doc)
                {
                    Delete(state, doc, visible);
                    removed.Add(id);
                }
                else if (state.Aliases.ContainsKey(id))
                {
                    RemoveAlias(state, id, visible);
                    removed.Add(id);
                }
            }
            var tasks = visible.Select(v => v()).ToList();
            AwaitAll(tasks);
            WaitForReplicas();
            return (IReadOnlyList<string>)removed;
        });
    }
}
