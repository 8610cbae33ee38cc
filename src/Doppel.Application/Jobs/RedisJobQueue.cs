using System.Globalization;
using System.Security.Cryptography;
using Doppel.Index.Redis;
using StackExchange.Redis;

namespace Doppel.Application.Jobs;

/// <summary>The job store cannot be reached or does not acknowledge a write in time; the message is one line and the
/// operation can be retried.</summary>
public sealed class JobStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The job queue on a Redis Cluster, shared by every server and worker that opens the same location
/// (<c>redis://HOST:PORT[,...][/NAME]</c>, docs/scale-out.md).
/// </summary>
/// <remarks>
/// <para>Keys (all under <c>doppel-jobs:NAME:</c>, apart from an index of the same name): <c>job:ID</c>, a hash per
/// job, is the authority on its state (status, lease, attempts, result); <c>stream</c>, a stream with the consumer
/// group <c>workers</c>, delivers jobs (XREADGROUP for new ones, XAUTOCLAIM for entries whose consumer stopped
/// acknowledging them); <c>owner:OWNER</c> and <c>all</c>, sorted sets by enqueue order, list them; <c>seq</c>
/// numbers them.</para>
/// <para>Every change of a job's state is one Lua script on its hash alone (one key, so one slot): the lease checks
/// (claim only when queued or when the lease expired, renew and finish only with the lease held, first finish wins)
/// are atomic without a cross-slot command. A stream entry only says "look at this job": a claimer that finds it
/// held leaves it, one that finds it finished acknowledges and deletes it, so entries delivered twice (a retried
/// XADD, a takeover) do no harm. Times are the clients' (<see cref="TimeProvider"/>): the nodes' clocks must agree
/// to well within a lease.</para>
/// <para>Writes are retried through a failover (the scripts are idempotent: a claim and a finish carry a token of
/// their own) and reported done only when a replica acknowledged them (<c>WAIT 1</c>).</para>
/// </remarks>
public sealed class RedisJobQueue : IJobQueue, IDisposable
{
    private const string Group = "workers";

    private readonly ConnectionMultiplexer _mux;
    private readonly IDatabase _db;
    private readonly TimeProvider _clock;
    private readonly string _prefix;
    private readonly RedisKey _stream, _seq, _all;

    public RedisLocation Address { get; }

    /// <summary>How long a stream entry sits unacknowledged before another worker looks at its job's lease (the lease
    /// decides; this only spares looking at jobs whose workers are alive). Default: a third of the lease asked for.</summary>
    public TimeSpan? TakeoverIdle { get; set; }

    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Replicas that must acknowledge each write.</summary>
    public int RequiredReplicas { get; init; } = 1;

    private RedisJobQueue(RedisLocation address, ConnectionMultiplexer mux, TimeProvider clock)
    {
        Address = address;
        _mux = mux;
        _db = mux.GetDatabase();
        _clock = clock;
        _prefix = $"doppel-jobs:{address.Name}:";
        _stream = _prefix + "stream";
        _seq = _prefix + "seq";
        _all = _prefix + "all";
    }

