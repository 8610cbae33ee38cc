using Xunit;
using Doppel.Engine.Collection;

namespace Doppel.Tests.Collection;

public class CandidateFinderTests
{
    private static ulong[] H(params ulong[] h) => h.Order().ToArray();

    [Fact]
    public void Index_lists_each_document_once_per_fingerprint_in_order()
    {
        var index = FingerprintIndex.Build([H(1, 2, 3), H(2, 3, 4), H(3, 9)]);
        int g3 = index.Find(3);
        Assert.Equal(3, index.DocFrequency(g3));
        Assert.Equal([0, 1, 2], index.GroupDocs[index.GroupStart[g3]..index.GroupStart[g3 + 1]]);
        Assert.Equal(-1, index.Find(7));
        Assert.Equal(index.Find(4), index.DocGroups[index.DocStart[1] + 2]);
    }

    [Fact]
    public void Pairs_need_enough_usable_shared_fingerprints()
    {
        var index = FingerprintIndex.Build([H(1, 2, 3, 5), H(2, 3, 4, 5), H(3, 9), H(10, 11)]);
        var usable = Enumerable.Repeat(true, index.GroupCount).ToArray();
        var all = CandidateFinder.Find(index, usable, 4, minShared: 1, minShare: 0, maxParallelism: 1);
        Assert.Equal([(0, 1, 3), (0, 2, 1), (1, 2, 1)], all.Select(c => (c.A, c.B, c.Shared)).ToArray());

        var two = CandidateFinder.Find(index, usable, 4, minShared: 2, minShare: 0, maxParallelism: 1);
        Assert.Equal([(0, 1, 3)], two.Select(c => (c.A, c.B, c.Shared)).ToArray());

        usable[index.Find(5)] = false; // e.g. common material
        usable[index.Find(2)] = false;
        Assert.Empty(CandidateFinder.Find(index, usable, 4, minShared: 2, minShare: 0, maxParallelism: 1));

        // A share of the smaller document: 3 shared of 4 passes 0.75, not 0.8.
        usable = Enumerable.Repeat(true, index.GroupCount).ToArray();
        Assert.Single(CandidateFinder.Find(index, usable, 4, minShared: 1, minShare: 0.75, maxParallelism: 1), c => c.A == 0 && c.B == 1);
        Assert.DoesNotContain(CandidateFinder.Find(index, usable, 4, minShared: 1, minShare: 0.8, maxParallelism: 1), c => c.A == 0 && c.B == 1);
    }

    [Fact]
    public void Fingerprints_skip_stopwords_and_survive_inflection()
    {
        var a = Doppel.Engine.Text.DocumentAnalyzer.Analyze("The students wrote their essays on the history of printing.");
        var b = Doppel.Engine.Text.DocumentAnalyzer.Analyze("A student writes an essay about histories of the printing.");
        var fa = Fingerprinter.Compute(a, 3);
        var fb = Fingerprinter.Compute(b, 3);
        Assert.Equal(3, fa.Count); // students wrote essays history printing: 5 content words, 3 trigrams
        Assert.NotEmpty(fa.Hash.Intersect(fb.Hash));
        Assert.Equal(0, Fingerprinter.Compute(Doppel.Engine.Text.DocumentAnalyzer.Analyze("the of and"), 3).Count);
    }
}
