using System.Globalization;
using System.Text;
using Doppel.Engine.Reports;

namespace Doppel.Cli;

/// <summary>Human-readable rendering of a <see cref="ComparisonReport"/>: coverage, ranking (several sources) and
/// each passage with the two texts side by side, wrapped to the terminal width.</summary>
internal sealed class TextReport(bool color, int width, bool allLinks = false)
{
    /// <summary>Lines per column before a passage is shown as beginning … end.</summary>
    private const int MaxLines = 8;
    /// <summary>Lines per column of one sentence link.</summary>
    private const int MaxLinkLines = 4;
    /// <summary>Sentence links listed for a passage unless --links asks for all.</summary>
    private const int DefaultLinks = 25;
    private readonly int _width = Math.Clamp(width, 40, 240);
    private readonly StringBuilder _sb = new();

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Compare(ComparisonReport r, bool color, int width, bool allLinks = false)
    {
        var t = new TextReport(color, width, allLinks);
        var src = r.Sources[0];
        t.Line($"{t.Bold(r.Suspicious.Name)} compared with {t.Bold(src.Name)}");
        t.Line($"Reused: {t.Bold(Pct(r.Coverage))} of the suspicious text ({r.CoveredWords} of {r.Suspicious.Words} words) in {Count(src.Passages.Count, "passage")}{NotCounted(src.Passages)}");
        t.Exclusions(r);
        t.Passages(src);
        return t._sb.ToString();
    }

    public static string Check(ComparisonReport r, bool color, int width, bool allLinks = false)
    {
        var t = new TextReport(color, width, allLinks);
        t.Line($"{t.Bold(r.Suspicious.Name)}: {t.Bold(Pct(r.Coverage))} reused ({r.CoveredWords} of {r.Suspicious.Words} words) from {Count(r.Sources.Count(s => s.Passages.Count > 0), "source")} of {r.Sources.Count} checked");
        if (r.Skipped.Count > 0) t.Line($"Skipped: {Count(r.Skipped.Count, "input")} (see standard error)");
        t.Exclusions(r);
        t.Line("");
        t.Line(t.Dim("   # coverage passages  source"));
        int rank = 0;
        foreach (var s in r.Sources)
            t.Line($"{++rank,4} {Pct(s.Coverage),8} {s.Passages.Count,8}  {s.Path}{(s.Excluded ? "  (excluded)" : "")}");
        rank = 0;
        foreach (var s in r.Sources)
        {
            rank++;
            if (s.Passages.Count == 0) continue;
            t.Line("");
            t.Line(t.Bold($"== {rank}. {s.Name}: {Pct(s.Coverage)} of {r.Suspicious.Name}, {Count(s.Passages.Count, "passage")}{NotCounted(s.Passages)}"));
            t.Passages(s);
        }
        return t._sb.ToString();
    }

    private void Passages(SourceReport s)
    {
        int col = (_width - 5) / 2;
        int n = 0;
        foreach (var p in s.Passages)
        {
            Line("");
            Line($"[{++n}] {KindColor(p.Kind)}  score {p.Score.ToString("0.000", Inv)}{(p.Excluded != null ? Dim($"  not counted: {p.Excluded}") : "")}");
            var left = Wrap(p.Suspicious.Text ?? "", col);
            var right = Wrap(p.Source.Text ?? "", col);
            Columns($"suspicious {p.Suspicious.Start}..{p.Suspicious.Start + p.Suspicious.Length} ({p.Suspicious.Length} chars)",
                $"source {p.Source.Start}..{p.Source.Start + p.Source.Length} ({p.Source.Length} chars)", left, right, col);
            bool cut = left.Contains("…") || right.Contains("…");
            if (allLinks ? p.Links.Count > 0 : cut && p.Kind != "verbatim" && p.Links.Count > 1) Links(p, col);
        }
    }

