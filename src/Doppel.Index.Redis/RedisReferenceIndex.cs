using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Text;
using Doppel.Engine.Index;
using StackExchange.Redis;

namespace Doppel.Index.Redis;

/// <summary>
/// The reference index on a Redis Cluster (docs/scale-out.md): the same documents, aliases, checksums and posting
/// lists as the embedded <see cref="SqliteReferenceIndex"/>, laid out over the cluster's hash slots.
/// </summary>
/// <remarks>
/// <para>Layout (every key starts with <c>doppel:NAME:</c>; no hash tags: no command touches two keys):
/// <c>meta</c> (format and version), <c>seq</c> (the last document number handed out), <c>committed</c> (the
/// highest number of a document made live: a snapshot's high-water mark), <c>doc:N</c> (a hash: the document's
/// fields, its compressed text, its sentence vectors when stored, and their checksums), <c>docalias:N</c> (a set: the ids that share its content),
/// <c>live:S</c> (64 hashes: number → key count, characters, text bytes and a checksum, for every live document),
/// <c>id:S</c>, <c>hash:S</c>, <c>alias:S</c> (256 hashes each: id → number, content hash → number, alias → number),
/// and <c>p:B</c> (2^18 hashes: a key → its posting list, see <see cref="PostingChunks"/>). Each family is sharded so
/// that its keys spread evenly over the slots and so over the masters.</para>
/// <para>Durability. A batch is written in two phases: first what no reader sees yet (records, texts, postings),
/// then what makes a document visible (its live entry, its id and content hash). After each phase every master
/// that owns slots must have a replica acknowledge the writes (<c>WAIT</c>); then every document is read back.
/// Only then is it reported added. A failure of the cluster (a master killed, a failover in progress) is retried
/// for up to <see cref="RetryBudget"/>, documents written by a failed attempt being cleaned up and written again;
/// past it the add fails with <see cref="IndexErrorKind.Unavailable"/> naming every document not added.</para>
/// <para>Snapshots read <c>committed</c> first and see only documents numbered up to it: a document added later has
/// a higher number. One writer at a time (as for the embedded index).</para>
/// </remarks>
public sealed partial class RedisReferenceIndex : IReferenceIndex
{
    public const int FormatVersion = 1;
    public const string FormatName = "doppel-index";

    internal const int LiveShards = 64;
    internal const int MapShards = 256;
    internal const int BucketBits = 18;

    private readonly ConnectionMultiplexer _mux;
    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly RowChecksum _sum = new();
    private readonly Lock _sumLock = new();
    /// <summary>The highest document number this writer has used: numbers handed out are never below it, even if
    /// a failover lost the counter's last increments.</summary>
    private long _numberFloor;

    public string Location { get; }
    public RedisLocation Address { get; }

    /// <summary>How long a failing operation is retried before it fails as <see cref="IndexErrorKind.Unavailable"/>:
    /// longer than a failover (cluster-node-timeout 5 s plus the election, about 8 s here).</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Replicas that must acknowledge each master's writes.</summary>
    public int RequiredReplicas { get; init; } = 1;

    private RedisReferenceIndex(RedisLocation address, ConnectionMultiplexer mux)
    {
        Address = address;
        Location = address.ToString();
        _mux = mux;
        _db = mux.GetDatabase();
        _prefix = $"doppel:{address.Name}:";
    }

