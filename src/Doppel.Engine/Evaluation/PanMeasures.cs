namespace Doppel.Engine.Evaluation;

/// <summary>Recall, precision, granularity and plagdet of one evaluation (see <see cref="PanMeasures.Score"/>).</summary>
/// <param name="Recall">Macro- or micro-averaged recall.</param>
/// <param name="Precision">Macro- or micro-averaged precision.</param>
/// <param name="Granularity">Average number of detections per detected case (1 when nothing is detected).</param>
/// <param name="PlagDet">F1 of recall and precision divided by log2(1 + granularity).</param>
/// <param name="DetectedCases">Cases overlapped by at least one detection.</param>
public readonly record struct PanScores(double Recall, double Precision, double Granularity, double PlagDet, int DetectedCases);

/// <summary>
/// The PAN plagiarism-detection performance measures (Potthast et al., "An Evaluation Framework for Plagiarism
/// Detection", COLING 2010), with the definitions and edge cases of the PAN <c>perfmeasures.py</c> script:
/// <list type="bullet">
/// <item>A detection <em>detects</em> a case when both have the same suspicious and the same source document and their
/// character ranges overlap on both sides (<c>d.start &lt; c.end &amp;&amp; d.end &gt; c.start</c>, on each side).</item>
/// <item>Characters are counted on both sides: a case/detection covers <c>ThisLength + SourceLength</c> characters.</item>
/// <item>Macro recall: the mean over cases of (characters of the case covered by the detections that detect it, union on
/// each side) / (case characters). Macro precision is macro recall with cases and detections swapped.</item>
/// <item>Micro recall/precision: characters of all cases covered by detecting detections, divided by the characters covered
/// by all cases (resp. all detections); overlapping characters are counted once, per document and side.</item>
/// <item>Recall and precision are 1 when there are neither cases nor detections, and 0 when only one of them is empty.</item>
/// <item>Granularity: detections per detected case, averaged over detected cases; 1 if there are no detections or no detected case.</item>
/// <item>PlagDet: 0 if recall and precision are both 0, either is negative or granularity &lt; 1; else F1 / log2(1 + granularity).</item>
/// </list>
/// References are compared ordinally after removing a trailing ".txt" (the script strips ".txt").
/// Inputs are used as given (duplicates count); the script's XML reader collapses identical annotations,
/// which <see cref="PanEvaluator"/> also does. A zero-length case or detection contributes 0 to the macro average
/// (the script would divide by zero). Work is grouped by (suspicious, source) pair and characters are counted
/// with sorted, merged intervals, so cost is O(cases x detections) within a pair only.
/// </summary>
public static class PanMeasures
{
    /// <summary>Macro-averaged recall of <paramref name="detections"/> in detecting <paramref name="cases"/>.</summary>
    public static double MacroRecall(IEnumerable<PanAnnotation> cases, IEnumerable<PanAnnotation> detections)
        => MacroAverage(AsList(cases), AsList(detections));

    /// <summary>Macro-averaged precision: <see cref="MacroRecall"/> with the roles of cases and detections swapped.</summary>
    public static double MacroPrecision(IEnumerable<PanAnnotation> cases, IEnumerable<PanAnnotation> detections)
        => MacroAverage(AsList(detections), AsList(cases));

    /// <summary>Micro-averaged recall (character level).</summary>
    public static double MicroRecall(IEnumerable<PanAnnotation> cases, IEnumerable<PanAnnotation> detections)
        => Micro(AsList(cases), AsList(detections)).Recall;

    /// <summary>Micro-averaged precision (character level).</summary>
    public static double MicroPrecision(IEnumerable<PanAnnotation> cases, IEnumerable<PanAnnotation> detections)
        => Micro(AsList(cases), AsList(detections)).Precision;

    /// <summary>Granularity of the detections in detecting the cases.</summary>
    public static double Granularity(IEnumerable<PanAnnotation> cases, IEnumerable<PanAnnotation> detections)
        => GranularityCore(AsList(cases), AsList(detections)).Granularity;

    /// <summary>Combines recall, precision and granularity: F1 / log2(1 + granularity).</summary>
    public static double PlagDet(double recall, double precision, double granularity)
    {
        if ((recall == 0 && precision == 0) || precision < 0 || recall < 0 || granularity < 1)
            return 0;
        return 2 * recall * precision / (recall + precision) / Math.Log2(1 + granularity);
    }