    /// <summary>How the passage was traced: each suspicious sentence beside the source sentence it matches, with
    /// their similarity (a long paraphrase, cut above, reads sentence by sentence here).</summary>
    private void Links(ReportPassage p, int col)
    {
        int shown = allLinks ? p.Links.Count : Math.Min(p.Links.Count, DefaultLinks);
        Line("");
        Line(Dim($"  sentence links: {Count(p.Links.Count, "pair")} of sentences (suspicious │ source, similarity)"));
        for (int k = 0; k < shown; k++)
        {
            var l = p.Links[k];
            Columns($"{k + 1}. {l.Similarity.ToString("0.00", Inv)}  suspicious {l.Suspicious.Start}..{l.Suspicious.Start + l.Suspicious.Length}",
                $"source {l.Source.Start}..{l.Source.Start + l.Source.Length}",
                Wrap(Slice(p.Suspicious, l.Suspicious), col, MaxLinkLines), Wrap(Slice(p.Source, l.Source), col, MaxLinkLines), col);
        }
        if (shown < p.Links.Count) Line(Dim($"  … {p.Links.Count - shown} more (--links lists them all)"));
    }

    /// <summary>The text of a link's span, cut from its passage's text (links lie inside their passage).</summary>
    private static string Slice(ReportSpan passage, ReportSpan link)
    {
        string text = passage.Text ?? "";
        int from = Math.Clamp(link.Start - passage.Start, 0, text.Length);
        int to = Math.Clamp(link.Start + link.Length - passage.Start, from, text.Length);
        return text[from..to];
    }

    /// <summary>A dim heading over each column, then the two columns of wrapped lines.</summary>
    private void Columns(string leftHead, string rightHead, List<string> left, List<string> right, int col)
    {
        Row(Dim(leftHead), Dim(rightHead), col, leftHead.Length);
        for (int i = 0; i < Math.Max(left.Count, right.Count); i++)
        {
            string l = i < left.Count ? left[i] : "", r = i < right.Count ? right[i] : "";
            Row(l == "…" ? Dim(l) : l, r == "…" ? Dim(r) : r, col, l.Length);
        }
    }

    /// <summary>One line naming the exclusions in force, when any.</summary>
    private void Exclusions(ComparisonReport r)
    {
        var x = r.Exclusions;
        var on = new List<string>();
        if (x.Quotes) on.Add("quotations");
        if (x.Bibliography) on.Add("bibliography");
        if (x.MinMatchWords > 0) on.Add($"matches under {x.MinMatchWords} words");
        if (x.Sources.Count > 0) on.Add("sources " + string.Join(", ", x.Sources));
        if (on.Count > 0) Line(Dim("Not counted: " + string.Join("; ", on)));
    }

    private static string NotCounted(IReadOnlyList<ReportPassage> passages)
    {
        int n = passages.Count(p => p.Excluded != null);
        return n == 0 ? "" : $" ({n} not counted)";
    }

    private void Row(string left, string right, int col, int leftVisible)
    {
        _sb.Append("  ").Append(left).Append(' ', Math.Max(0, col - leftVisible)).Append(" │ ").Append(right);
        Line("");
    }

    private void Line(string s) => _sb.Append(s.TrimEnd()).Append('\n');

    /// <summary>Word-wraps text with whitespace collapsed; long texts keep their first and last lines around "…".</summary>
    internal static List<string> Wrap(string text, int width, int maxLines = MaxLines)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw;
            while (word.Length > width)
            {
                if (line.Length > 0) { lines.Add(line.ToString()); line.Clear(); }
                int cut = char.IsHighSurrogate(word[width - 1]) ? width - 1 : width;
                lines.Add(word[..cut]);
                word = word[cut..];
            }
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { lines.Add(line.ToString()); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        if (lines.Count <= maxLines) return lines;
        int head = maxLines / 2, tail = maxLines - head - 1;
        return [.. lines.Take(head), "…", .. lines.Skip(lines.Count - tail)];
    }

    /// <summary>Never rounds a partial share up to 100% or a non-zero one down to 0%.</summary>
    private static string Pct(double share)
    {
        double p = Math.Round(share * 100, 1);
        if (p >= 100 && share < 1) p = 99.9;
        if (p <= 0 && share > 0) p = 0.1;
        return p.ToString("0.0", Inv) + "%";
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private string Bold(string s) => color ? $"\e[1m{s}\e[0m" : s;
    private string Dim(string s) => color ? $"\e[2m{s}\e[0m" : s;

    private string KindColor(string kind)
    {
        if (!color) return kind;
        string code = kind switch { "verbatim" => "31", "paraphrase" => "33", "summary" => "36", _ => "0" };
        return $"\e[1;{code}m{kind}\e[0m";
    }
}
