using Doppel.Application;
using Doppel.Engine.Fingerprints;
using Doppel.Engine.Index;
using Doppel.Engine.Text;
using Doppel.Index.Redis;
using Doppel.Tests.Index;
using Xunit;

namespace Doppel.Tests.Redis;

/// <summary>
/// The contract every <see cref="IReferenceIndex"/> keeps, run against each back end: the same operations must give
/// the same results (outcomes, listings, statistics, postings, snapshots, texts).
/// </summary>
public abstract class IndexContractTests : IndexTestBase
{
    /// <summary>A new, empty index.</summary>
    protected abstract IReferenceIndex Create();

    [Fact]
    public void Outcomes_of_adds_follow_ids_and_contents()
    {
        using var index = Create();
        var first = index.AddBatch([Doc("essay.txt", Example("essay.txt")), Doc("web.txt", Example("web-page.txt"))]);
        Assert.All(first, r => Assert.Equal(AddOutcome.Added, r.Outcome));
        var again = index.AddBatch([Doc("essay.txt", Example("essay.txt")), Doc("copy.txt", Example("essay.txt")), Doc("web.txt", Filler(1))]);
        Assert.Equal([AddOutcome.Unchanged, AddOutcome.Duplicate, AddOutcome.Replaced], again.Select(r => r.Outcome));
        Assert.Equal("essay.txt", again[1].ExistingId);
        // An alias added again is unchanged; the same id twice in one batch: the second replaces the first.
        var third = index.AddBatch([Doc("copy.txt", Example("essay.txt")), Doc("new.txt", Filler(2)), Doc("new.txt", Filler(3))]);
        Assert.Equal([AddOutcome.Unchanged, AddOutcome.Added, AddOutcome.Replaced], third.Select(r => r.Outcome));

        var list = index.List();
        Assert.Equal(["copy.txt", "essay.txt", "new.txt", "web.txt"], list.Select(d => d.Id));
        Assert.Equal("essay.txt", list[0].AliasOf);
        var stats = index.Stats();
        Assert.Equal(3, stats.Documents);
        Assert.Equal(1, stats.Aliases);
        Assert.Equal(Example("essay.txt").Length + Filler(3).Length + Filler(1).Length, stats.Characters);
        Assert.True(stats.CompressedTextBytes < stats.Characters);
        Assert.Empty(index.Verify());
    }

    [Fact]
    public void Removing_a_document_hands_its_content_to_its_first_alias()
    {
        using var index = Create();
        index.AddBatch([Doc("essay.txt", Example("essay.txt")), Doc("b.txt", Example("essay.txt")), Doc("a.txt", Example("essay.txt")), Doc("web.txt", Example("web-page.txt"))]);
        Assert.Equal(["essay.txt", "nothing.txt"], index.Remove(["essay.txt", "nothing.txt"]).Append("nothing.txt").Distinct());
        var list = index.List();
        Assert.Equal(["a.txt", "b.txt", "web.txt"], list.Select(d => d.Id));
        Assert.Null(list[0].AliasOf);
        Assert.Equal("a.txt", list[1].AliasOf);
        Assert.Equal(["b.txt"], index.Remove(["b.txt"]));
        Assert.Equal(2, index.Stats().Documents);
        Assert.Equal(0, index.Stats().Aliases);
        using var snap = index.OpenSnapshot();
        var a = snap.Get(list[0].Number)!;
        Assert.Equal("a.txt", a.Id);
        Assert.Equal(Example("essay.txt"), snap.ReadText(a.Number));
        Assert.Empty(index.Verify());
    }

    [Fact]
    public void Lookups_return_each_live_document_once_and_skip_keys_held_by_too_many()
    {
        using var index = Create();
        var docs = Enumerable.Range(0, 30).Select(i => Doc($"f{i:D2}.txt", Filler(100 + i))).ToList();
        index.AddBatch(docs.Take(15).ToList());
        index.AddBatch(docs.Skip(15).ToList());
        index.AddBatch([Doc("f03.txt", Filler(999))]); // replaced: its old postings name a dead number
        using var snap = index.OpenSnapshot();
        Assert.Equal(30, snap.DocumentCount);
        var numbers = index.List().ToDictionary(d => d.Id, d => d.Number);
        var keys = docs[3].Keys.Concat(docs[20].Keys).Distinct().Order().ToArray();
        var found = Lookup(snap, keys, int.MaxValue);
        // Every key of document 20 finds it; none finds the replaced content of f03.
        foreach (long k in docs[20].Keys) Assert.Contains(numbers["f20.txt"], found[k]);
        Assert.DoesNotContain(found.Values, l => l.Distinct().Count() != l.Count);
        long common = keys.First(k => found.TryGetValue(k, out var l) && l.Count >= 3);
        var capped = Lookup(snap, keys, found[common].Count - 1);
        Assert.False(capped.ContainsKey(common));
        var counts = new int[2];
        snap.KeyCounts([numbers["f20.txt"], 999_999], counts);
        Assert.Equal([docs[20].Keys.Length, 0], counts);
        Assert.True(snap.AverageKeyCount > 0);
    }

