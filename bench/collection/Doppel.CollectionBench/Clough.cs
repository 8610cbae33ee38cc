using System.Globalization;
using System.Text;

namespace Doppel.CollectionBench;

/// <summary>
/// The Clough-Stevenson bar: each answer is scored by its coverage by its task's original (the coverage_a or
/// coverage_b of the pair answer/orig_taskX in the CSV of <c>doppel cross</c>; 0 when the pair is not reported),
/// then per-class mean coverage and the ROC AUC of cut+light vs non and heavy vs non (ties count one half).
/// </summary>
internal static class Clough
{
    public static string Score(string labelsCsv, string pairsCsv)
    {
        var labels = new List<(string File, string Task, string Category)>();
        foreach (var line in File.ReadLines(labelsCsv).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length >= 5) labels.Add((f[0], f[3], f[4]));
        }
        var coverage = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(pairsCsv).Skip(1))
        {
            var f = line.Split(',');
            string a = Path.GetFileName(f[0]), b = Path.GetFileName(f[1]);
            double ca = double.Parse(f[2], CultureInfo.InvariantCulture), cb = double.Parse(f[3], CultureInfo.InvariantCulture);
            if (IsOriginalOf(b, a)) coverage[a] = ca;
            if (IsOriginalOf(a, b)) coverage[b] = cb;
        }
        double Cov(string file) => coverage.TryGetValue(file, out var c) ? c : 0;
        var byClass = labels.GroupBy(l => l.Category).ToDictionary(g => g.Key, g => g.Select(l => Cov(l.File)).ToList());
        var sb = new StringBuilder();
        foreach (var c in new[] { "cut", "light", "heavy", "non" })
        {
            var v = byClass.GetValueOrDefault(c) ?? [];
            sb.Append(CultureInfo.InvariantCulture, $"{c,-6} n={v.Count,3}  mean coverage {(v.Count == 0 ? 0 : v.Average()):0.0000}  min {(v.Count == 0 ? 0 : v.Min()):0.0000}  max {(v.Count == 0 ? 0 : v.Max()):0.0000}\n");
        }
        var non = byClass.GetValueOrDefault("non") ?? [];
        var cutLight = (byClass.GetValueOrDefault("cut") ?? []).Concat(byClass.GetValueOrDefault("light") ?? []).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"AUC cut+light vs non: {Auc(cutLight, non):0.0000}\n");
        sb.Append(CultureInfo.InvariantCulture, $"AUC heavy vs non:     {Auc(byClass.GetValueOrDefault("heavy") ?? [], non):0.0000}\n");
        sb.Append("lowest-scored copies (cut, light, heavy):\n");
        foreach (var l in labels.Where(l => l.Category is "cut" or "light" or "heavy").OrderBy(l => Cov(l.File)).Take(5))
            sb.Append(CultureInfo.InvariantCulture, $"  {l.File} {l.Category} {Cov(l.File):0.0000}\n");
        sb.Append("highest-scored non:\n");
        foreach (var l in labels.Where(l => l.Category == "non").OrderByDescending(l => Cov(l.File)).Take(5))
            sb.Append(CultureInfo.InvariantCulture, $"  {l.File} {Cov(l.File):0.0000}\n");
        return sb.ToString();
    }

    /// <summary>orig_taskX.txt is the original of every answer gNpM_taskX.txt.</summary>
    private static bool IsOriginalOf(string orig, string answer) =>
        orig.StartsWith("orig_task", StringComparison.Ordinal) && !answer.StartsWith("orig_", StringComparison.Ordinal)
        && answer.EndsWith(orig["orig_".Length..], StringComparison.Ordinal);

    public static double Auc(List<double> positive, List<double> negative)
    {
        if (positive.Count == 0 || negative.Count == 0) return double.NaN;
        double wins = 0;
        foreach (var p in positive)
            foreach (var n in negative)
                wins += p > n ? 1 : p == n ? 0.5 : 0;
        return wins / (positive.Count * (double)negative.Count);
    }
}
