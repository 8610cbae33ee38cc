using Doppel.Engine.Fingerprints;
using Doppel.Engine.Index;
using Doppel.Engine.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Doppel.Tests.Index;

public class ReferenceIndexTests : IndexTestBase
{
    [Fact]
    public void Adds_lists_and_reads_back_documents_with_compressed_text()
    {
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        var results = index.AddBatch([Doc("a/essay.txt", Example("essay.txt")), Doc("web.txt", Example("web-page.txt"))]);
        Assert.All(results, r => Assert.Equal(AddOutcome.Added, r.Outcome));

        var list = index.List();
        Assert.Equal(["a/essay.txt", "web.txt"], list.Select(d => d.Id).ToArray());
        using var snap = index.OpenSnapshot();
        Assert.Equal(2, snap.DocumentCount);
        var essay = list[0];
        Assert.Equal(Example("essay.txt"), snap.ReadText(essay.Number));
        Assert.False(string.IsNullOrWhiteSpace(essay.Title));
        var stats = index.Stats();
        Assert.Equal(2, stats.Documents);
        Assert.True(stats.CompressedTextBytes < stats.Characters, "text is stored compressed");
    }

    [Fact]
    public void The_same_content_is_stored_once_and_changed_content_replaces_the_old()
    {
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        index.AddBatch([Doc("essay.txt", Example("essay.txt"))]);
        var again = index.AddBatch([Doc("essay.txt", Example("essay.txt")), Doc("copy.txt", Example("essay.txt"))]);
        Assert.Equal(AddOutcome.Unchanged, again[0].Outcome);
        Assert.Equal(AddOutcome.Duplicate, again[1].Outcome);
        Assert.Equal("essay.txt", again[1].ExistingId);
        Assert.Equal(1, index.Stats().Documents);
        Assert.Equal(1, index.Stats().Aliases);

        // New content under essay.txt: the alias copy.txt keeps the old content.
        var replaced = index.AddBatch([Doc("essay.txt", Example("web-page.txt"))]);
        Assert.Equal(AddOutcome.Replaced, replaced[0].Outcome);
        var stats = index.Stats();
        Assert.Equal(2, stats.Documents);
        Assert.Equal(0, stats.Aliases);
        using (var snap = index.OpenSnapshot())
        {
            var top = CandidateRetriever.Retrieve(snap, DocumentAnalyzer.Analyze(Example("essay-paraphrased.txt"))).Candidates[0];
            Assert.Equal("copy.txt", snap.Get(top.Number)!.Id);
            Assert.Equal(Example("essay.txt"), snap.ReadText(top.Number));
        }

        // Replaced again with nothing sharing it: the old postings are dead and never returned.
        index.AddBatch([Doc("essay.txt", Filler(5))]);
        Assert.Equal(1, index.Stats().DeadDocuments);
        using (var snap = index.OpenSnapshot())
        {
            var found = CandidateRetriever.Retrieve(snap, DocumentAnalyzer.Analyze(Example("web-page.txt"))).Candidates;
            Assert.DoesNotContain(found, c => snap.ReadText(c.Number) == Example("web-page.txt"));
        }
    }

    [Fact]
    public void Remove_deletes_documents_and_reports_what_was_there()
    {
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        index.AddBatch([Doc("x.txt", Filler(1)), Doc("y.txt", Filler(2)), Doc("z.txt", Filler(1))]);
        var removed = index.Remove(["x.txt", "nope.txt"]);
        Assert.Equal(["x.txt"], removed);
        Assert.Equal(["y.txt", "z.txt"], index.List().Select(d => d.Id).ToArray()); // z.txt, an alias of x.txt, takes its content over
        Assert.Equal(["y.txt"], index.Remove(["y.txt"]));
        Assert.Equal(["z.txt"], index.Remove(["z.txt"]));
        using var snap = index.OpenSnapshot();
        Assert.Equal(0, snap.DocumentCount);
        Assert.Empty(CandidateRetriever.Retrieve(snap, DocumentAnalyzer.Analyze(Filler(1))).Candidates);
    }

