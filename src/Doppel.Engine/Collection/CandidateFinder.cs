namespace Doppel.Engine.Collection;

/// <summary>A pair of documents worth aligning, with the number of distinct fingerprints they share.</summary>
public readonly record struct CandidatePair(int A, int B, int Shared);

/// <summary>
/// Candidate generation: every pair sharing enough usable fingerprints. Each document walks the posting lists
/// of its own fingerprints and counts, in a dense per-thread array, how many it shares with each later document;
/// the work is proportional to the sum of squared document frequencies of the usable fingerprints, which the
/// frequency cap bounds, instead of to n².
/// </summary>
public static class CandidateFinder
{
    /// <param name="minShared">Least number of shared usable fingerprints...</param>
    /// <param name="minShare">...and least share of the smaller document's distinct fingerprints, capped at <paramref name="maxRequired"/>.</param>
    /// <param name="usable">Per group: may this fingerprint propose candidates (not excluded, not too frequent).</param>
    public static List<CandidatePair> Find(FingerprintIndex index, bool[] usable, int documents, int minShared, double minShare, int maxParallelism, Action<int>? progress = null, int maxRequired = int.MaxValue)
    {
        var perDoc = new CandidatePair[documents][];
        int done = 0;
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : -1 };
        Parallel.For(0, documents, po,
            () => (Count: new int[documents], Touched: new List<int>(256)),
            (d, _, local) =>
            {
                var count = local.Count;
                var touched = local.Touched;
                for (int k = index.DocStart[d]; k < index.DocStart[d + 1]; k++)
                {
                    int g = index.DocGroups[k];
                    if (!usable[g]) continue;
                    int s = index.GroupStart[g], e = index.GroupStart[g + 1];
                    // Documents in a group are ascending: skip to those after d.
                    int p = Array.BinarySearch(index.GroupDocs, s, e - s, d);
                    for (p = p < 0 ? ~p : p + 1; p < e; p++)
                    {
                        int o = index.GroupDocs[p];
                        if (count[o]++ == 0) touched.Add(o);
                    }
                }
                List<CandidatePair>? found = null;
                foreach (int o in touched)
                {
                    int smaller = Math.Min(index.DocStart[d + 1] - index.DocStart[d], index.DocStart[o + 1] - index.DocStart[o]);
                    if (count[o] >= Math.Max(minShared, Math.Min(maxRequired, (int)Math.Ceiling(minShare * smaller)))) (found ??= []).Add(new CandidatePair(d, o, count[o]));
                    count[o] = 0;
                }
                touched.Clear();
                if (found != null)
                {
                    found.Sort(static (x, y) => x.B.CompareTo(y.B));
                    perDoc[d] = found.ToArray();
                }
                progress?.Invoke(Interlocked.Increment(ref done));
                return local;
            },
            _ => { });
        var all = new List<CandidatePair>();
        foreach (var list in perDoc) if (list != null) all.AddRange(list);
        return all;
    }
}
