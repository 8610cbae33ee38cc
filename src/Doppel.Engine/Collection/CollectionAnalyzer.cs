using System.Diagnostics;
using Doppel.Engine.Alignment;
using Doppel.Engine.Text;

namespace Doppel.Engine.Collection;

public enum CollectionStage { Fingerprinting, Candidates, Aligning, Done }

/// <summary>Progress of a run: the stage and how far it is (Done of Total items).</summary>
public readonly record struct CollectionProgress(CollectionStage Stage, int Done, int Total);

/// <summary>
/// Collection mode, all against all: fingerprint → index → exclude template and common material → candidate
/// pairs → align candidates in parallel → per-pair measures → clusters. See docs/collection.md.
/// </summary>
public static class CollectionAnalyzer
{
    public static CollectionResult Run(IReadOnlyList<CollectionInput> documents, IReadOnlyList<AnalyzedDocument>? templates = null,
        CollectionOptions? options = null, Action<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? CollectionOptions.Default;
        var total = Stopwatch.StartNew();
        int n = documents.Count;
        var po = new ParallelOptions { MaxDegreeOfParallelism = o.MaxParallelism > 0 ? o.MaxParallelism : -1, CancellationToken = cancellationToken };

        // 1. Fingerprints.
        var stemKeys = o.SentenceSignatures
            ? Fingerprinter.StemKeys(documents.Select(x => x.Document).Concat(templates ?? []))
            : [];
        var fps = new DocumentFingerprints[n];
        var distinct = new ulong[n][];
        int fingerprinted = 0;
        Parallel.For(0, n, po, d =>
        {
            fps[d] = Fingerprinter.Compute(documents[d].Document, o.FingerprintWords);
            distinct[d] = fps[d].Distinct(o.SentenceSignatures ? Fingerprinter.Signatures(documents[d].Document, stemKeys) : null);
            progress?.Invoke(new(CollectionStage.Fingerprinting, Interlocked.Increment(ref fingerprinted), n));
        });
        var templateHashes = new HashSet<ulong>();
        foreach (var t in templates ?? [])
        {
            foreach (ulong h in Fingerprinter.Compute(t, o.FingerprintWords).Hash) templateHashes.Add(h);
            if (o.SentenceSignatures) foreach (ulong h in Fingerprinter.Signatures(t, stemKeys)) templateHashes.Add(h);
        }
        var index = FingerprintIndex.Build(distinct);
        double fingerprintSeconds = total.Elapsed.TotalSeconds;

        // 2. What each fingerprint is: template, common material, usable for candidates, or only too frequent.
        int commonLimit = Math.Max(o.CommonMinDocs - 1, (int)Math.Floor(o.CommonShare * n));
        int candidateLimit = Math.Max(o.CandidateMaxDocsFloor, (int)(o.CandidateMaxShare * n));
        var groupKind = new byte[index.GroupCount];
        var usable = new bool[index.GroupCount];
        int commonCount = 0, templateCount = 0;
        for (int g = 0; g < index.GroupCount; g++)
        {
            int df = index.DocFrequency(g);
            if (templateHashes.Contains(index.GroupHash[g])) { groupKind[g] = 1; templateCount++; }
            else if (df > commonLimit) { groupKind[g] = 2; commonCount++; }
            usable[g] = groupKind[g] == 0 && df <= candidateLimit && df > 1;
        }
        var masks = new ExclusionMask?[n];
        var stats = new CollectionDocumentStats[n];
        var common = new List<(int Doc, int T0, int T1, ulong[] Hashes, int Df, bool Template)>();
        for (int d = 0; d < n; d++)
        {
            var doc = documents[d].Document;
            masks[d] = BuildMask(doc, fps[d], distinct[d], index, d, groupKind, common);
            stats[d] = new CollectionDocumentStats(doc.TokenCount, masks[d]?.Count(1) ?? 0, masks[d]?.Count(2) ?? 0);
            fps[d] = DocumentFingerprints.Empty; // positions are no longer needed: free them before alignment
            distinct[d] = [];
        }

        // 3. Candidates.
        var candSw = Stopwatch.StartNew();
        var candidates = CandidateFinder.Find(index, usable, n, o.MinSharedFingerprints, o.MinSharedShare, o.MaxParallelism,
            progress == null ? null : done => progress(new(CollectionStage.Candidates, done, n)), o.MaxSharedRequired);
        double candidateSeconds = candSw.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();

        // 4. Alignment of the candidates only.
        var alignSw = Stopwatch.StartNew();
        var results = new PairResult?[candidates.Count];
        int aligned = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<PairFailure>();
        Parallel.For(0, candidates.Count, po, i =>
        {
            // A pair that makes the aligner fail (a bug) is reported and skipped; the rest of the run goes on.
            try { results[i] = PairMeasurer.Measure(documents, masks, candidates[i], o); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add(new PairFailure(candidates[i].A, candidates[i].B, $"{e.GetType().Name}: {e.Message.Split('\n')[0].TrimEnd('\r')}"));
            }
            progress?.Invoke(new(CollectionStage.Aligning, Interlocked.Increment(ref aligned), candidates.Count));
        });
        double alignSeconds = alignSw.Elapsed.TotalSeconds;

        var pairs = results.Where(p => p != null).Select(p => p!)
            .OrderByDescending(p => p.MaxCoverage).ThenByDescending(p => p.LongestWords).ThenBy(p => p.A).ThenBy(p => p.B)
            .ToList();
        var clusters = ReuseClusterer.Cluster(n, pairs);
        var commonPassages = CommonPassages(documents, common);
        progress?.Invoke(new(CollectionStage.Done, 1, 1));
        return new CollectionResult
        {
            Documents = documents,
            DocumentStats = stats,
            Pairs = pairs,
            Clusters = clusters,
            Common = commonPassages,
            CandidatePairs = candidates.Count,
            CommonFingerprints = commonCount,
            TemplateFingerprints = templateCount,
            Options = o,
            Masks = masks,
            Failures = failures.OrderBy(f => f.A).ThenBy(f => f.B).ToList(),
            Timings = new CollectionTimings(0, fingerprintSeconds, candidateSeconds, alignSeconds, total.Elapsed.TotalSeconds),
        };
    }

