using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Doppel.Engine.Reports.Html;

/// <summary>Options of the HTML evidence report.</summary>
public sealed record HtmlReportOptions
{
    public static readonly HtmlReportOptions Default = new();
    /// <summary>Page title; defaults to "Similarity report: NAME".</summary>
    public string? Title { get; init; }
    /// <summary>Shown in the header (e.g. the time of the run); none when null, so output is reproducible.</summary>
    public string? Generated { get; init; }
}

/// <summary>
/// Renders a <see cref="ComparisonReport"/> (one suspicious document against one or more sources, built with
/// <c>ReportOptions.IncludeText</c>) as one self-contained HTML file: inline CSS and script, no network access. The
/// document is rendered with its passages highlighted in the colour of their source (the kind shown by the
/// underline); every passage is also rendered once, side by side with its source and the word differences marked,
/// in the evidence section that prints after the document and that the side panel shows for a clicked passage.
/// Everything is rendered here, so the report reads and prints without the script; the script adds the panel,
/// source filters and the exclusion toggles, which recompute the shares with the rules of
/// <see cref="Exclusions.ExclusionFilter"/>. See docs/report-html.md.
/// </summary>
public static class HtmlReportRenderer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(ComparisonReport report, HtmlReportOptions? options = null)
    {
        var sb = new StringBuilder(64 * 1024 + report.Suspicious.Length * 4);
        using var w = new StringWriter(sb, Inv);
        Render(report, w, options);
        return sb.ToString();
    }

    public static void Render(ComparisonReport report, TextWriter w, HtmlReportOptions? options = null)
    {
        options ??= HtmlReportOptions.Default;
        string text = report.Suspicious.Text
            ?? throw new ArgumentException("The report does not carry the suspicious text: build it with ReportOptions.IncludeText.", nameof(report));
        // The word offsets the shares are counted in (a report read back from JSON has none: analyse the text again).
        var (wordStarts, wordEnds) = report.Suspicious.WordOffsets ?? Words(text);
        var sources = report.Sources;
        var colours = sources.Select((_, i) => Palette(i)).ToArray();
        // Passages get global ids in source order; a passage's id is its evidence element "p{id}".
        var passages = new List<(int Id, int Source, ReportPassage P)>();
        for (int s = 0; s < sources.Count; s++)
            foreach (var p in sources[s].Passages)
                passages.Add((passages.Count, s, p));

        string title = options.Title ?? "Similarity report: " + report.Suspicious.Name;
        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // Self-contained by construction, and the browser is told so: nothing may be loaded from anywhere.
        w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        w.Write("<meta name=\"generator\" content=\"doppel\">\n<title>"); Enc(w, title); w.Write("</title>\n<style>");
        w.Write(Asset("report.css"));
        w.Write("</style>\n</head>\n<body>\n");

        Header(w, report, title, options);
        w.Write("<div class=\"layout\">\n");
        SourceList(w, report, colours);
        w.Write("<main class=\"docwrap\"><h2 class=\"sr\">Document</h2>\n<div id=\"doc\" class=\"doc\" tabindex=\"-1\">");
        Document(w, text, report, passages, colours);
        w.Write("</div></main>\n");
        w.Write("<aside id=\"panel\" class=\"panel\" aria-live=\"polite\" aria-label=\"Source of the selected passage\"><p class=\"hint\">Select a highlighted passage (click, or Tab and Enter) to see it beside its source, with the changed words marked.</p></aside>\n");
        w.Write("</div>\n");
        Evidence(w, report, passages, colours);
        Data(w, report, passages, colours, wordStarts, wordEnds);
        w.Write("<script>"); w.Write(Asset("report.js")); w.Write("</script>\n</body>\n</html>\n");
    }

    private static (int[] Starts, int[] Ends) Words(string text)
    {
        var doc = Text.DocumentAnalyzer.Analyze(text);
        return (doc.TokenStart[..doc.TokenCount], doc.TokenEnd[..doc.TokenCount]);
    }

    private static void Header(TextWriter w, ComparisonReport r, string title, HtmlReportOptions options)
    {
        var x = r.Exclusions;
        int words = r.Suspicious.Words;
        w.Write("<header class=\"top\">\n<div class=\"title\"><h1>"); Enc(w, title); w.Write("</h1>\n<p class=\"meta\">");
        Enc(w, r.Suspicious.Path); w.Write($" · {FormatName(r.Suspicious.Format)} · {words.ToString("N0", Inv)} words · {r.Sources.Count} source{(r.Sources.Count == 1 ? "" : "s")} checked");
        if (options.Generated != null) { w.Write(" · "); Enc(w, options.Generated); }
        w.Write("</p></div>\n");
        w.Write($"<div class=\"score\"><span id=\"overall\" class=\"big\">{Pct(r.CoveredWords, words)}</span><span class=\"lbl\">similar text<br><span id=\"overall-words\">{r.CoveredWords.ToString("N0", Inv)} of {words.ToString("N0", Inv)} words</span></span></div>\n");
        w.Write("<form class=\"controls\" aria-label=\"Exclusions\">\n");
        w.Write($"<label><input type=\"checkbox\" id=\"x-quotes\"{(x.Quotes ? " checked" : "")}> Exclude quotations</label>\n");
        w.Write($"<label><input type=\"checkbox\" id=\"x-bibliography\"{(x.Bibliography ? " checked" : "")}> Exclude bibliography</label>\n");
        w.Write($"<label>Exclude matches under <input type=\"number\" id=\"x-minwords\" min=\"0\" max=\"999\" value=\"{x.MinMatchWords}\"> words</label>\n");
        w.Write("<button type=\"button\" id=\"print\">Print</button>\n</form>\n</header>\n");
    }

    private static void SourceList(TextWriter w, ComparisonReport r, (string Strong, string Light)[] colours)
    {
        w.Write("<nav class=\"sources\" aria-label=\"Sources\"><h2>Sources</h2>\n<ol id=\"sources\">\n");
        for (int s = 0; s < r.Sources.Count; s++)
        {
            var src = r.Sources[s];
            var kinds = src.Passages.GroupBy(p => p.Kind).OrderBy(g => KindOrder(g.Key)).Select(g => $"{g.Count()} {g.Key}");
            w.Write($"<li class=\"src{(src.Excluded ? " off" : "")}\" data-s=\"{s}\" style=\"--c:{colours[s].Strong};--b:{colours[s].Light}\">");
            w.Write($"<label><input type=\"checkbox\" class=\"inc\" data-s=\"{s}\"{(src.Excluded ? "" : " checked")} aria-label=\"Count this source\"><span class=\"sw\">{s + 1}</span> <span class=\"nm\" title=\"");
            Enc(w, src.Path); w.Write("\">"); Enc(w, src.Name); w.Write("</span></label>");
            w.Write($"<span class=\"share\" id=\"share-{s}\">{Pct(src.CoveredWords, r.Suspicious.Words)}</span>");
            w.Write($"<span class=\"cnt\">{src.Passages.Count} passage{(src.Passages.Count == 1 ? "" : "s")}{(src.Passages.Count > 0 ? ": " + string.Join(", ", kinds) : "")}</span>");
            if (src.Passages.Count > 0) w.Write($"<button type=\"button\" class=\"only\" data-s=\"{s}\" aria-pressed=\"false\">Show only</button>");
            w.Write("</li>\n");
        }
        w.Write("</ol>\n<div class=\"legend\"><h3>Kinds</h3><p><span class=\"lg k-verbatim\">verbatim</span> copied word for word</p><p><span class=\"lg k-paraphrase\">paraphrase</span> reworded</p><p><span class=\"lg k-summary\">summary</span> condensed</p><p><span class=\"lg nc-demo\">not counted</span> excluded</p><p><span class=\"lg xq-demo\">quotation</span> / <span class=\"lg xb-demo\">bibliography</span></p></div>\n");
        if (r.Skipped.Count > 0)
        {
            w.Write("<div class=\"skipped\"><h3>Skipped inputs</h3><ul>");
            foreach (var k in r.Skipped) { w.Write("<li>"); Enc(w, k.Message); w.Write("</li>"); }
            w.Write("</ul></div>\n");
        }
        w.Write("</nav>\n");
    }

    /// <summary>The text cut at every passage and excluded-span boundary; each piece inside any of them is one
    /// element that lists them, so overlapping passages of different sources need no nesting.</summary>
    private static void Document(TextWriter w, string text, ComparisonReport r, List<(int Id, int Source, ReportPassage P)> passages,
        (string Strong, string Light)[] colours)
    {
        var spans = r.Exclusions.Spans;
        var cuts = new SortedSet<int> { 0, text.Length };
        foreach (var (_, _, p) in passages) { cuts.Add(Clamp(p.Suspicious.Start, text)); cuts.Add(Clamp(p.Suspicious.Start + p.Suspicious.Length, text)); }
        foreach (var x in spans) { cuts.Add(Clamp(x.Start, text)); cuts.Add(Clamp(x.Start + x.Length, text)); }
        // Sweep: passages and spans sorted by start, active sets maintained as lists (few overlap at once).
        var byStart = passages.OrderBy(p => p.P.Suspicious.Start).ToList();
        var spanOrder = spans.Select((x, i) => (x, i)).OrderBy(t => t.x.Start).ToList();
        var active = new List<(int Id, int Source, ReportPassage P)>();
        var activeSpans = new List<int>();
        int nextP = 0, nextX = 0;
        var started = new HashSet<int>();
        int prev = -1;
        foreach (int cut in cuts)
        {
            if (prev >= 0 && cut > prev)
            {
                active.RemoveAll(a => a.P.Suspicious.Start + a.P.Suspicious.Length <= prev);
                while (nextP < byStart.Count && byStart[nextP].P.Suspicious.Start <= prev) active.Add(byStart[nextP++]);
                active.RemoveAll(a => a.P.Suspicious.Start + a.P.Suspicious.Length <= prev);
                activeSpans.RemoveAll(i => spans[i].Start + spans[i].Length <= prev);
                while (nextX < spanOrder.Count && spanOrder[nextX].x.Start <= prev) activeSpans.Add(spanOrder[nextX++].i);
                activeSpans.RemoveAll(i => spans[i].Start + spans[i].Length <= prev);
                Segment(w, text, prev, cut, active, activeSpans, spans, colours, started);
            }
            prev = cut;
        }
    }

    private static void Segment(TextWriter w, string text, int from, int to, List<(int Id, int Source, ReportPassage P)> active,
        List<int> activeSpans, IReadOnlyList<ReportExcludedSpan> spans, (string Strong, string Light)[] colours, HashSet<int> started)
    {
        if (active.Count == 0 && activeSpans.Count == 0) { Enc(w, text.AsSpan(from, to - from)); return; }
        string xattr = activeSpans.Count == 0 ? "" : $" data-x=\"{string.Join(' ', activeSpans)}\"";
        string xcls = string.Concat(activeSpans.Select(i => spans[i].Kind == "bibliography" ? " xb" : " xq").Distinct());
        if (active.Count == 0)
        {
            w.Write($"<span class=\"x{xcls}\"{xattr}>"); Enc(w, text.AsSpan(from, to - from)); w.Write("</span>");
            return;
        }
        // The first listed passage (the best-ranked source) gives the colour; counted passages before others.
        var ordered = active.OrderBy(a => a.P.Excluded != null).ThenBy(a => a.Source).ToList();
        var top = ordered[0];
        bool counted = ordered.Any(a => a.P.Excluded == null);
        bool first = started.Add(top.Id);
        w.Write($"<mark class=\"m k-{top.P.Kind}{(counted ? "" : " nc")}{xcls}\" data-p=\"{string.Join(' ', ordered.Select(a => a.Id))}\"{xattr}");
        w.Write($" style=\"--c:{colours[top.Source].Strong};--b:{colours[top.Source].Light}\"");
        if (first) w.Write($" data-n=\"{top.Source + 1}\"");
        w.Write(" tabindex=\"0\" role=\"button\">");
        Enc(w, text.AsSpan(from, to - from));
        w.Write("</mark>");
    }

    private static void Evidence(TextWriter w, ComparisonReport r, List<(int Id, int Source, ReportPassage P)> passages,
        (string Strong, string Light)[] colours)
    {
        w.Write("<section id=\"evidence\" class=\"evidence\"><h2>Passages beside their sources</h2>\n");
        w.Write("<p class=\"hint\">Marked words differ between the document and the source: <span class=\"ch\">changed</span> or <span class=\"mv\">moved</span>. Offsets count UTF-16 code units of the text Doppel read");
        w.Write(r.Suspicious.Format == "text" ? "" : " (the extracted text: <code>doppel extract</code> prints it)");
        w.Write(".</p>\n");
        int at = 0;
        for (int s = 0; s < r.Sources.Count; s++)
        {
            var src = r.Sources[s];
            if (src.Passages.Count == 0) continue;
            w.Write($"<h3 class=\"eh\" style=\"--c:{colours[s].Strong};--b:{colours[s].Light}\"><span class=\"sw\">{s + 1}</span> ");
            Enc(w, src.Name); w.Write($" <small>{Pct(src.CoveredWords, r.Suspicious.Words)} · ");
            Enc(w, src.Path); w.Write("</small></h3>\n");
            for (; at < passages.Count && passages[at].Source == s; at++)
                Passage(w, passages[at].Id, s, passages[at].P, src, colours[s]);
        }
        w.Write("</section>\n");
    }

    private static void Passage(TextWriter w, int id, int s, ReportPassage p, SourceReport src, (string Strong, string Light) colour)
    {
        string a = p.Suspicious.Text ?? "", b = p.Source.Text ?? "";
        var (da, db) = WordDiff.Diff(a, b);
        w.Write($"<article class=\"pe k-{p.Kind}{(p.Excluded != null ? " nc" : "")}\" id=\"p{id}\" data-p=\"{id}\" data-s=\"{s}\" style=\"--c:{colour.Strong};--b:{colour.Light}\">");
        w.Write($"<h4><span class=\"sw\">{s + 1}</span> <span class=\"kind\">{p.Kind}</span> · score {p.Score.ToString("0.00", Inv)} · ");
        w.Write($"document {p.Suspicious.Start.ToString("N0", Inv)}–{(p.Suspicious.Start + p.Suspicious.Length).ToString("N0", Inv)} · source {p.Source.Start.ToString("N0", Inv)}–{(p.Source.Start + p.Source.Length).ToString("N0", Inv)}");
        if (p.Excluded != null) w.Write($" · <span class=\"why\">not counted: {ExcludedLabel(p.Excluded)}</span>");
        w.Write("</h4><div class=\"cols\"><div class=\"col susp\"><h5>This document</h5><p class=\"t\">");
        Marked(w, a, da);
        w.Write("</p></div><div class=\"col srcc\"><h5>Source: "); Enc(w, src.Name); w.Write("</h5><p class=\"t\">");
        Marked(w, b, db);
        w.Write("</p></div></div></article>\n");
    }

    /// <summary>Text with runs of changed (or moved) words wrapped; whitespace between words of a run stays inside it.</summary>
    private static void Marked(TextWriter w, string text, WordDiff.Word[] words)
    {
        int pos = 0;
        for (int i = 0; i < words.Length;)
        {
            var mark = words[i].Mark;
            if (mark == WordDiff.Mark.Same) { i++; continue; }
            int j = i;
            while (j + 1 < words.Length && words[j + 1].Mark == mark) j++;
            int start = words[i].Start, end = words[j].Start + words[j].Length;
            Enc(w, text.AsSpan(pos, start - pos));
            w.Write(mark == WordDiff.Mark.Changed ? "<span class=\"ch\">" : "<span class=\"mv\">");
            Enc(w, text.AsSpan(start, end - start));
            w.Write("</span>");
            pos = end;
            i = j + 1;
        }
        Enc(w, text.AsSpan(pos));
    }

    /// <summary>What the script needs to recompute shares: passages and spans as offsets, sources, options.</summary>
    private static void Data(TextWriter w, ComparisonReport r, List<(int Id, int Source, ReportPassage P)> passages,
        (string Strong, string Light)[] colours, int[] wordStarts, int[] wordEnds)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms))
        {
            j.WriteStartObject();
            // Words as the engine counts them (AnalyzedDocument.WordsIn): start and end offsets.
            j.WriteStartArray("ws");
            foreach (int x in wordStarts) j.WriteNumberValue(x);
            j.WriteEndArray();
            j.WriteStartArray("we");
            foreach (int x in wordEnds) j.WriteNumberValue(x);
            j.WriteEndArray();
            j.WriteStartArray("sources");
            for (int s = 0; s < r.Sources.Count; s++)
            {
                j.WriteStartObject();
                j.WriteString("name", r.Sources[s].Name);
                j.WriteBoolean("excluded", r.Sources[s].Excluded);
                j.WriteString("c", colours[s].Strong);
                j.WriteString("b", colours[s].Light);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteStartArray("passages");
            foreach (var (_, s, p) in passages)
            {
                j.WriteStartArray();
                j.WriteNumberValue(s); j.WriteNumberValue(p.Suspicious.Start); j.WriteNumberValue(p.Suspicious.Length);
                j.WriteStringValue(p.Kind);
                j.WriteEndArray();
            }
            j.WriteEndArray();
            j.WriteStartArray("spans");
            foreach (var x in r.Exclusions.Spans)
            {
                j.WriteStartArray();
                j.WriteStringValue(x.Kind); j.WriteNumberValue(x.Start); j.WriteNumberValue(x.Length);
                j.WriteEndArray();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        // Utf8JsonWriter's default encoder escapes '<', '>' and '&', so the data cannot close the script element.
        w.Write("<script type=\"application/json\" id=\"data\">");
        w.Write(Encoding.UTF8.GetString(ms.ToArray()));
        w.Write("</script>\n");
    }

    private static string ExcludedLabel(string why) => why switch
    {
        "quote" => "in quotation marks",
        "blockQuote" => "block quotation",
        "bibliography" => "bibliography",
        "short" => "too short",
        "source" => "source excluded",
        _ => why,
    };

    private static string FormatName(string format) => format switch
    {
        "html" => "web page (main text extracted)",
        "docx" => "Word document (text extracted)",
        "pdf" => "PDF (text extracted)",
        _ => "text",
    };

    private static int KindOrder(string kind) => kind switch { "verbatim" => 0, "paraphrase" => 1, _ => 2 };

    private static int Clamp(int x, string text) => Math.Clamp(x, 0, text.Length);

    /// <summary>Tenths of a percent in integer arithmetic (the script computes the same): never 100% for a partial
    /// share, never 0% for a non-zero one.</summary>
    internal static string Pct(int covered, int length)
    {
        if (length <= 0) return "0.0%";
        long t = ((long)covered * 1000 + length / 2) / length;
        if (t >= 1000 && covered < length) t = 999;
        if (t == 0 && covered > 0) t = 1;
        return (t / 10.0).ToString("0.0", Inv) + "%";
    }

    /// <summary>Source colours: twelve hues chosen to be told apart; later rounds shift the hue and change the
    /// lightness. Each is a strong colour (swatch, underline) and a light one (highlight background under dark
    /// text). Sources are also numbered, so colour is never the only cue.</summary>
    internal static (string Strong, string Light) Palette(int i)
    {
        ReadOnlySpan<int> hues = [210, 30, 130, 0, 270, 180, 55, 320, 95, 240, 15, 160];
        int round = i / hues.Length;
        double h = (hues[i % hues.Length] + 17 * round) % 360;
        ReadOnlySpan<double> strong = [0.38, 0.28, 0.46];
        ReadOnlySpan<double> light = [0.86, 0.80, 0.91];
        return (Hsl(h, 0.70, strong[round % 3]), Hsl(h, 0.85, light[round % 3]));
    }

    private static string Hsl(double h, double s, double l)
    {
        double c = (1 - Math.Abs(2 * l - 1)) * s, x = c * (1 - Math.Abs(h / 60 % 2 - 1)), m = l - c / 2;
        var (r, g, b) = h switch
        {
            < 60 => (c, x, 0.0), < 120 => (x, c, 0.0), < 180 => (0.0, c, x),
            < 240 => (0.0, x, c), < 300 => (x, 0.0, c), _ => (c, 0.0, x),
        };
        return $"#{(int)Math.Round((r + m) * 255):x2}{(int)Math.Round((g + m) * 255):x2}{(int)Math.Round((b + m) * 255):x2}";
    }

    private static void Enc(TextWriter w, string s) => Enc(w, s.AsSpan());

    private static void Enc(TextWriter w, ReadOnlySpan<char> s)
    {
        int last = 0;
        for (int i = 0; i < s.Length; i++)
        {
            string? rep = s[i] switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\0' => "\uFFFD", _ => null };
            if (rep == null) continue;
            w.Write(s[last..i]);
            w.Write(rep);
            last = i + 1;
        }
        w.Write(s[last..]);
    }

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal);

    private static string Asset(string name)
    {
        lock (Assets)
        {
            if (Assets.TryGetValue(name, out var s)) return s;
            using var stream = typeof(HtmlReportRenderer).Assembly.GetManifestResourceStream("Doppel.Reports.Html." + name)
                ?? throw new InvalidOperationException("missing embedded asset " + name);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return Assets[name] = reader.ReadToEnd();
        }
    }
}