    [Fact]
    public void A_snapshot_does_not_see_documents_added_after_it_was_opened()
    {
        using var index = Create();
        index.AddBatch([Doc("a.txt", Filler(1))]);
        using var snap = index.OpenSnapshot();
        index.AddBatch([Doc("b.txt", Filler(2))]);
        Assert.Equal(1, snap.DocumentCount);
        var b = Doc("b.txt", Filler(2));
        Assert.Empty(Lookup(snap, b.Keys.Distinct().Order().ToArray(), int.MaxValue).Values.SelectMany(l => l)
            .Where(n => n == index.List().Single(d => d.Id == "b.txt").Number));
        using var later = index.OpenSnapshot();
        Assert.Equal(2, later.DocumentCount);
    }

    /// <summary>Sentence vectors (optional capability; both back ends have it): stored with a new document, filled in
    /// (or replaced, under another encoder's tag) for one added again unchanged or as a duplicate, read back byte for
    /// byte, gone with the document.</summary>
    [Fact]
    public void Stored_vectors_read_back_with_their_document()
    {
        using var index = Create();
        Assert.True(index.StoresVectors);
        var v1 = new StoredVectors("enc|rule", [1, 2, 3, 4, 5]);
        var v2 = new StoredVectors("other-encoder|rule", [9, 8, 7]);
        index.AddBatch([Doc("a.txt", Filler(1)) with { Vectors = v1 }, Doc("b.txt", Filler(2))]);
        long a = index.List().Single(d => d.Id == "a.txt").Number, b = index.List().Single(d => d.Id == "b.txt").Number;
        using (var snap = index.OpenSnapshot())
        {
            var read = snap.ReadVectors(a)!;
            Assert.Equal(v1.Tag, read.Tag);
            Assert.Equal(v1.Data, read.Data);
            Assert.Null(snap.ReadVectors(b));
        }
        index.AddBatch([Doc("b.txt", Filler(2)) with { Vectors = v2 }, Doc("copy.txt", Filler(1)) with { Vectors = v2 }]);
        using (var snap = index.OpenSnapshot())
        {
            Assert.Equal(v2.Data, snap.ReadVectors(b)!.Data);
            Assert.Equal(v2.Data, snap.ReadVectors(a)!.Data);
        }
        index.Remove(["a.txt", "copy.txt", "b.txt"]);
        using (var snap = index.OpenSnapshot())
        {
            Assert.Null(snap.ReadVectors(a));
            Assert.Null(snap.ReadVectors(b));
        }
        Assert.Empty(index.Verify());
    }

    /// <summary>Key → documents, from one lookup.</summary>
    protected static Dictionary<long, List<long>> Lookup(IIndexSnapshot snap, long[] keys, int max)
    {
        var found = new Dictionary<long, List<long>>();
        snap.Lookup(keys, (k, docs) => found[keys[k]] = docs.ToArray().ToList(), max);
        return found;
    }
}

public sealed class SqliteIndexContractTests : IndexContractTests
{
    protected override IReferenceIndex Create() => SqliteReferenceIndex.Open(IndexDir, create: true);
}

[Collection(RedisCollection.Name)]
public sealed class RedisIndexContractTests(RedisClusterFixture cluster) : IndexContractTests
{
    private static int _names;

    protected override IReferenceIndex Create() =>
        RedisReferenceIndex.Open(cluster.Location($"contract-{Environment.ProcessId}-{Interlocked.Increment(ref _names)}"), create: true);

    [Fact]
    public void The_location_chooses_the_back_end_and_a_missing_index_is_not_created_by_reads()
    {
        string location = cluster.Location("chooser");
        Assert.True(IndexLocation.IsRedis(location));
        Assert.False(IndexLocation.Exists(location));
        var e = Assert.Throws<IndexException>(() => IndexLocation.Open(location, create: false));
        Assert.Equal(IndexErrorKind.NotFound, e.Kind);
        using (var idx = IndexLocation.Open(location, create: true)) Assert.IsType<RedisReferenceIndex>(idx);
        Assert.True(IndexLocation.Exists(location));
        Assert.Throws<IndexException>(() => IndexLocation.Open("redis://127.0.0.1:notaport", create: true));
    }

    [Fact]
    public void An_unreachable_cluster_is_a_retryable_error()
    {
        var e = Assert.Throws<IndexException>(() => RedisReferenceIndex.Open("redis://127.0.0.1:1/x", create: true, TimeSpan.FromSeconds(1)));
        Assert.Equal(IndexErrorKind.Unavailable, e.Kind);
        Assert.Contains("retry", e.Message);
    }

    [Fact]
    public void Checking_against_either_back_end_gives_the_same_reports()
    {
        // The same documents in both, then the same check: identical candidates, passages and offsets.
        var sources = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "clough", "taska"), "*.txt")
            .Append(Path.Combine(Examples, "essay.txt")).Append(Path.Combine(Examples, "web-page.txt")).Order().ToList();
        var embedded = new IndexService(Path.Combine(Dir, "embedded"));
        var redis = new IndexService(cluster.Location($"same-{Environment.ProcessId}"));
        foreach (var service in new[] { embedded, redis })
            service.Add(sources.Select(s => DocumentSource.FromFile(s)).ToList());
        string Check(IndexService service)
        {
            using var idx = service.Open();
            var result = new CheckService().AgainstIndex(idx, [DocumentSource.FromFile(Path.Combine(Examples, "essay-paraphrased.txt"))]);
            return result.Reports[0].ToJson();
        }
        string a = Check(embedded), b = Check(redis);
        Assert.Contains("essay.txt", a);
        Assert.Equal(a.Replace(embedded.Location, "LOC"), b.Replace(redis.Location, "LOC"));
    }
}
