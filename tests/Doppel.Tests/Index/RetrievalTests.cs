using Doppel.Engine.Fingerprints;
using Doppel.Engine.Index;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Index;

public class RetrievalTests : IndexTestBase
{
    [Fact]
    public void Winnowing_keeps_a_shared_run_as_long_as_the_window()
    {
        var rng = new Random(7);
        var a = Enumerable.Range(0, 200).Select(_ => (ulong)rng.NextInt64()).ToArray();
        var b = Enumerable.Range(0, 100).Select(_ => (ulong)rng.NextInt64()).Concat(a.Skip(50).Take(3)).Concat(Enumerable.Range(0, 100).Select(_ => (ulong)rng.NextInt64())).ToArray();
        var sa = new List<int>();
        var sb = new List<int>();
        Winnowing.Select(a, 3, sa);
        Winnowing.Select(b, 3, sb);
        Assert.True(sa.Count < a.Length * 0.7, "winnowing keeps a fraction of the hashes");
        Assert.NotEmpty(sa.Select(i => a[i]).Intersect(sb.Select(i => b[i])));
    }

    [Fact]
    public void Keys_do_not_depend_on_word_order_within_pairs_nor_on_stopwords()
    {
        var x = IndexSignature.Keys(DocumentAnalyzer.Analyze("Quantum entanglement links distant particles instantly."));
        var y = IndexSignature.Keys(DocumentAnalyzer.Analyze("The quantum entanglement of the distant particles links them instantly."));
        var shared = x.Intersect(y).ToArray();
        Assert.Contains(shared, k => IndexSignature.KindOf(k) == IndexKeyKind.Pair);
        Assert.True(shared.Count(k => IndexSignature.KindOf(k) == IndexKeyKind.Term) >= 5);
    }

    [Fact]
    public void The_paraphrased_essay_finds_its_source_among_unrelated_documents_and_is_aligned_with_it()
    {
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        var docs = Enumerable.Range(0, 30).Select(i => Doc($"filler{i:D2}.txt", Filler(100 + i))).ToList();
        docs.Add(Doc("essay.txt", Example("essay.txt")));
        docs.Add(Doc("web-page.txt", Example("web-page.txt")));
        index.AddBatch(docs);

        using var snap = index.OpenSnapshot();
        var query = DocumentAnalyzer.Analyze(Example("essay-paraphrased.txt"), "essay-paraphrased.txt");
        var result = CandidateRetriever.Retrieve(snap, query);
        Assert.Equal("essay.txt", snap.Get(result.Candidates[0].Number)!.Id);
        Assert.NotEmpty(result.Windows);

        var matches = CorpusChecker.Check(snap, query, top: 5);
        var essay = Assert.Single(matches, m => m.Passages.Count > 0);
        Assert.Equal("essay.txt", essay.Document.Id);
        Assert.DoesNotContain(matches, m => m.Document.Id.StartsWith("filler"));
    }

    [Fact]
    public void A_window_prefers_a_short_source_to_a_long_document_that_has_every_word_somewhere()
    {
        // The short document shares 8 of the query's 10 content words, the long one all 10, each in a different
        // sentence among 400: without length normalisation the long one ranks first.
        string[] words = ["aurora", "basalt", "cobalt", "dynamo", "ember", "fjord", "granite", "helium", "iris", "jasper"];
        string query = string.Join(" ", words) + ".";
        // Not neighbours in the query's order, so the two documents share terms only, no stem pairs.
        string shortDoc = string.Join(" and ", new[] { 0, 2, 4, 6, 1, 3, 5, 7 }.Select(i => words[i])) + " were listed.";
        var longDoc = new System.Text.StringBuilder(Filler(500, sentences: 400));
        foreach (var w in words) longDoc.Append($"The {w} appeared once more in this chapter. ").Append(Filler(600 + w.Length, sentences: 20));
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        var docs = Enumerable.Range(0, 30).Select(i => Doc($"filler{i:D2}.txt", Filler(100 + i))).ToList();
        docs.Add(Doc("short.txt", shortDoc));
        docs.Add(Doc("long.txt", longDoc.ToString()));
        index.AddBatch(docs);
        using var snap = index.OpenSnapshot();
        var q = DocumentAnalyzer.Analyze(query, "q.txt");

        string First(RetrievalOptions o) => snap.Get(CandidateRetriever.Retrieve(snap, q, o).Windows[0].Top[0])!.Id;
        Assert.Equal("long.txt", First(RetrievalOptions.Default with { LengthNormalisation = 0 }));
        Assert.Equal("short.txt", First(RetrievalOptions.Default));

        var counts = new int[2];
        long shortNumber = index.List().Single(d => d.Id == "short.txt").Number, longNumber = index.List().Single(d => d.Id == "long.txt").Number;
        snap.KeyCounts([shortNumber, longNumber], counts);
        Assert.True(counts[1] > 20 * counts[0] && counts[0] > 0, $"key counts {counts[0]} and {counts[1]}");
        Assert.True(snap.AverageKeyCount > counts[0] && snap.AverageKeyCount < counts[1]);
    }

