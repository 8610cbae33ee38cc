using System.Text;
using Doppel.Engine.Alignment;
using Doppel.Engine.Collection;
using Doppel.Engine.Reports.Html;
using static Doppel.Engine.Reports.Collection.HtmlText;

namespace Doppel.Engine.Reports.Collection;

/// <summary>
/// The offline HTML report of a collection run: <c>index.html</c> (summary, clusters with a graph of each, a
/// heatmap of who shares text with whom, the ranked pairs, common material, skipped files) and one
/// side-by-side page per pair under <c>pairs/</c>. Everything inline: no network, no external files.
/// </summary>
public static class CollectionHtml
{
    /// <summary>Rows of the pairs table on the overview (the CSV and JSON hold them all).</summary>
    public const int MaxPairRows = 2000;
    /// <summary>Documents in the heatmap: those of the top clusters.</summary>
    public const int MaxHeatmapDocs = 40;
    /// <summary>Clusters drawn as graphs: up to this many documents (larger ones are listed only), and only the top ones.</summary>
    public const int MaxGraphDocs = 16;
    public const int MaxGraphs = 40;

    /// <summary>The files of the report, path relative to the output folder and content, rendered one by one.</summary>
    public static IEnumerable<(string Path, string Content)> Render(CollectionReport report, CollectionResult result, int maxPairPages)
    {
        int pages = Math.Min(maxPairPages, report.Pairs.Count);
        yield return ("index.html", Overview(report, pages));
        for (int k = 0; k < pages; k++)
        {
            yield return (PairPage(report.Pairs[k].Rank), PairPageHtml.Render(report.Pairs[k], report, result));
            // A pair's rank is its place in the engine's ranked list (CollectionReportBuilder), so the two line up.
            yield return (EvidencePage(report.Pairs[k].Rank), EvidenceHtml(result.Pairs[report.Pairs[k].Rank - 1], result));
        }
    }

    /// <summary>The pair as an evidence report (the renderer <c>compare</c> and <c>check</c> use): document A with
    /// its passages, each beside its text in B with the word differences marked.</summary>
    private static string EvidenceHtml(PairResult pair, CollectionResult result)
    {
        var a = result.Documents[pair.A];
        var b = result.Documents[pair.B];
        var passages = pair.Passages
            .Select(p => new AlignedPassage(p.AStart, p.ALength, p.BStart, p.BLength, p.Score, p.Kind, []))
            .ToList();
        var report = ReportBuilder.Build(a.Document, a.Name, a.Path, [new AlignedSource(b.Document, b.Name, b.Path, passages)], null,
            new ReportOptions { IncludeText = true });
        return HtmlReportRenderer.Render(report, new HtmlReportOptions { Title = $"{a.Name} and {b.Name}: evidence" });
    }

    private static string Overview(CollectionReport r, int pages)
    {
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
          .Append("<title>doppel: collection report</title><style>").Append(Style).Append("</style></head><body>");
        sb.Append("<h1>Shared text in a collection of ").Append(r.Summary.Documents).Append(" documents</h1>");
        sb.Append("<p>").Append(r.Summary.Pairs).Append(r.Summary.Pairs == 1 ? " pair shares" : " pairs share").Append(" reused passages of at least ")
          .Append(r.Settings.MinWords).Append(" words, in ").Append(r.Summary.Clusters).Append(r.Summary.Clusters == 1 ? " cluster" : " clusters")
          .Append(". <span class=muted>").Append(r.Summary.CandidatePairs).Append(" candidate pairs aligned out of ")
          .Append(((long)r.Summary.Documents * (r.Summary.Documents - 1) / 2).ToString("N0", System.Globalization.CultureInfo.InvariantCulture))
          .Append("; ").Append(Num(r.Summary.Seconds.Total + r.Summary.Seconds.Load)).Append(" s.</span></p>");
        sb.Append("<p class=muted>Coverage: the share of a document's words inside passages shared with the other document. ")
          .Append("Template text (").Append(r.Settings.Excluded.Count == 0 ? "no --exclude file" : string.Join(", ", r.Settings.Excluded.Select(E)))
          .Append(") and text found in more than ").Append(Pct(r.Settings.CommonShare)).Append(" of the documents never count.</p>");
        sb.Append("<p><a href=\"#clusters\">clusters</a> · <a href=\"#heatmap\">who shares with whom</a> · <a href=\"#pairs-section\">pairs</a> · <a href=\"#common\">common material</a></p>");
        if (r.Skipped.Count > 0)
        {
            sb.Append("<h2>Skipped files (").Append(r.Skipped.Count).Append(")</h2><ul>");
            foreach (var s in r.Skipped) sb.Append("<li>").Append(E(s.Message)).Append("</li>");
            sb.Append("</ul>");
        }
        Clusters(sb, r);
        Heatmap(sb, r);
        Pairs(sb, r, pages);
        Common(sb, r);
        sb.Append(Script).Append("</body></html>");
        return sb.ToString();
    }