    // ---- keys ----
    internal RedisKey MetaKey => _prefix + "meta";
    internal RedisKey SeqKey => _prefix + "seq";
    internal RedisKey CommittedKey => _prefix + "committed";
    internal RedisKey DocKey(long n) => _prefix + "doc:" + n.ToString(CultureInfo.InvariantCulture);
    internal RedisKey DocAliasKey(long n) => _prefix + "docalias:" + n.ToString(CultureInfo.InvariantCulture);
    internal RedisKey LiveKey(int shard) => _prefix + "live:" + shard.ToString(CultureInfo.InvariantCulture);
    internal RedisKey LiveKeyOf(long n) => LiveKey((int)(n % LiveShards));
    internal RedisKey IdKey(int shard) => _prefix + "id:" + shard.ToString(CultureInfo.InvariantCulture);
    internal RedisKey IdKeyOf(string id) => IdKey(Shard(id));
    internal RedisKey AliasKey(int shard) => _prefix + "alias:" + shard.ToString(CultureInfo.InvariantCulture);
    internal RedisKey AliasKeyOf(string id) => AliasKey(Shard(id));
    internal RedisKey HashKey(int shard) => _prefix + "hash:" + shard.ToString(CultureInfo.InvariantCulture);
    internal RedisKey HashKeyOf(byte[] hash) => HashKey(hash[0]);
    internal RedisKey BucketKey(int bucket) => _prefix + "p:" + bucket.ToString(CultureInfo.InvariantCulture);
    internal static int BucketOf(long key) => (int)((key >> 1) & ((1 << BucketBits) - 1));
    internal static RedisValue KeyField(long key) => BitConverter.GetBytes(key);
    internal static long FieldKey(byte[] field) => BitConverter.ToInt64(field);
    internal static RedisValue Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    internal static int Shard(string id) => (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id)) % MapShards);

    // ---- opening ----

    public static bool IsRedis(string location) => RedisLocation.IsRedis(location);

    /// <summary>Connects to the cluster and opens the index <c>NAME</c>; creates it when <paramref name="create"/>.</summary>
    /// <exception cref="IndexException">Unreachable (<see cref="IndexErrorKind.Unavailable"/>), no index, foreign
    /// keys, a newer format.</exception>
    public static RedisReferenceIndex Open(string location, bool create, TimeSpan? retryBudget = null)
    {
        RedisLocation address;
        try
        {
            address = RedisLocation.Parse(location);
        }
        catch (FormatException e)
        {
            throw new IndexException(IndexErrorKind.NotFound, e.Message, e);
        }
        var mux = RedisCluster.Connect(address, out string? error)
            ?? throw new IndexException(IndexErrorKind.Unavailable, error!);
        var index = new RedisReferenceIndex(address, mux) { RetryBudget = retryBudget ?? TimeSpan.FromSeconds(60) };
        try
        {
            index.Initialise(create);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>True when the cluster holds the index (its <c>meta</c> key).</summary>
    public static bool Exists(string location)
    {
        try
        {
            using var index = Open(location, create: false, TimeSpan.FromSeconds(5));
            return true;
        }
        catch (IndexException e) when (e.Kind == IndexErrorKind.NotFound)
        {
            return false;
        }
        catch (IndexException e) when (e.Kind == IndexErrorKind.Unavailable)
        {
            return true; // so that opening it fails with the cluster's error, not "no index"
        }
    }

    private void Initialise(bool create)
    {
        var meta = Retry(() => _db.HashGetAll(MetaKey));
        if (meta.Length == 0)
        {
            if (!create) throw new IndexException(IndexErrorKind.NotFound, $"{Location}: no index here (create one with 'doppel index add')");
            string version = FormatVersion.ToString(CultureInfo.InvariantCulture);
            long sum;
            lock (_sumLock) sum = _sum.Begin(RowChecksum.Table.Meta).Add(FormatName).Add(version).Value;
            // HSETNX: a concurrent creator's meta stays as it is.
            Retry(() => _db.HashSet(MetaKey, "format", FormatName, When.NotExists));
            Retry(() => _db.HashSet(MetaKey, "version", version, When.NotExists));
            Retry(() => _db.HashSet(MetaKey, "sum", Num(sum), When.NotExists));
            Retry(() => { WaitForReplicas(); return 0; });
            meta = Retry(() => _db.HashGetAll(MetaKey));
        }
        var fields = meta.ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        if (fields.GetValueOrDefault("format") != FormatName)
            throw new IndexException(IndexErrorKind.Foreign, $"{Location}: the key {MetaKey} is not a Doppel index's");
        if (!int.TryParse(fields.GetValueOrDefault("version"), NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
            throw Damaged("meta: no format version");
        if (v > FormatVersion)
            throw new IndexException(IndexErrorKind.NewerFormat,
                $"{Location}: index format version {v} is newer than this doppel reads (version {FormatVersion}); upgrade doppel");
        long expected;
        lock (_sumLock) expected = _sum.Begin(RowChecksum.Table.Meta).Add(FormatName).Add(fields["version"]!).Value;
        if (fields.GetValueOrDefault("sum") != expected.ToString(CultureInfo.InvariantCulture)) throw Damaged("meta: fails its checksum");
        Version = v;
    }

    public int Version { get; private set; }

    // ---- checksums (one RowChecksum, so they are taken under a lock: snapshots may run on other threads) ----

    internal long DocSum(long number, string id, string title, byte[] hash, long chars, long keys, string added, long textBytes)
    {
        lock (_sumLock)
            return _sum.Begin(RowChecksum.Table.Docs).Add(number).Add(id).Add(title).Add(hash).Add(chars).Add(keys).Add(added).Add(textBytes).Value;
    }

    internal long TextSum(long number, ReadOnlySpan<byte> data)
    {
        lock (_sumLock) return _sum.Begin(RowChecksum.Table.Texts).Add(number).Add(data).Value;
    }

    internal long VectorSum(long number, string tag, ReadOnlySpan<byte> data)
    {
        lock (_sumLock) return _sum.Begin(RowChecksum.Table.Vectors).Add(number).Add(tag).Add(data).Value;
    }

    /// <summary>Sentence vectors are three more fields of the document's own hash (<c>vtag</c>, <c>vec</c>,
    /// <c>vsum</c>): on its key, so in its slot, and deleted with it. Readers that predate them ignore the fields.</summary>
    public bool StoresVectors => true;

    internal HashEntry[] VectorFields(long number, StoredVectors v) =>
        [new("vtag", v.Tag), new("vec", v.Data), new("vsum", Num(VectorSum(number, v.Tag, v.Data)))];

    internal long AliasSum(string id, long number)
    {
        lock (_sumLock) return _sum.Begin(RowChecksum.Table.Aliases).Add(id).Add(number).Value;
    }

    /// <summary>The live entry's checksum: over the number and the figures it carries.</summary>
    internal long LiveSum(long number, long keys, long chars, long textBytes)
    {
        lock (_sumLock) return _sum.Begin(RowChecksum.Table.Dead).Add(number).Add(keys).Add(chars).Add(textBytes).Value;
    }

    internal byte[] EncodeChunk(long key, ReadOnlySpan<long> docs)
    {
        lock (_sumLock) return PostingChunks.Encode(key, docs, _sum);
    }

    internal void DecodeChunks(long key, ReadOnlySpan<byte> value, Action<long> doc)
    {
        // Decoded under the lock with a private checksum state would be faster; one per snapshot is kept instead.
        var sum = new RowChecksum();
        PostingChunks.Decode(key, value, sum, doc);
    }

    internal string LiveValue(long number, long keys, long chars, long textBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{keys} {chars} {textBytes} {LiveSum(number, keys, chars, textBytes)}");

    /// <summary>A live entry: key count, characters, text bytes, checked.</summary>
    internal (int Keys, long Chars, long TextBytes) ParseLive(long number, string? value)
    {
        var parts = (value ?? "").Split(' ');
        if (parts.Length == 4
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int keys)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long chars)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
            && long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long sum)
            && sum == LiveSum(number, keys, chars, bytes))
            return (keys, chars, bytes);
        throw Damaged($"live entry of document {number}: fails its checksum");
    }

    internal static long ParseNumber(RedisValue v) =>
        v.IsNull ? 0 : long.TryParse((string?)v, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0 ? n : -1;

    // ---- errors and retries ----

    internal IndexException Damaged(string problem, Exception? inner = null) =>
        new(IndexErrorKind.Damaged, $"{Location}: damaged index: {problem}; restore it from a backup or rebuild it", inner) { Problem = problem };

    internal IndexException Unavailable(Exception e) =>
        new(IndexErrorKind.Unavailable, $"{Location}: the Redis cluster is unavailable ({OneLine(e)}); the operation can be retried", e);

    internal static string OneLine(Exception e) => RedisCluster.OneLine(e);

    internal static bool IsTransient(Exception e) => RedisCluster.IsTransient(e);

    /// <summary>Runs a read (or an idempotent write), retrying failures of the cluster within the budget.</summary>
    internal T Retry<T>(Func<T> f) => RedisCluster.Retry(f, RetryBudget, Unavailable);

    internal static TimeSpan Backoff(int attempt) => RedisCluster.Backoff(attempt);

    internal static T Await<T>(Task<T> t)
    {
        try
        {
            return t.GetAwaiter().GetResult();
        }
        catch (AggregateException a) when (a.InnerExceptions.Count == 1)
        {
            throw a.InnerExceptions[0];
        }
    }

    /// <summary>Waits for every task, then throws the first failure (so no task is left running).</summary>
    internal static void AwaitAll(List<Task> tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException a)
        {
            throw a.InnerExceptions.FirstOrDefault(e => !IsTransient(e)) ?? a.InnerExceptions[0];
        }
        tasks.Clear();
    }

    internal List<IServer> Masters() => RedisCluster.Masters(_mux);

    /// <summary><c>WAIT</c> on every master: each must have <see cref="RequiredReplicas"/> replicas acknowledge all
    /// the writes sent to it so far.</summary>
    internal void WaitForReplicas()
    {
        foreach (var master in Masters()) RedisCluster.WaitForReplicas(master, RequiredReplicas);
    }

    internal static string Format(EndPoint ep) => RedisCluster.Format(ep);

    /// <summary>Memory the masters use (INFO memory), over all indexes in the cluster.</summary>
    internal long UsedMemory()
    {
        long total = 0;
        foreach (var m in Masters())
        {
            var info = m.Info("memory").SelectMany(g => g).FirstOrDefault(p => p.Key == "used_memory");
            if (long.TryParse(info.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)) total += bytes;
        }
        return total;
    }

    /// <summary>The keys of this index held by each master (by the slots it serves): the layout's spread.</summary>
    public IReadOnlyList<(string Master, long Keys)> KeysPerMaster() => Retry(() =>
    {
        var result = new List<(string, long)>();
        foreach (var m in Masters())
        {
            long n = 0;
            foreach (var _ in m.Keys(pattern: _prefix + "*", pageSize: 5000)) n++;
            result.Add((Format(m.EndPoint), n));
        }
        return (IReadOnlyList<(string, long)>)result;
    });

    public void Dispose() => _mux.Dispose();
}
