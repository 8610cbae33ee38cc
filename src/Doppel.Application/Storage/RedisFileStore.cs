using Doppel.Application.Jobs;
using Doppel.Index.Redis;
using StackExchange.Redis;

namespace Doppel.Application.Storage;

/// <summary>
/// The files of the server's jobs on a Redis Cluster: one string key per file, <c>doppel-jobs:NAME:file:PATH</c>
/// (spread over the slots by their paths), written with <c>SET</c> and acknowledged by a replica (<c>WAIT 1</c>)
/// before the write returns. Reads and writes are retried through a failover.
/// </summary>
public sealed class RedisFileStore : IFileStore, IDisposable
{
    private readonly ConnectionMultiplexer _mux;
    private readonly IDatabase _db;
    private readonly string _prefix;

    public RedisLocation Address { get; }
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(60);
    public int RequiredReplicas { get; init; } = 1;

    private RedisFileStore(RedisLocation address, ConnectionMultiplexer mux)
    {
        Address = address;
        _mux = mux;
        _db = mux.GetDatabase();
        _prefix = $"doppel-jobs:{address.Name}:file:";
    }

    /// <exception cref="JobStoreException">Not a location, or the cluster cannot be reached.</exception>
    public static RedisFileStore Open(string location)
    {
        RedisLocation address;
        try { address = RedisLocation.Parse(location); }
        catch (FormatException e) { throw new JobStoreException(e.Message, e); }
        var mux = RedisCluster.Connect(address, out string? error) ?? throw new JobStoreException(error!);
        return new RedisFileStore(address, mux);
    }

    private RedisKey Key(string path) => IFileStore.IsContained(path)
        ? _prefix + path
        : throw new ArgumentException($"{path}: not a path inside the store", nameof(path));

    private T Retry<T>(Func<T> f) => RedisCluster.Retry(f, RetryBudget,
        e => new JobStoreException($"{Address}: the Redis cluster is unavailable ({RedisCluster.OneLine(e)}); the operation can be retried", e));

    public Stream Create(string path) => new Pending(this, Key(path));

    private void Write(RedisKey key, byte[] data) => Retry(() =>
    {
        _db.StringSet(key, data);
        RedisCluster.WaitForReplicas(_mux, key, RequiredReplicas);
        return 0;
    });

    public byte[]? Read(string path) => IFileStore.IsContained(path) ? Retry(() => (byte[]?)_db.StringGet(_prefix + path)) : null;

    public void Delete(IEnumerable<string> paths)
    {
        foreach (string p in paths.Where(IFileStore.IsContained))
            Retry(() => _db.KeyDelete(_prefix + p));
    }

    /// <summary>A shared secret (e.g. the key signing report links, so a link made by one node opens on any): made
    /// by the first node that asks, then read by every other.</summary>
    public byte[] SharedSecret(string name)
    {
        RedisKey key = $"doppel-jobs:{Address.Name}:secret:{name}";
        return Retry(() =>
        {
            if (_db.StringSet(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), when: When.NotExists))
                RedisCluster.WaitForReplicas(_mux, key, RequiredReplicas);
            return (byte[])_db.StringGet(key)!;
        });
    }

    public void Dispose() => _mux.Dispose();

    /// <summary>Buffers what is written; stores it on dispose.</summary>
    private sealed class Pending(RedisFileStore store, RedisKey key) : MemoryStream
    {
        private bool _stored;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_stored)
            {
                _stored = true;
                store.Write(key, ToArray());
            }
            base.Dispose(disposing);
        }
    }
}