    [Fact]
    public void A_document_already_in_the_index_is_not_its_own_source()
    {
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        index.AddBatch([Doc("essay.txt", Example("essay.txt")), Doc("para.txt", Example("essay-paraphrased.txt"))]);
        using var snap = index.OpenSnapshot();
        var matches = CorpusChecker.Check(snap, DocumentAnalyzer.Analyze(Example("essay.txt")), top: 5);
        Assert.DoesNotContain(matches, m => m.Document.Id == "essay.txt");
        Assert.Contains(matches, m => m.Document.Id == "para.txt" && m.Passages.Count > 0);
    }

    [Fact]
    public void Posting_blocks_round_trip()
    {
        (uint, long)[] entries = [(1, 10), (1, 12), (5, 11), (9, 400), (9, 100000)];
        var block = PostingBlock.Encode(entries);
        var found = new List<(int, long)>();
        PostingBlock.Match(block, [1u, 9u], (_, _) => true, (w, d) => found.Add((w, d)));
        Assert.Equal([(0, 10L), (0, 12L), (1, 400L), (1, 100000L)], found);
        found.Clear();
        PostingBlock.Match(block, [1u, 5u, 9u], (w, count) => w != 0 && count <= 1, (w, d) => found.Add((w, d)));
        Assert.Equal([(1, 11L)], found);
    }

    /// <summary>Damaged blocks (an index without checksums reads them as they are) end in InvalidDataException,
    /// which the store reports as a damaged index; never IndexOutOfRange or a runaway loop.</summary>
    [Fact]
    public void Damaged_posting_blocks_are_reported_as_invalid_data_never_as_another_exception()
    {
        (uint, long)[] entries = [.. Enumerable.Range(0, 40).Select(i => ((uint)(i / 4 * 7), 3L + i * 5))];
        var block = PostingBlock.Encode(entries);
        var rng = new Random(7);
        int invalid = 0;
        for (int round = 0; round < 3000; round++)
        {
            byte[] damaged = (round % 3) switch
            {
                0 => block[..rng.Next(block.Length)], // cut short
                1 => Mutated(block, rng),
                _ => RandomBytes(rng.Next(1, 64), rng),
            };
            try
            {
                PostingBlock.Decode(damaged, (_, _) => { });
                PostingBlock.Match(damaged, [0u, 7u, 63u], (_, _) => true, (_, _) => { });
            }
            catch (InvalidDataException)
            {
                invalid++;
            }
        }
        Assert.True(invalid > 2000, $"{invalid} of 3000 damaged blocks found invalid");

        static byte[] Mutated(byte[] b, Random rng)
        {
            var copy = (byte[])b.Clone();
            for (int i = rng.Next(1, 4); i > 0; i--) copy[rng.Next(copy.Length)] ^= (byte)rng.Next(1, 256);
            return copy;
        }
        static byte[] RandomBytes(int n, Random rng)
        {
            var b = new byte[n];
            rng.NextBytes(b);
            return b;
        }
    }

    [Fact]
    public void Damaged_compressed_text_is_reported_as_invalid_data()
    {
        byte[] data = TextCodec.Compress(Example("essay.txt"));
        var garbled = (byte[])data.Clone();
        for (int i = 10; i < 30; i++) garbled[i] ^= 0x5A;
        Assert.Throws<InvalidDataException>(() => TextCodec.Decompress(garbled));
        Assert.Throws<InvalidDataException>(() => TextCodec.Decompress([0xFF, 0xFF, 0xFF, 0xFF]));
    }
}
