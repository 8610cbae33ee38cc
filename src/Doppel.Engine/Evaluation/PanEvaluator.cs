using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Doppel.Engine.Evaluation;

/// <summary>
/// Evaluates a directory of PAN detection files against a directory of PAN truth files (text alignment).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Truth: every <c>*.xml</c> below <c>truthDir</c> (recursively) is one pair, keyed by its file name
/// (e.g. <c>suspicious-document00005-source-document01090.xml</c>); its cases are its <c>plagiarism</c> features.
/// Other files (such as <c>pairs</c>) are ignored. Two truth files with the same name raise <see cref="PanFormatException"/>.</item>
/// <item>Detections: every <c>*.xml</c> directly in <c>detectionsDir</c>, matched to a truth pair by file name.
/// A truth pair without a detection file has no detections. A detection file without a truth file is a pair without
/// cases: it counts in "all" only (hurting precision) and is listed in <see cref="EvaluationReport.UnmatchedDetectionFiles"/>.</item>
/// <item>Groups: a pair in a subfolder of <c>truthDir</c> belongs to the group named after its top-level subfolder
/// (e.g. <c>03-random-obfuscation</c>); a pair directly in <c>truthDir</c> belongs to the obfuscation/type of its first
/// case, "no-plagiarism" without cases, or "unspecified" when the first case has neither attribute.</item>
/// <item>Each group is scored with <see cref="PanMeasures.Score"/> over its own pairs' cases and detections only; "all"
/// over everything. As in the PAN script, identical annotations within a group are counted once, and matching is by
/// the annotations' document references (a detection in pair A's file naming another source is still compared by its references).</item>
/// </list>
/// Files are read in parallel; results do not depend on scheduling (files are processed in ordinal path order).
/// </remarks>
public static class PanEvaluator
{
    /// <summary>Name of the overall group.</summary>
    public const string AllGroup = "all";

    /// <summary>Group of a top-level truth pair without cases.</summary>
    public const string NoPlagiarismGroup = "no-plagiarism";

    /// <summary>Group of a top-level truth pair whose first case has no obfuscation or type attribute.</summary>
    public const string UnspecifiedGroup = "unspecified";

    /// <summary>Evaluates the detections in <paramref name="detectionsDir"/> against the truth in <paramref name="truthDir"/>.</summary>
    /// <param name="truthDir">Folder with truth XMLs, possibly in per-obfuscation subfolders.</param>
    /// <param name="detectionsDir">Folder with one detection XML per pair (flat).</param>
    /// <param name="micro">Micro-averaged recall/precision instead of macro-averaged.</param>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="PanFormatException">A file is malformed, or two truth files share a name.</exception>
    public static EvaluationReport Evaluate(string truthDir, string detectionsDir, bool micro = false)
    {
        ArgumentNullException.ThrowIfNull(truthDir);
        ArgumentNullException.ThrowIfNull(detectionsDir);
        if (!Directory.Exists(truthDir)) throw new DirectoryNotFoundException($"Truth directory not found: {truthDir}");
        if (!Directory.Exists(detectionsDir)) throw new DirectoryNotFoundException($"Detections directory not found: {detectionsDir}");

        string truthRoot = Path.GetFullPath(truthDir);
        var truthPaths = Directory.EnumerateFiles(truthRoot, "*.xml", new EnumerationOptions { RecurseSubdirectories = true })
            .Select(p => (Full: p, Relative: Path.GetRelativePath(truthRoot, p)))
            .OrderBy(p => p.Relative, StringComparer.Ordinal)
            .ToArray();
        var truthByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < truthPaths.Length; i++)
        {
            string name = Path.GetFileName(truthPaths[i].Full);
            if (!truthByName.TryAdd(name, i))
                throw new PanFormatException(truthPaths[i].Full,
                    $"duplicate pair: a truth file with the same name exists at '{truthPaths[truthByName[name]].Full}'");
        }