    /// <summary>All measures at once, macro-averaged unless <paramref name="micro"/> is set.</summary>
    public static PanScores Score(IEnumerable<PanAnnotation> cases, IEnumerable<PanAnnotation> detections, bool micro = false)
    {
        var c = AsList(cases);
        var d = AsList(detections);
        double recall, precision;
        if (micro)
            (recall, precision) = Micro(c, d);
        else
            (recall, precision) = (MacroAverage(c, d), MacroAverage(d, c));
        var (granularity, detected) = GranularityCore(c, d);
        return new PanScores(recall, precision, granularity, PlagDet(recall, precision, granularity), detected);
    }

    // ---- core -------------------------------------------------------------------------------------------

    /// <summary>Mean over <paramref name="targets"/> of the fraction of each target's characters covered by the
    /// overlapping <paramref name="others"/> (macro recall; macro precision with the arguments swapped).</summary>
    private static double MacroAverage(IReadOnlyList<PanAnnotation> targets, IReadOnlyList<PanAnnotation> others)
    {
        if (targets.Count == 0 && others.Count == 0) return 1;
        if (targets.Count == 0 || others.Count == 0) return 0;
        var index = IndexByPair(others);
        var thisSide = new List<Interval>();
        var sourceSide = new List<Interval>();
        double sum = 0;
        foreach (var t in targets)
        {
            if (!index.TryGetValue(KeyOf(t), out var candidates))
                continue;
            long total = (long)t.ThisLength + t.SourceLength;
            if (total == 0)
                continue;
            thisSide.Clear();
            sourceSide.Clear();
            foreach (var o in candidates)
            {
                if (!Overlaps(t, o)) continue;
                AddClipped(thisSide, t.ThisOffset, t.ThisEnd, o.ThisOffset, o.ThisEnd);
                AddClipped(sourceSide, t.SourceOffset, t.SourceEnd, o.SourceOffset, o.SourceEnd);
            }
            long covered = UnionLength(thisSide) + UnionLength(sourceSide);
            sum += (double)covered / total;
        }
        return sum / targets.Count;
    }

    private static (double Recall, double Precision) Micro(IReadOnlyList<PanAnnotation> cases, IReadOnlyList<PanAnnotation> detections)
    {
        if (cases.Count == 0 && detections.Count == 0) return (1, 1);
        if (cases.Count == 0 || detections.Count == 0) return (0, 0);

        var plagiarized = new CharCounter();
        foreach (var c in cases) plagiarized.Add(c, c.ThisOffset, c.ThisEnd, c.SourceOffset, c.SourceEnd);
        var detected = new CharCounter();
        foreach (var d in detections) detected.Add(d, d.ThisOffset, d.ThisEnd, d.SourceOffset, d.SourceEnd);

        // "True detections": each detecting detection reduced to its overlap with the case it detects,
        // attributed to the case's documents.
        var plagiarizedDetected = new CharCounter();
        var index = IndexByPair(detections);
        foreach (var c in cases)
        {
            if (!index.TryGetValue(KeyOf(c), out var candidates)) continue;
            foreach (var d in candidates)
            {
                if (!Overlaps(c, d)) continue;
                plagiarizedDetected.Add(c,
                    Math.Max(c.ThisOffset, d.ThisOffset), Math.Min(c.ThisEnd, d.ThisEnd),
                    Math.Max(c.SourceOffset, d.SourceOffset), Math.Min(c.SourceEnd, d.SourceEnd));
            }
        }

        long numPlagiarized = plagiarized.Count();
        long numDetected = detected.Count();
        long numPlagiarizedDetected = plagiarizedDetected.Count();
        double recall = numPlagiarized > 0 ? (double)numPlagiarizedDetected / numPlagiarized : 0;
        double precision = numDetected > 0 ? (double)numPlagiarizedDetected / numDetected : 0;
        return (recall, precision);
    }

