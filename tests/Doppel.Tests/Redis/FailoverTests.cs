using System.Collections.Concurrent;
using System.Diagnostics;
using Doppel.Application;
using Doppel.Engine.Index;
using Doppel.Index.Redis;
using Doppel.Tests.Index;
using Xunit;
using Xunit.Abstractions;

namespace Doppel.Tests.Redis;

/// <summary>Issue 13, bar "failover": a master SIGKILLed while documents are added. The add either ends with every
/// document added, or fails naming exactly those it did not add; every document it reported stored is in the index.
/// And a master SIGKILLed during a check: the check ends with the detections of a check without the kill, or fails
/// as unavailable with a one-line message saying it can be retried.</summary>
[Collection(RedisCollection.Name)]
public sealed class FailoverTests(RedisClusterFixture cluster, ITestOutputHelper output)
{
    private sealed class Acknowledged : IOperationObserver
    {
        public readonly ConcurrentBag<string> Ids = [];
        public volatile int Count;
        public void Stored(AddResult result)
        {
            Ids.Add(result.Id);
            Interlocked.Increment(ref Count);
        }
    }

    [Fact]
    public void A_master_killed_during_add_loses_no_acknowledged_document()
    {
        var docs = Enumerable.Range(0, 400).Select(i => DocumentSource.FromBytes($"d{i:D3}.txt", System.Text.Encoding.UTF8.GetBytes(TestTexts.Filler(5000 + i, 6)))).ToList();
        var service = new IndexService(cluster.Location($"failover-{Environment.ProcessId}"));
        var observer = new Acknowledged();
        IndexException? failure = null;
        var add = Task.Run(() =>
        {
            try
            {
                service.Add(docs, new IndexAddOptions { BatchSize = 10 }, observer);
            }
            catch (IndexException e)
            {
                failure = e;
            }
        });
        var clock = Stopwatch.StartNew();
        while (observer.Count < 30 && !add.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
        Assert.False(add.IsCompleted, "the add ended before a master could be killed");
        int victim = cluster.Masters()[0];
        Assert.Equal(0, RedisClusterFixture.Run("kill", cluster.Dir, victim.ToString()).Code);
        // Its replica takes over (cluster-node-timeout 5 s); then the old master comes back as a replica, so that
        // writes on the promoted master can be acknowledged again.
        while (cluster.Masters().Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(40)) Thread.Sleep(200);
        Assert.Equal(3, cluster.Masters().Count);
        Assert.Equal(0, RedisClusterFixture.Run("revive", cluster.Dir, victim.ToString()).Code);
        Assert.True(add.Wait(TimeSpan.FromSeconds(90)), "the add did not end");

        var listed = service.List().Select(d => d.Id).ToHashSet();
        Assert.All(observer.Ids, id => Assert.Contains(id, listed));
        if (failure != null)
        {
            // Every document is either acknowledged or named as not added.
            Assert.Equal(IndexErrorKind.Unavailable, failure.Kind);
            Assert.Equal(docs.Count, observer.Ids.Count + failure.NotAdded!.Count);
            Assert.Empty(failure.NotAdded.Intersect(observer.Ids));
        }
        else
        {
            Assert.Equal(docs.Count, observer.Ids.Count);
        }
        Assert.Equal(listed.Count, service.Stats().Documents);
        Assert.Empty(service.Verify().Problems);
    }

    /// <summary>Kills a master as soon as the first document of a check is done, so that the next documents' reads
    /// meet the dead master and then its promoted replica; then runs <c>whileDown</c> (before the failover).</summary>
    private sealed class KillAfterFirstDocument(RedisClusterFixture cluster, Action whileDown) : IOperationObserver
    {
        public int Victim;
        public void Progress(OperationProgress progress)
        {
            if (progress.Stage != OperationStage.CheckingDocuments || progress.Done != 1 || Victim != 0) return;
            Victim = cluster.Masters()[0];
            Assert.Equal(0, RedisClusterFixture.Run("kill", cluster.Dir, Victim.ToString()).Code);
            whileDown();
        }
    }

    [Fact]
    public void A_master_killed_during_check_changes_no_detection()
    {
        static DocumentSource Source(string name, string text) => DocumentSource.FromBytes(name, System.Text.Encoding.UTF8.GetBytes(text));
        var refs = Enumerable.Range(0, 30).Select(i => TestTexts.Filler(7000 + i, 25)).ToList();
        string location = cluster.Location($"check-failover-{Environment.ProcessId}");
        var service = new IndexService(location);
        service.Add(refs.Select((t, i) => Source($"r{i:D2}.txt", t)).ToList());
        // Each query: new text around two passages taken from two reference documents.
        var queries = Enumerable.Range(0, 6).Select(q => Source($"q{q}.txt", string.Join(" ",
            TestTexts.Filler(9000 + q, 8), refs[3 * q][..1500], TestTexts.Filler(9100 + q, 8), refs[3 * q + 1][500..2000], TestTexts.Filler(9200 + q, 8)))).ToList();
        var check = new CheckService();
        List<string> Check(IReferenceIndex index, IOperationObserver? observer) =>
            check.AgainstIndex(index, queries, observer: observer).Reports.Select(r => r.ToJson()).ToList();
        List<string> expected;
        using (var index = service.Open()) expected = Check(index, null);
        Assert.Equal(queries.Count, expected.Count);
        Assert.All(expected, json => Assert.Contains("\"passages\"", json));

        // Two checks meet the failover: one with the usual budget (60 s, longer than a failover), and, started while
        // the master is down, one whose budget (2 s) runs out before the replica takes over (5 s node timeout).
        using var normal = service.Open();
        using var impatient = RedisReferenceIndex.Open(location, create: false, TimeSpan.FromSeconds(2));
        Exception? shortFailure = null;
        var killer = new KillAfterFirstDocument(cluster, () =>
        {
            try
            {
                Check(impatient, null);
            }
            catch (Exception e)
            {
                shortFailure = e;
            }
        });
        List<string>? got = null;
        IndexException? failure = null;
        var clock = Stopwatch.StartNew();
        try
        {
            got = Check(normal, killer);
        }
        catch (IndexException e)
        {
            failure = e;
        }
        finally
        {
            // Back to three masters, the killed one returning as a replica, for the tests that follow.
            while (killer.Victim != 0 && cluster.Masters().Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(40)) Thread.Sleep(200);
            if (killer.Victim != 0) RedisClusterFixture.Run("revive", cluster.Dir, killer.Victim.ToString());
        }
        Assert.NotEqual(0, killer.Victim);
        output.WriteLine(failure == null ? $"check completed in {clock.Elapsed.TotalSeconds:F1} s, master {killer.Victim} killed after its first document"
            : $"check failed after {clock.Elapsed.TotalSeconds:F1} s: {failure.Message}");
        output.WriteLine($"the check with a 2 s budget: {shortFailure?.Message ?? "completed"}");
        // The normal outcome: the same detections. The one allowed failure: unavailable, one line, retryable.
        if (failure == null) Assert.Equal(expected, got);
        else AssertRetryable(failure);
        // The impatient check cannot complete while a master is down and no replica has taken over.
        AssertRetryable(Assert.IsType<IndexException>(shortFailure));
    }

    private static void AssertRetryable(IndexException e)
    {
        Assert.Equal(IndexErrorKind.Unavailable, e.Kind);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("can be retried", e.Message);
    }

    [Fact]
    public void Client_errors_are_named_without_their_diagnostics()
    {
        var connect = new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect,
            "UnableToConnect (0-read, 0-sent) on 127.0.0.1:7000/Interactive, Idle/NotStarted, last: PING, origin: BeginConnectAsync, v: 3.4.35");
        Assert.Equal("UnableToConnect (0-read, 0-sent) on 127.0.0.1:7000/Interactive", RedisReferenceIndex.OneLine(connect));
        var timeout = new StackExchange.Redis.RedisTimeoutException(
            "Timeout awaiting response (outbound=0KiB, inbound=0KiB, 10000ms elapsed, timeout is 10000ms), command=HGET, next: HGET x, inst: 0", StackExchange.Redis.CommandStatus.Sent);
        Assert.Equal("Timeout awaiting response (outbound=0KiB, inbound=0KiB, 10000ms elapsed, timeout is 10000ms)", RedisReferenceIndex.OneLine(timeout));
        var none = new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect,
            "No connection is active/available to service this operation: HGET doppel:x:p:1; UnableToConnect on 127.0.0.1:7000/Interactive, mc: 1/1/0");
        Assert.Equal("No connection is active/available to service this operation: HGET doppel:x:p:1", RedisReferenceIndex.OneLine(none));
        // The server's errors are short already and kept whole.
        Assert.Equal("CLUSTERDOWN The cluster is down", RedisReferenceIndex.OneLine(new StackExchange.Redis.RedisServerException("CLUSTERDOWN The cluster is down")));
    }
}