    private static string DocLabel(CollectionReport r, int id) => E(r.Documents[id].Name);

    private static void Clusters(StringBuilder sb, CollectionReport r)
    {
        sb.Append("<h2 id=\"clusters\">Clusters</h2>");
        if (r.Clusters.Count == 0) { sb.Append("<p>No reuse found.</p>"); return; }
        sb.Append("<p class=muted>Documents linked by reuse, directly or through others (copying chains, rings, one text copied by many); most shared text first. Who copied from whom cannot be told from the texts alone.</p>");
        sb.Append("<table class=sortable><thead><tr><th>#</th><th>documents</th><th>pairs</th><th>shared words</th><th>max coverage</th><th>members</th></tr></thead><tbody>");
        foreach (var c in r.Clusters.Take(500))
        {
            sb.Append("<tr><td class=n>").Append(c.Rank).Append("</td><td class=n>").Append(c.Documents.Count).Append("</td><td class=n>").Append(c.Pairs.Count)
              .Append("</td><td class=n>").Append(c.SharedWords).Append("</td><td class=n>").Append(Pct(c.MaxCoverage)).Append("</td><td>");
            if (c.Documents.Count <= MaxGraphDocs && c.Rank <= MaxGraphs) Graph(sb, r, c);
            sb.Append(string.Join(", ", c.Documents.Take(30).Select(d => DocLabel(r, d))));
            if (c.Documents.Count > 30) sb.Append(", … (").Append(c.Documents.Count - 30).Append(" more)");
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (r.Clusters.Count > 500) sb.Append("<p class=muted>").Append(r.Clusters.Count - 500).Append(" smaller clusters are in the JSON report.</p>");
    }

    /// <summary>A cluster as a small graph: documents on a circle, one edge per pair, thicker and darker for
    /// more coverage; each edge links to the pair's page.</summary>
    private static void Graph(StringBuilder sb, CollectionReport r, CollectionCluster c)
    {
        const int size = 220, rad = 80, cx = 110, cy = 110;
        var pos = new Dictionary<int, (double X, double Y)>();
        for (int i = 0; i < c.Documents.Count; i++)
        {
            double a = 2 * Math.PI * i / c.Documents.Count - Math.PI / 2;
            pos[c.Documents[i]] = (cx + rad * Math.Cos(a), cy + rad * Math.Sin(a));
        }
        sb.Append("<svg width=\"").Append(size).Append("\" height=\"").Append(size).Append("\" style=\"float:right;margin-left:1em\" role=\"img\" aria-label=\"cluster graph\">");
        foreach (int rank in c.Pairs)
        {
            var p = r.Pairs[rank - 1];
            var (x1, y1) = pos[p.A];
            var (x2, y2) = pos[p.B];
            double cov = Math.Max(p.CoverageA, p.CoverageB);
            sb.Append("<a href=\"").Append(PairPage(rank)).Append("\"><line x1=\"").Append(Num(x1)).Append("\" y1=\"").Append(Num(y1)).Append("\" x2=\"").Append(Num(x2)).Append("\" y2=\"").Append(Num(y2))
              .Append("\" stroke=\"").Append(Heat(cov)).Append("\" stroke-width=\"").Append(Num(1.5 + 6 * cov)).Append("\"><title>").Append(E(p.NameA)).Append(" ↔ ").Append(E(p.NameB)).Append(": ")
              .Append(Pct(p.CoverageA)).Append(" / ").Append(Pct(p.CoverageB)).Append("</title></line></a>");
        }
        foreach (var (d, (x, y)) in pos)
        {
            string name = r.Documents[d].Name;
            string shortName = name.Length > 14 ? name[..13] + "…" : name;
            sb.Append("<circle cx=\"").Append(Num(x)).Append("\" cy=\"").Append(Num(y)).Append("\" r=\"5\" fill=\"#333\"><title>").Append(E(name)).Append("</title></circle>")
              .Append("<text x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y + (y > cy ? 16 : -9))).Append("\" font-size=\"10\" text-anchor=\"middle\">").Append(E(shortName)).Append("</text>");
        }
        sb.Append("</svg>");
    }

    /// <summary>Who shares text with whom: documents of the top clusters on both axes, each cell coloured by
    /// the share of the row document covered by the column document.</summary>
    private static void Heatmap(StringBuilder sb, CollectionReport r)
    {
        var docs = new List<int>();
        foreach (var c in r.Clusters)
        {
            if (docs.Count + c.Documents.Count > MaxHeatmapDocs && docs.Count > 0) break;
            docs.AddRange(c.Documents.Take(MaxHeatmapDocs - docs.Count));
        }
        if (docs.Count < 2) return;
        var at = new Dictionary<int, int>();
        for (int i = 0; i < docs.Count; i++) at[docs[i]] = i;
        const int cell = 14, label = 150;
        int w = label + cell * docs.Count + 10;
        sb.Append("<h2 id=\"heatmap\">Who shares text with whom</h2><p class=muted>Documents of the top clusters. The cell in row R and column C is the share of R covered by C; click a cell for the pair.</p>");
        sb.Append("<svg width=\"").Append(w).Append("\" height=\"").Append(w).Append("\" font-size=\"10\" role=\"img\" aria-label=\"heatmap\">");
        for (int i = 0; i < docs.Count; i++)
        {
            string name = r.Documents[docs[i]].Name;
            if (name.Length > 24) name = name[..23] + "…";
            sb.Append("<text x=\"").Append(label - 4).Append("\" y=\"").Append(label + cell * i + 11).Append("\" text-anchor=\"end\">").Append(E(name)).Append("</text>");
            sb.Append("<text transform=\"translate(").Append(label + cell * i + 10).Append(',').Append(label - 4).Append(") rotate(-60)\">").Append(E(name)).Append("</text>");
            sb.Append("<rect x=\"").Append(label + cell * i).Append("\" y=\"").Append(label + cell * i).Append("\" width=\"").Append(cell - 1).Append("\" height=\"").Append(cell - 1).Append("\" fill=\"#ddd\"/>");
        }
        foreach (var p in r.Pairs)
        {
            if (!at.TryGetValue(p.A, out int i) || !at.TryGetValue(p.B, out int j)) continue;
            Cell(sb, label + cell * j, label + cell * i, cell, p.CoverageA, $"{p.NameA}: {Pct(p.CoverageA)} covered by {p.NameB}", p.Rank);
            Cell(sb, label + cell * i, label + cell * j, cell, p.CoverageB, $"{p.NameB}: {Pct(p.CoverageB)} covered by {p.NameA}", p.Rank);
        }
        sb.Append("</svg>");
    }

    private static void Cell(StringBuilder sb, int x, int y, int cell, double share, string title, int rank) =>
        sb.Append("<a href=\"").Append(PairPage(rank)).Append("\"><rect x=\"").Append(x).Append("\" y=\"").Append(y).Append("\" width=\"").Append(cell - 1).Append("\" height=\"").Append(cell - 1)
          .Append("\" fill=\"").Append(Heat(share)).Append("\"><title>").Append(E(title)).Append("</title></rect></a>");

    private static void Pairs(StringBuilder sb, CollectionReport r, int pages)
    {
        sb.Append("<h2 id=\"pairs-section\">Pairs</h2>");
        if (r.Pairs.Count == 0) { sb.Append("<p>No pair shares reused text.</p>"); return; }
        sb.Append("<p><input type=search id=filter placeholder=\"filter by document name\"> <span class=muted>click a column to sort</span></p>");
        sb.Append("<table class=sortable id=pairs><thead><tr><th>#</th><th>document A</th><th>document B</th><th>coverage A</th><th>coverage B</th><th>passages</th><th>longest (words)</th></tr></thead><tbody>");
        foreach (var p in r.Pairs.Take(MaxPairRows))
        {
            sb.Append("<tr><td class=n>");
            if (p.Rank <= pages) sb.Append("<a href=\"").Append(PairPage(p.Rank)).Append("\">").Append(p.Rank).Append("</a>");
            else sb.Append(p.Rank);
            sb.Append("</td><td>").Append(E(p.NameA)).Append("</td><td>").Append(E(p.NameB)).Append("</td>");
            Coverage(sb, p.CoverageA);
            Coverage(sb, p.CoverageB);
            sb.Append("<td class=n>").Append(p.Passages.Count).Append("</td><td class=n>").Append(p.LongestWords).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (r.Pairs.Count > MaxPairRows) sb.Append("<p class=muted>").Append(r.Pairs.Count - MaxPairRows).Append(" more pairs are in the CSV and JSON reports.</p>");
        if (pages < r.Pairs.Count) sb.Append("<p class=muted>Side-by-side pages were written for the first ").Append(pages).Append(" pairs (see --pages).</p>");
    }

    private static void Coverage(StringBuilder sb, double share) =>
        sb.Append("<td class=n data-v=\"").Append(Num(share)).Append("\"><span class=bar style=\"width:").Append((int)Math.Round(share * 60)).Append("px\"></span>").Append(Pct(share)).Append("</td>");

    private static void Common(StringBuilder sb, CollectionReport r)
    {
        sb.Append("<h2 id=\"common\">Common material (not counted)</h2>");
        if (r.Common.Count == 0) { sb.Append("<p>None: no --exclude text was found in the documents and no text is shared by more than ").Append(Pct(r.Settings.CommonShare)).Append(" of them.</p>"); return; }
        sb.Append("<table><thead><tr><th>source</th><th>documents</th><th>words</th><th>example</th><th>text</th></tr></thead><tbody>");
        foreach (var c in r.Common.Take(200))
        {
            string text = c.Text ?? "";
            if (text.Length > 400) text = text[..400] + " …";
            sb.Append("<tr><td>").Append(c.Source).Append("</td><td class=n>").Append(c.DocumentCount).Append("</td><td class=n>").Append(c.Words).Append("</td><td>")
              .Append(DocLabel(r, c.Document)).Append("</td><td>").Append(E(text)).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
    }

    private const string Script = """
        <script>
        document.querySelectorAll('table.sortable th').forEach((th,i)=>th.addEventListener('click',()=>{
          const tb=th.closest('table').tBodies[0],rows=[...tb.rows],asc=th.dataset.asc!=='1';
          const key=r=>{const c=r.cells[i],v=c.dataset.v??c.textContent;const x=parseFloat(v);return isNaN(x)?v.toLowerCase():x;};
          rows.sort((a,b)=>{const x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
          th.dataset.asc=asc?'1':'0';rows.forEach(r=>tb.appendChild(r));
        }));
        const f=document.getElementById('filter');
        if(f)f.addEventListener('input',()=>{const q=f.value.toLowerCase();
          document.querySelectorAll('#pairs tbody tr').forEach(r=>{r.style.display=(r.cells[1].textContent+' '+r.cells[2].textContent).toLowerCase().includes(q)?'':'none';});});
        </script>
        """;
}