    [Fact]
    public void A_snapshot_keeps_its_view_while_another_writer_adds()
    {
        using var writer = SqliteReferenceIndex.Open(IndexDir, create: true);
        writer.AddBatch([Doc("one.txt", Filler(1))]);
        using var reader = SqliteReferenceIndex.Open(IndexDir, create: false);
        using var snap = reader.OpenSnapshot();
        writer.AddBatch([Doc("two.txt", Filler(2)), Doc("three.txt", Filler(3))]);
        Assert.Equal(1, snap.DocumentCount);
        var q = DocumentAnalyzer.Analyze(Filler(2));
        Assert.DoesNotContain(CandidateRetriever.Retrieve(snap, q).Candidates, c => snap.Get(c.Number)?.Id == "two.txt");
        using var fresh = reader.OpenSnapshot();
        Assert.Equal(3, fresh.DocumentCount);
        Assert.Equal("two.txt", fresh.Get(CandidateRetriever.Retrieve(fresh, q).Candidates[0].Number)!.Id);
    }

    [Fact]
    public void Optimize_merges_segments_and_drops_dead_postings_without_changing_results()
    {
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        for (int batch = 0; batch < 3; batch++)
            index.AddBatch(Enumerable.Range(batch * 10, 10).Select(i => Doc($"f{i:D2}.txt", Filler(i))).ToList());
        index.AddBatch([Doc("essay.txt", Example("essay.txt")), Doc("web.txt", Example("web-page.txt"))]);
        index.Remove(["web.txt", "f05.txt"]);
        var query = DocumentAnalyzer.Analyze(Example("essay-paraphrased.txt"));
        var f7 = DocumentAnalyzer.Analyze(Filler(7));
        List<Candidate> before, beforeF7;
        using (var snap = index.OpenSnapshot())
        {
            before = CandidateRetriever.Retrieve(snap, query).Candidates.ToList();
            beforeF7 = CandidateRetriever.Retrieve(snap, f7).Candidates.ToList();
        }
        Assert.Equal(4, index.Stats().MaxBlocksPerBucket);
        Assert.Equal(4, index.Stats().UnmergedBatches);
        Assert.Equal(2, index.Stats().DeadDocuments);

        Assert.Equal(4, index.Optimize());
        var stats = index.Stats();
        Assert.Equal(1, stats.MaxBlocksPerBucket); // small index: one block per bucket
        Assert.Equal(0, stats.UnmergedBatches);
        Assert.Equal(0, stats.DeadDocuments);
        Assert.Equal(30, stats.Documents);
        using (var snap = index.OpenSnapshot())
        {
            Assert.Equal(before, CandidateRetriever.Retrieve(snap, query).Candidates.ToList());
            Assert.Equal(beforeF7, CandidateRetriever.Retrieve(snap, f7).Candidates.ToList());
            Assert.Equal("essay.txt", snap.Get(CandidateRetriever.Retrieve(snap, query).Candidates[0].Number)!.Id);
        }
    }