    /// <exception cref="JobStoreException">Not a location, or the cluster cannot be reached.</exception>
    public static RedisJobQueue Open(string location, TimeProvider? clock = null)
    {
        RedisLocation address;
        try { address = RedisLocation.Parse(location); }
        catch (FormatException e) { throw new JobStoreException(e.Message, e); }
        var mux = RedisCluster.Connect(address, out string? error) ?? throw new JobStoreException(error!);
        var queue = new RedisJobQueue(address, mux, clock ?? TimeProvider.System);
        try
        {
            queue.Retry(() =>
            {
                try { queue._db.StreamCreateConsumerGroup(queue._stream, Group, StreamPosition.Beginning, createStream: true); }
                catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal)) { }
                return 0;
            });
        }
        catch
        {
            queue.Dispose();
            throw;
        }
        return queue;
    }

    private RedisKey JobKey(string id) => _prefix + "job:" + id;
    private RedisKey OwnerKey(string owner) => _prefix + "owner:" + owner;
    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();
    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private static RedisValue Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private T Retry<T>(Func<T> f) => RedisCluster.Retry(f, RetryBudget,
        e => new JobStoreException($"{Address}: the Redis cluster is unavailable ({RedisCluster.OneLine(e)}); the operation can be retried", e));

    private void Acknowledged(params RedisKey[] keys)
    {
        if (RequiredReplicas <= 0) return;
        foreach (var server in keys.Select(k => _mux.GetServer(k)).DistinctBy(s => s.EndPoint))
            RedisCluster.WaitForReplicas(server, RequiredReplicas);
    }

    public string Enqueue(string kind, string owner, string payload)
    {
        string id = NewId();
        RedisKey job = JobKey(id), byOwner = OwnerKey(owner);
        long created = Now;
        // The hash first (a delivered entry must find its job), then the listings, then the delivery. A retry may
        // add the entry twice: the second delivery finds the job held or finished and is dropped.
        long seq = Retry(() => _db.StringIncrement(_seq));
        Retry(() =>
        {
            _db.HashSet(job, [
                new("id", id), new("kind", kind), new("owner", owner), new("status", "queued"), new("payload", payload),
                new("attempts", 0), new("cancel", 0), new("done", 0), new("total", 0), new("created", created), new("seq", seq)]);
            _db.SortedSetAdd(byOwner, id, seq);
            _db.SortedSetAdd(_all, id, seq);
            _db.StreamAdd(_stream, "id", id);
            Acknowledged(job, byOwner, _all, _stream);
            return 0;
        });
        return id;
    }

    // A claim: 'claimed' (now ours), 'held' (another worker's lease runs), 'finished' or 'gone' (drop the entry).
    private static readonly LuaScript ClaimScript = LuaScript.Prepare("""
        local st = redis.call('HGET', @job, 'status')
        if not st then return 'gone' end
        if st == 'running' then
          if redis.call('HGET', @job, 'lease') == @token then return 'claimed' end
          if tonumber(redis.call('HGET', @job, 'until')) >= tonumber(@now) then return 'held' end
          if redis.call('HGET', @job, 'cancel') == '1' then
            redis.call('HSET', @job, 'status', 'cancelled', 'finished', @now)
            redis.call('HDEL', @job, 'lease')
            return 'finished'
          end
          if tonumber(redis.call('HGET', @job, 'attempts')) >= tonumber(@max) then
            redis.call('HSET', @job, 'status', 'failed', 'error', @dead, 'finished', @now)
            redis.call('HDEL', @job, 'lease')
            return 'finished'
          end
        elseif st ~= 'queued' then
          return 'finished'
        end
        redis.call('HSET', @job, 'status', 'running', 'lease', @token, 'until', @until, 'entry', @entry)
        redis.call('HINCRBY', @job, 'attempts', 1)
        return 'claimed'
        """);

    public JobClaim? Claim(string worker, TimeSpan lease)
    {
        string token = worker + ":" + NewId();
        long idle = (long)(TakeoverIdle ?? lease / 3).TotalMilliseconds;
        // Entries whose consumer has not come back to them: their job may have lost its worker.
        var taken = Retry(() => _db.StreamAutoClaim(_stream, Group, worker, idle, "0-0", 32));
        foreach (var entry in taken.ClaimedEntries)
            if (TryClaim(entry, token, lease) is { } claim) return claim;
        foreach (var deleted in taken.DeletedIds) Retry(() => _db.StreamAcknowledge(_stream, Group, deleted));
        while (true)
        {
            var fresh = Retry(() => _db.StreamReadGroup(_stream, Group, worker, StreamPosition.NewMessages, 1));
            if (fresh.Length == 0) return null;
            if (TryClaim(fresh[0], token, lease) is { } claim) return claim;
        }
    }

    private JobClaim? TryClaim(StreamEntry entry, string token, TimeSpan lease)
    {
        string? id = entry["id"];
        if (id == null)
        {
            Drop(entry.Id);
            return null;
        }
        RedisKey job = JobKey(id);
        long now = Now, until = now + (long)lease.TotalMilliseconds;
        string outcome = Retry(() =>
        {
            string r = (string)_db.ScriptEvaluate(ClaimScript, new
            {
                job, token, now = Num(now), until = Num(until), max = Num(IJobQueue.MaxAttempts),
                dead = $"the worker stopped {IJobQueue.MaxAttempts} times while running this job", entry = (RedisValue)entry.Id.ToString(),
            })!;
            if (r == "claimed") Acknowledged(job);
            return r;
        });
        switch (outcome)
        {
            case "claimed":
                var record = Retry(() => _db.HashGetAll(job));
                return new JobClaim(Read(record)!, token, DateTimeOffset.FromUnixTimeMilliseconds(until));
            case "held":
                return null;
            default:
                Drop(entry.Id);
                return null;
        }
    }

    /// <summary>An entry whose job is finished or gone: acknowledged and deleted, so the stream holds only live jobs.</summary>
    private void Drop(RedisValue entry) => Retry(() =>
    {
        _db.StreamAcknowledge(_stream, Group, entry);
        _db.StreamDelete(_stream, [entry]);
        return 0;
    });

    private static readonly LuaScript RenewScript = LuaScript.Prepare("""
        if redis.call('HGET', @job, 'status') ~= 'running' or redis.call('HGET', @job, 'lease') ~= @token
           or redis.call('HGET', @job, 'cancel') == '1' then return 0 end
        redis.call('HSET', @job, 'until', @until)
        return 1
        """);

    public bool Renew(JobClaim claim, TimeSpan lease)
    {
        RedisKey job = JobKey(claim.Job.Id);
        long until = Now + (long)lease.TotalMilliseconds;
        return Retry(() => (long)_db.ScriptEvaluate(RenewScript, new { job, token = claim.Lease, until = Num(until) }) == 1);
    }

    private static readonly LuaScript ProgressScript = LuaScript.Prepare("""
        if redis.call('HGET', @job, 'status') ~= 'running' or redis.call('HGET', @job, 'lease') ~= @token then return 0 end
        redis.call('HSET', @job, 'stage', @stage, 'done', @done, 'total', @total)
        return 1
        """);

    public void Progress(JobClaim claim, string stage, int done, int total)
    {
        RedisKey job = JobKey(claim.Job.Id);
        // Best effort: no retry, no replica acknowledgement.
        _db.ScriptEvaluate(ProgressScript, new { job, token = claim.Lease, stage, done = Num(done), total = Num(total) });
    }

    // The first finish with the lease held wins; a job cancelled while it ran ends cancelled. Returns the stream entry
    // to drop, or nil when the lease is not held. @nonce makes a retry of the same call see its own success.
    private static readonly LuaScript FinishScript = LuaScript.Prepare("""
        local st = redis.call('HGET', @job, 'status')
        if st ~= 'running' or redis.call('HGET', @job, 'lease') ~= @token then
          if st and redis.call('HGET', @job, 'fin') == @nonce then return redis.call('HGET', @job, 'entry') or '' end
          return false
        end
        if redis.call('HGET', @job, 'cancel') == '1' then
          redis.call('HSET', @job, 'status', 'cancelled')
        else
          redis.call('HSET', @job, 'status', @status)
          if @hasResult == '1' then redis.call('HSET', @job, 'result', @result) end
        end
        if @hasError == '1' then redis.call('HSET', @job, 'error', @error) end
        redis.call('HSET', @job, 'finished', @now, 'fin', @nonce)
        redis.call('HDEL', @job, 'lease')
        return redis.call('HGET', @job, 'entry') or ''
        """);

    public bool Complete(JobClaim claim, string result) => Finish(claim, "done", result, null);

    public bool Fail(JobClaim claim, string reason) => Finish(claim, "failed", null, Skips.OneLine(reason));

    private bool Finish(JobClaim claim, string status, string? result, string? error)
    {
        RedisKey job = JobKey(claim.Job.Id);
        string nonce = NewId();
        long now = Now;
        var entry = Retry(() =>
        {
            var r = _db.ScriptEvaluate(FinishScript, new
            {
                job, token = claim.Lease, status, nonce, now = Num(now),
                hasResult = result != null ? "1" : "0", result = result ?? "", hasError = error != null ? "1" : "0", error = error ?? "",
            });
            if (!r.IsNull) Acknowledged(job);
            return r;
        });
        if (entry.IsNull) return false;
        string e = (string)entry!;
        if (e.Length > 0)
        {
            try { Drop(e); }
            catch (JobStoreException) { /* the next claimer that meets the entry drops it */ }
        }
        return true;
    }

    private static readonly LuaScript CancelScript = LuaScript.Prepare("""
        local st = redis.call('HGET', @job, 'status')
        if st == 'queued' then
          redis.call('HSET', @job, 'status', 'cancelled', 'finished', @now)
          return 1
        end
        if st == 'running' then
          redis.call('HSET', @job, 'cancel', '1')
          return 1
        end
        return 0
        """);

    public bool Cancel(string id)
    {
        RedisKey job = JobKey(id);
        return Retry(() =>
        {
            bool ok = (long)_db.ScriptEvaluate(CancelScript, new { job, now = Num(Now) }) == 1;
            if (ok) Acknowledged(job);
            return ok;
        });
    }

    public JobRecord? Get(string id) => Read(Retry(() => _db.HashGetAll(JobKey(id))));

    public IReadOnlyList<JobRecord> List(string? owner = null, int limit = 100)
    {
        RedisKey index = owner == null ? _all : OwnerKey(owner);
        return Retry(() =>
        {
            var ids = _db.SortedSetRangeByRank(index, 0, limit - 1, Order.Descending);
            var reads = ids.Select(id => _db.HashGetAllAsync(JobKey((string)id!))).ToList();
            return (IReadOnlyList<JobRecord>)reads.Select(t => Read(t.GetAwaiter().GetResult())).OfType<JobRecord>().ToList();
        });
    }

    private static JobRecord? Read(HashEntry[] entries)
    {
        if (entries.Length == 0) return null;
        var f = entries.ToDictionary(e => (string)e.Name!, e => e.Value);
        string? Str(string name) => f.TryGetValue(name, out var v) && !v.IsNull ? (string?)v : null;
        int Int(string name) => int.TryParse(Str(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n : 0;
        long? Ms(string name) => long.TryParse(Str(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : null;
        return new JobRecord
        {
            Id = Str("id")!,
            Kind = Str("kind")!,
            Owner = Str("owner")!,
            Status = Enum.Parse<JobStatus>(Str("status")!, ignoreCase: true),
            Payload = Str("payload")!,
            Result = Str("result"),
            Error = Str("error"),
            Attempts = Int("attempts"),
            CancelRequested = Str("cancel") == "1",
            Stage = Str("stage"),
            ProgressDone = Int("done"),
            ProgressTotal = Int("total"),
            Created = DateTimeOffset.FromUnixTimeMilliseconds(Ms("created") ?? 0),
            Finished = Ms("finished") is { } fin ? DateTimeOffset.FromUnixTimeMilliseconds(fin) : null,
        };
    }

    public void Dispose() => _mux.Dispose();
}
