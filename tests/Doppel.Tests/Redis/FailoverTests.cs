using System.Collections.Concurrent;
using System.Diagnostics;
using Doppel.Application;
using Doppel.Engine.Index;
using Doppel.Tests.Index;
using Xunit;

namespace Doppel.Tests.Redis;

/// <summary>Issue 13, bar "failover": a master SIGKILLed while documents are added. The add either ends with every
/// document added, or fails naming exactly those it did not add; every document it reported stored is in the index.</summary>
[Collection(RedisCollection.Name)]
public sealed class FailoverTests(RedisClusterFixture cluster)
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
}