    /// <summary>Marks the tokens spanned by template and common fingerprints, and collects the runs of such
    /// fingerprints (for the common-material listing).</summary>
    private static ExclusionMask? BuildMask(AnalyzedDocument doc, DocumentFingerprints fp, ulong[] distinct, FingerprintIndex index, int d,
        byte[] groupKind, List<(int, int, int, ulong[], int, bool)> common)
    {
        byte[]? kind = null;
        int runStart = -1, runT0 = 0, runT1 = 0, runDf = 0;
        bool runTemplate = false;
        for (int k = 0; k <= fp.Count; k++)
        {
            byte gk = 0;
            int g = -1;
            if (k < fp.Count)
            {
                g = index.DocGroups[index.DocStart[d] + Array.BinarySearch(distinct, fp.Hash[k])];
                gk = groupKind[g];
            }
            if (gk != 0)
            {
                kind ??= new byte[doc.TokenCount];
                for (int t = fp.FirstToken[k]; t <= fp.LastToken[k]; t++)
                    if (kind[t] != 1) kind[t] = gk;
                if (runStart >= 0 && fp.FirstToken[k] <= runT1 + 1)
                {
                    runT1 = Math.Max(runT1, fp.LastToken[k]);
                    runDf = Math.Max(runDf, index.DocFrequency(g));
                    runTemplate |= gk == 1;
                    continue;
                }
            }
            if (runStart >= 0)
            {
                common.Add((d, runT0, runT1 + 1, fp.Hash[runStart..k], runDf, runTemplate));
                runStart = -1;
            }
            if (gk != 0)
            {
                runStart = k; runT0 = fp.FirstToken[k]; runT1 = fp.LastToken[k]; runDf = index.DocFrequency(g); runTemplate = gk == 1;
            }
        }
        return kind == null ? null : new ExclusionMask(kind);
    }

    /// <summary>Each stretch of common or template text once (the first document holding it serves as the
    /// example), most widespread first.</summary>
    private static List<CommonPassage> CommonPassages(IReadOnlyList<CollectionInput> docs, List<(int Doc, int T0, int T1, ulong[] Hashes, int Df, bool Template)> runs)
    {
        var seen = new HashSet<ulong>();
        var list = new List<CommonPassage>();
        foreach (var r in runs.OrderBy(r => r.Doc).ThenBy(r => r.T0))
        {
            bool fresh = false;
            foreach (ulong h in r.Hashes) fresh |= seen.Add(h);
            if (!fresh) continue;
            var doc = docs[r.Doc].Document;
            int start = doc.TokenStart[r.T0], end = doc.TokenEnd[r.T1 - 1];
            list.Add(new CommonPassage(r.Doc, start, end - start, r.T1 - r.T0, r.Df, r.Template));
        }
        return list.OrderByDescending(c => c.DocumentCount).ThenByDescending(c => c.Words).ThenBy(c => c.Document).ThenBy(c => c.Start).ToList();
    }
}