    [Fact]
    public void Merged_blocks_are_read_by_key_and_give_the_same_postings_as_the_batches()
    {
        // Three keys of one bucket held by 100, 500 and 300 documents. Merged into blocks of 240 postings in key
        // order, the second and third keys each begin inside a block that starts with the key before them, and the
        // second fills a block of its own: a lookup must read the blocks that start with its key and the last block
        // before them. Postings must come out the same from add batches, from merged blocks, and from merged blocks
        // plus a batch added after the merge.
        static long Key(uint rest) => ((long)rest << (1 + PostingBlock.BucketBits)) | (7L << 1);
        long a = Key(5), b = Key(9), c = Key(12), alone = Key(40);
        long[] keys = [a, b, c, alone, Key(7), Key(11)];
        PreparedDocument Crafted(int i)
        {
            var docKeys = new List<long>();
            if (i < 100) docKeys.Add(a);
            if (i >= 100 && i < 600) docKeys.Add(b);
            if (i >= 600) docKeys.Add(c);
            if (i == 0) docKeys.Add(alone);
            return new PreparedDocument($"d{i:D4}.txt", "", $"text {i}", BitConverter.GetBytes(i), docKeys.ToArray());
        }
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        for (int batch = 0; batch < 9; batch++)
            index.AddBatch(Enumerable.Range(batch * 100, 100).Select(Crafted).ToList());

        // Each key alone (so no block read for another key helps), and all together, must agree.
        Dictionary<long, long[]> Postings()
        {
            using var snap = index.OpenSnapshot();
            var found = new Dictionary<long, long[]>();
            foreach (long key in keys) snap.Lookup([key], (_, docs) => found[key] = docs.ToArray());
            var together = new Dictionary<long, long[]>();
            snap.Lookup(keys, (k, docs) => together[keys[k]] = docs.ToArray());
            Assert.Equal(found, together);
            return found;
        }
        // Keys held by more documents than a cap are left out, whether counted block by block or skipped unread.
        long[] Capped(int cap)
        {
            using var snap = index.OpenSnapshot();
            var kept = new List<long>();
            snap.Lookup(keys, (k, _) => kept.Add(keys[k]), cap);
            return kept.Order().ToArray();
        }
        var batches = Postings();
        Assert.Equal([100, 500, 300, 1], new[] { a, b, c, alone }.Select(k => batches[k].Length));
        Assert.Equal(4, batches.Count); // keys held by no document are not reported

        Assert.Equal([a, c, alone], Capped(300));
        Assert.Equal([a, alone], Capped(250));

        Assert.Equal(9, index.Optimize());
        Assert.Equal(batches, Postings());
        Assert.Equal([a, c, alone], Capped(300));
        Assert.Equal([a, alone], Capped(250));
        Assert.Equal([a, alone], Capped(200)); // the second key starts two blocks: skipped unread
        Assert.Equal(0, index.Optimize()); // nothing left to merge

        index.AddBatch([Crafted(9000)]);
        var mixed = Postings();
        Assert.Equal(301, mixed[c].Length);
        index.Remove(["d0650.txt"]);
        Assert.Equal(2, index.Optimize()); // the merged blocks and the late batch
        Assert.Equal(300, Postings()[c].Length);
        Assert.Equal(batches[b], Postings()[b]);
    }

    [Fact]
    public void A_newer_format_is_refused_with_a_clear_message()
    {
        SqliteReferenceIndex.Open(IndexDir, create: true).Dispose();
        using (var conn = new SqliteConnection($"Data Source={Path.Combine(IndexDir, SqliteReferenceIndex.FileName)};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"PRAGMA user_version = {SqliteReferenceIndex.FormatVersion + 1}";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<IndexException>(() => SqliteReferenceIndex.Open(IndexDir, create: false));
        Assert.Equal(IndexErrorKind.NewerFormat, e.Kind);
        Assert.Contains("newer", e.Message);
    }

    [Fact]
    public void Foreign_files_are_refused_and_left_untouched()
    {
        Directory.CreateDirectory(IndexDir);
        string db = Path.Combine(IndexDir, SqliteReferenceIndex.FileName);
        File.WriteAllText(db, "this is not a database, it is a note that happens to have the same name");
        var e = Assert.Throws<IndexException>(() => SqliteReferenceIndex.Open(IndexDir, create: true));
        Assert.Equal(IndexErrorKind.Foreign, e.Kind);
        Assert.StartsWith("this is not a database", File.ReadAllText(db));

        File.Delete(db);
        using (var conn = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "CREATE TABLE other (x INTEGER)";
            cmd.ExecuteNonQuery();
        }
        e = Assert.Throws<IndexException>(() => SqliteReferenceIndex.Open(IndexDir, create: true));
        Assert.Equal(IndexErrorKind.Foreign, e.Kind);
    }

    [Fact]
    public void A_missing_index_is_not_created_by_readers()
    {
        var e = Assert.Throws<IndexException>(() => SqliteReferenceIndex.Open(IndexDir, create: false));
        Assert.Equal(IndexErrorKind.NotFound, e.Kind);
        Assert.False(Directory.Exists(IndexDir));
    }
}
