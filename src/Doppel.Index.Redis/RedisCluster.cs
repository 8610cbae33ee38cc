using System.Diagnostics;
using System.Net;
using StackExchange.Redis;

namespace Doppel.Index.Redis;

/// <summary>A failure of the cluster worth retrying (a master without an acknowledging replica, no node answering).</summary>
public sealed class TransientException(string message) : Exception(message);

/// <summary>
/// What every Doppel store on a Redis Cluster shares (the reference index, the server's job queue and files):
/// connecting to a <see cref="RedisLocation"/>, telling a failure of the cluster from one of the request, retrying
/// with back-off, and <c>WAIT</c>ing for replicas to acknowledge writes.
/// </summary>
public static class RedisCluster
{
    /// <summary>Connects to the cluster through the location's seeds.</summary>
    /// <returns>The connection, or null with <paramref name="error"/> (one line) when no node answers.</returns>
    public static ConnectionMultiplexer? Connect(RedisLocation address, out string? error)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = 5000,
            SyncTimeout = 10000,
            AsyncTimeout = 10000,
            ConnectRetry = 2,
            // A command for a node that is down fails at once (and is retried by the caller) instead of waiting in a backlog.
            BacklogPolicy = BacklogPolicy.FailFast,
            ClientName = "doppel",
            AllowAdmin = true, // CLUSTER NODES (which masters to WAIT on), INFO memory and key counts
        };
        foreach (var e in address.Endpoints) options.EndPoints.Add(e);
        ConnectionMultiplexer mux;
        try
        {
            mux = ConnectionMultiplexer.Connect(options, TextWriter.Null);
        }
        catch (Exception e) when (e is RedisException or ArgumentException)
        {
            error = $"{address}: cannot reach the Redis cluster ({OneLine(e)}); retry when it is up";
            return null;
        }
        if (!mux.IsConnected)
        {
            mux.Dispose();
            error = $"{address}: cannot reach the Redis cluster at {string.Join(", ", address.Endpoints)}; retry when it is up";
            return null;
        }
        error = null;
        return mux;
    }

    /// <summary>The first line of an error; for the client's own errors (connection, timeout) only up to its
    /// diagnostics (queue lengths, heartbeats, version), which follow the first ", " after a ")" or a "; ".</summary>
    public static string OneLine(Exception e)
    {
        string line = e.Message.Split('\n')[0].TrimEnd('\r', '.');
        if (e is RedisServerException || e is not (RedisException or RedisTimeoutException)) return line;
        int semicolon = line.IndexOf("; ", StringComparison.Ordinal);
        if (semicolon > 0) line = line[..semicolon];
        int paren = line.IndexOf(')');
        int comma = paren < 0 ? -1 : line.IndexOf(", ", paren, StringComparison.Ordinal);
        return comma > 0 ? line[..comma] : line;
    }

    /// <summary>A failure of the cluster rather than of the request: worth retrying.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AggregateException a => a.InnerExceptions.All(IsTransient),
        RedisConnectionException or RedisTimeoutException or TransientException => true,
        RedisServerException s => s.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) || s.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || s.Message.StartsWith("LOADING", StringComparison.Ordinal) || s.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal) || s.Message.StartsWith("MOVED", StringComparison.Ordinal)
            || s.Message.StartsWith("ASK", StringComparison.Ordinal),
        RedisException r when r.Message.Contains("No connection", StringComparison.OrdinalIgnoreCase) => true,
        _ => false,
    };

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 100 << Math.Min(attempt, 5)));

    /// <summary>Runs <paramref name="f"/>, retrying failures of the cluster with back-off within
    /// <paramref name="budget"/>; past it, throws what <paramref name="unavailable"/> makes of the last failure.
    /// Only for reads and idempotent writes.</summary>
    public static T Retry<T>(Func<T> f, TimeSpan budget, Func<Exception, Exception> unavailable)
    {
        var clock = Stopwatch.StartNew();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return f();
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (clock.Elapsed >= budget) throw unavailable(e);
                Thread.Sleep(Backoff(attempt));
            }
        }
    }

    /// <summary>The masters that serve slots now, from the cluster's own view.</summary>
    public static List<IServer> Masters(ConnectionMultiplexer mux)
    {
        ClusterConfiguration? config = null;
        foreach (var ep in mux.GetEndPoints())
        {
            var server = mux.GetServer(ep);
            if (!server.IsConnected) continue;
            try
            {
                config = server.ClusterNodes();
                if (config != null) break;
            }
            catch (Exception e) when (IsTransient(e))
            {
            }
        }
        if (config == null) throw new TransientException("no node of the cluster answers");
        var masters = new List<IServer>();
        foreach (var node in config.Nodes)
        {
            if (node.IsReplica || node.Slots.Count == 0) continue;
            if (node.IsNoAddr || node.EndPoint == null) throw new TransientException("a master has no address");
            masters.Add(mux.GetServer(node.EndPoint));
        }
        return masters;
    }

    /// <summary><c>WAIT</c> on one master: <paramref name="replicas"/> replicas must acknowledge every write sent to
    /// it so far on this connection (which every command to that node uses).</summary>
    /// <exception cref="TransientException">Fewer replicas acknowledged within 3 s.</exception>
    public static void WaitForReplicas(IServer master, int replicas)
    {
        if (replicas <= 0) return;
        var acked = (long)master.Execute("WAIT", replicas, 3000);
        if (acked < replicas)
            throw new TransientException($"master {Format(master.EndPoint)}: {acked} of {replicas} replicas acknowledged the writes");
    }

    /// <summary><c>WAIT</c> on the master that serves <paramref name="key"/>.</summary>
    public static void WaitForReplicas(ConnectionMultiplexer mux, RedisKey key, int replicas)
    {
        if (replicas > 0) WaitForReplicas(mux.GetServer(key), replicas);
    }

    public static string Format(EndPoint ep) => ep is IPEndPoint ip ? $"{ip.Address}:{ip.Port}" : ep.ToString() ?? "?";
}