    private static (double Granularity, int DetectedCases) GranularityCore(IReadOnlyList<PanAnnotation> cases, IReadOnlyList<PanAnnotation> detections)
    {
        if (detections.Count == 0) return (1, 0);
        var index = IndexByPair(detections);
        long detectionsOfCases = 0;
        int detectedCases = 0;
        foreach (var c in cases)
        {
            if (!index.TryGetValue(KeyOf(c), out var candidates)) continue;
            int n = 0;
            foreach (var d in candidates)
                if (Overlaps(c, d)) n++;
            detectionsOfCases += n;
            if (n > 0) detectedCases++;
        }
        return detectedCases == 0 ? (1, 0) : ((double)detectionsOfCases / detectedCases, detectedCases);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /// <summary>The script's overlap test on both sides (the documents are assumed equal via the pair index).</summary>
    private static bool Overlaps(in PanAnnotation a, in PanAnnotation b)
        => b.ThisEnd > a.ThisOffset && b.ThisOffset < a.ThisEnd
        && b.SourceEnd > a.SourceOffset && b.SourceOffset < a.SourceEnd;

    private static void AddClipped(List<Interval> list, long start, long end, long otherStart, long otherEnd)
    {
        long s = Math.Max(start, otherStart), e = Math.Min(end, otherEnd);
        if (e > s) list.Add(new Interval(s, e));
    }

    /// <summary>Number of positions covered by the intervals (sorts the list in place).</summary>
    internal static long UnionLength(List<Interval> intervals)
    {
        if (intervals.Count == 0) return 0;
        if (intervals.Count == 1) return intervals[0].End - intervals[0].Start;
        intervals.Sort(static (x, y) => x.Start.CompareTo(y.Start));
        long total = 0, curStart = intervals[0].Start, curEnd = intervals[0].End;
        for (int i = 1; i < intervals.Count; i++)
        {
            var iv = intervals[i];
            if (iv.Start > curEnd)
            {
                total += curEnd - curStart;
                curStart = iv.Start;
                curEnd = iv.End;
            }
            else if (iv.End > curEnd)
            {
                curEnd = iv.End;
            }
        }
        return total + (curEnd - curStart);
    }

    internal static string NormalizeReference(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return "";
        return reference.EndsWith(".txt", StringComparison.Ordinal) ? reference[..^4] : reference;
    }

    internal static PairKey KeyOf(in PanAnnotation a)
        => new(NormalizeReference(a.SuspiciousReference), NormalizeReference(a.SourceReference));

    private static Dictionary<PairKey, List<PanAnnotation>> IndexByPair(IReadOnlyList<PanAnnotation> annotations)
    {
        var index = new Dictionary<PairKey, List<PanAnnotation>>();
        foreach (var a in annotations)
        {
            var key = KeyOf(a);
            if (!index.TryGetValue(key, out var list))
                index[key] = list = new List<PanAnnotation>(2);
            list.Add(a);
        }
        return index;
    }

    private static IReadOnlyList<PanAnnotation> AsList(IEnumerable<PanAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        return annotations as IReadOnlyList<PanAnnotation> ?? annotations.ToList();
    }

    internal readonly record struct PairKey(string Suspicious, string Source);

    internal readonly record struct Interval(long Start, long End);

    /// <summary>Counts characters covered per document and side, each character once (the script's count_chars).</summary>
    private sealed class CharCounter
    {
        private readonly Dictionary<string, List<Interval>> _suspicious = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Interval>> _source = new(StringComparer.Ordinal);

        public void Add(in PanAnnotation documents, long thisStart, long thisEnd, long sourceStart, long sourceEnd)
        {
            if (thisEnd > thisStart) Get(_suspicious, documents.SuspiciousReference).Add(new Interval(thisStart, thisEnd));
            if (sourceEnd > sourceStart) Get(_source, documents.SourceReference).Add(new Interval(sourceStart, sourceEnd));
        }

        public long Count()
        {
            long total = 0;
            foreach (var list in _suspicious.Values) total += UnionLength(list);
            foreach (var list in _source.Values) total += UnionLength(list);
            return total;
        }

        private static List<Interval> Get(Dictionary<string, List<Interval>> map, string? reference)
        {
            string key = NormalizeReference(reference);
            if (!map.TryGetValue(key, out var list))
                map[key] = list = new List<Interval>();
            return list;
        }
    }
}