        var detectionPaths = Directory.EnumerateFiles(Path.GetFullPath(detectionsDir), "*.xml", new EnumerationOptions { RecurseSubdirectories = false })
            .OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal)
            .ToArray();

        var truthCases = ReadAll(truthPaths.Select(p => p.Full).ToArray(), PanXml.ReadCases);
        var detections = ReadAll(detectionPaths, PanXml.ReadDetections);

        var detectionsOfTruth = new IReadOnlyList<PanAnnotation>[truthPaths.Length];
        Array.Fill(detectionsOfTruth, Array.Empty<PanAnnotation>());
        var unmatched = new List<int>();
        for (int j = 0; j < detectionPaths.Length; j++)
        {
            if (truthByName.TryGetValue(Path.GetFileName(detectionPaths[j]), out int i))
                detectionsOfTruth[i] = detections[j];
            else
                unmatched.Add(j);
        }

        // Group the truth pairs.
        var groups = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < truthPaths.Length; i++)
        {
            string group = GroupOf(truthPaths[i].Relative, truthCases[i]);
            if (!groups.TryGetValue(group, out var members))
                groups[group] = members = new List<int>();
            members.Add(i);
        }

        var groupResults = new List<EvaluationGroupResult>(groups.Count);
        foreach (var (name, members) in groups)
        {
            groupResults.Add(Score(name, micro,
                members.Select(i => (truthCases[i], detectionsOfTruth[i]))));
        }

        var allPairs = Enumerable.Range(0, truthPaths.Length).Select(i => (truthCases[i], detectionsOfTruth[i]))
            .Concat(unmatched.Select(j => ((IReadOnlyList<PanAnnotation>)Array.Empty<PanAnnotation>(), detections[j])));
        var all = Score(AllGroup, micro, allPairs);

        return new EvaluationReport
        {
            Micro = micro,
            TruthDirectory = truthDir,
            DetectionsDirectory = detectionsDir,
            TruthFiles = truthPaths.Length,
            DetectionFiles = detectionPaths.Length,
            UnmatchedDetectionPairs = unmatched.Count,
            UnmatchedDetectionFiles = unmatched.Select(j => Path.GetFileName(detectionPaths[j])).ToArray(),
            Groups = groupResults,
            All = all,
            ByCase = CaseBreakdown(micro, truthCases, detectionsOfTruth),
        };
    }

    /// <summary>Recall per obfuscation level and per LLM of the cases themselves (a PAN 2025 pair mixes levels, so
    /// grouping pairs by their first case hides them). Only when the truth names an LLM or mixes levels in a pair.</summary>
    private static List<EvaluationCaseBreakdown> CaseBreakdown(bool micro, IReadOnlyList<PanAnnotation>[] truth, IReadOnlyList<PanAnnotation>[] detections)
    {
        var result = new List<EvaluationCaseBreakdown>();
        bool llm = truth.Any(cs => cs.Any(c => c.Llm != null));
        bool mixed = truth.Any(cs => cs.Select(c => c.Obfuscation).Distinct().Count() > 1);
        if (!llm && !mixed) return result;
        var allDetections = detections.SelectMany(d => d).Distinct(IdentityComparer.Instance).ToList();
        foreach (var (attribute, key) in new (string, Func<PanAnnotation, string?>)[] { ("obfuscation", c => c.Obfuscation), ("llm", c => c.Llm) })
        {
            var byValue = truth.SelectMany(cs => cs).Distinct(IdentityComparer.Instance)
                .GroupBy(c => key(c) ?? "-").OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var g in byValue)
            {
                var cases = g.ToList();
                var relevant = allDetections.Where(d => cases.Any(c => PanMeasures.NormalizeReference(c.SuspiciousReference) == PanMeasures.NormalizeReference(d.SuspiciousReference))).ToList();
                var sc = PanMeasures.Score(cases, relevant, micro);
                result.Add(new EvaluationCaseBreakdown { Attribute = attribute, Value = g.Key, Cases = cases.Count, DetectedCases = sc.DetectedCases, Recall = sc.Recall });
            }
        }
        return result;
    }

    /// <summary>Reads the files in parallel; the first failure in path order is rethrown as is
    /// (not wrapped in an <see cref="AggregateException"/>), so errors are deterministic too.</summary>
    private static IReadOnlyList<PanAnnotation>[] ReadAll(string[] paths, Func<string, IReadOnlyList<PanAnnotation>> read)
    {
        var results = new IReadOnlyList<PanAnnotation>[paths.Length];
        if (paths.Length == 0) return results;
        var errors = new Exception?[paths.Length];
        Parallel.ForEach(Partitioner.Create(0, paths.Length), range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                try { results[i] = read(paths[i]); }
                catch (Exception ex) { errors[i] = ex; }
            }
        });
        foreach (var error in errors)
            if (error is not null)
                ExceptionDispatchInfo.Throw(error);
        return results;
    }

    private static string GroupOf(string relativePath, IReadOnlyList<PanAnnotation> cases)
    {
        int separator = relativePath.IndexOfAny(['/', '\\']);
        if (separator > 0)
            return relativePath[..separator];
        if (cases.Count == 0)
            return NoPlagiarismGroup;
        return string.IsNullOrEmpty(cases[0].Obfuscation) ? UnspecifiedGroup : cases[0].Obfuscation!;
    }

    private static EvaluationGroupResult Score(string name, bool micro,
        IEnumerable<(IReadOnlyList<PanAnnotation> Cases, IReadOnlyList<PanAnnotation> Detections)> pairs)
    {
        var cases = new List<PanAnnotation>();
        var detections = new List<PanAnnotation>();
        var seenCases = new HashSet<PanAnnotation>(IdentityComparer.Instance);
        var seenDetections = new HashSet<PanAnnotation>(IdentityComparer.Instance);
        int pairCount = 0, pairsWithDetections = 0;
        foreach (var (pairCases, pairDetections) in pairs)
        {
            pairCount++;
            if (pairDetections.Count > 0) pairsWithDetections++;
            foreach (var c in pairCases)
                if (seenCases.Add(c)) cases.Add(c);
            foreach (var d in pairDetections)
                if (seenDetections.Add(d)) detections.Add(d);
        }
        var s = PanMeasures.Score(cases, detections, micro);
        return new EvaluationGroupResult
        {
            Name = name,
            Pairs = pairCount,
            Cases = cases.Count,
            Detections = detections.Count,
            PairsWithDetections = pairsWithDetections,
            DetectedCases = s.DetectedCases,
            Recall = s.Recall,
            Precision = s.Precision,
            Granularity = s.Granularity,
            PlagDet = s.PlagDet,
        };
    }

    /// <summary>Equality of annotations as the PAN script's sets see it: normalised references and the four numbers
    /// (the obfuscation label is ignored).</summary>
    private sealed class IdentityComparer : IEqualityComparer<PanAnnotation>
    {
        public static readonly IdentityComparer Instance = new();

        public bool Equals(PanAnnotation x, PanAnnotation y)
            => x.ThisOffset == y.ThisOffset && x.ThisLength == y.ThisLength
            && x.SourceOffset == y.SourceOffset && x.SourceLength == y.SourceLength
            && PanMeasures.NormalizeReference(x.SuspiciousReference) == PanMeasures.NormalizeReference(y.SuspiciousReference)
            && PanMeasures.NormalizeReference(x.SourceReference) == PanMeasures.NormalizeReference(y.SourceReference);

        public int GetHashCode(PanAnnotation a)
            => HashCode.Combine(a.ThisOffset, a.ThisLength, a.SourceOffset, a.SourceLength,
                PanMeasures.NormalizeReference(a.SuspiciousReference), PanMeasures.NormalizeReference(a.SourceReference));
    }
}
