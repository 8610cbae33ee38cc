using System.Globalization;
using System.Text;

namespace Doppel.CollectionBench;

/// <summary>
/// Compares the pairs reported by <c>doppel cross --format csv</c> with the planted truth. Planted pairs share
/// at least MIN_SHARED sentences of one origin (a whole copied passage) and must be found; pairs sharing fewer
/// (a chain's far ends, where one edited sentence travelled) are neither required nor false; any other reported
/// pair is false.
/// </summary>
internal static class Scorer
{
    public static string Score(string truthPath, string pairsPath, int minShared)
    {
        var planted = new HashSet<(string, string)>();
        var weak = new HashSet<(string, string)>();
        foreach (var line in File.ReadLines(truthPath).Skip(1))
        {
            var f = line.Split(',');
            var key = Key(f[0], f[1]);
            if (int.Parse(f[2], CultureInfo.InvariantCulture) >= minShared) planted.Add(key); else weak.Add(key);
        }
        int reported = 0, found = 0, falsePairs = 0, weakFound = 0;
        var falseExamples = new List<string>();
        foreach (var line in File.ReadLines(pairsPath).Skip(1))
        {
            var f = line.Split(',');
            var key = Key(Path.GetFileName(f[0]), Path.GetFileName(f[1]));
            reported++;
            if (planted.Contains(key)) found++;
            else if (weak.Contains(key)) weakFound++;
            else { falsePairs++; if (falseExamples.Count < 5) falseExamples.Add(line); }
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"planted pairs (>= {minShared} shared sentences): {planted.Count}\n");
        sb.Append(CultureInfo.InvariantCulture, $"found: {found}  recall: {(planted.Count == 0 ? 1 : (double)found / planted.Count):0.0000}\n");
        sb.Append(CultureInfo.InvariantCulture, $"weak pairs (1-{minShared - 1} shared sentences): {weak.Count}, reported: {weakFound}\n");
        sb.Append(CultureInfo.InvariantCulture, $"reported pairs: {reported}  false: {falsePairs}  false-pair rate: {(reported == 0 ? 0 : (double)falsePairs / reported):0.0000}\n");
        foreach (var e in falseExamples) sb.Append("  false: ").Append(e).Append('\n');
        return sb.ToString();
    }

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
