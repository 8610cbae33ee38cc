using System.Text;
using Doppel.Engine.Collection;
using static Doppel.Engine.Reports.Collection.HtmlText;

namespace Doppel.Engine.Reports.Collection;

/// <summary>
/// The side-by-side page of one pair: both full texts, the shared passages highlighted and linked (click a
/// passage on one side to bring its counterpart into view), template and common material greyed. Self-contained
/// (inline CSS and JS). Kept apart from the overview so a shared evidence renderer can replace it.
/// </summary>
public static class PairPageHtml
{
    public static string Render(CollectionPair pair, CollectionReport report, CollectionResult result)
    {
        var a = result.Documents[pair.A].Document;
        var b = result.Documents[pair.B].Document;
        var sb = new StringBuilder(a.Text.Length * 2 + b.Text.Length * 2 + 4096);
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
          .Append("<title>").Append(E(pair.NameA)).Append(" ↔ ").Append(E(pair.NameB)).Append(" · doppel</title><style>").Append(Style).Append("</style></head><body>");
        sb.Append("<p><a href=\"../index.html\">← overview</a> · pair ").Append(pair.Rank).Append(" of ").Append(report.Pairs.Count)
          .Append(" · <a href=\"").Append(EvidencePage(pair.Rank)[("pairs/".Length)..]).Append("\">evidence view: each passage beside its counterpart, word differences marked →</a></p>");
        sb.Append("<h1>").Append(E(pair.NameA)).Append(" ↔ ").Append(E(pair.NameB)).Append("</h1>");
        sb.Append("<p>").Append(Pct(pair.CoverageA)).Append(" of <b>").Append(E(pair.NameA)).Append("</b> (").Append(pair.CoveredWordsA).Append(" words) and ")
          .Append(Pct(pair.CoverageB)).Append(" of <b>").Append(E(pair.NameB)).Append("</b> (").Append(pair.CoveredWordsB).Append(" words) in ")
          .Append(pair.Passages.Count).Append(pair.Passages.Count == 1 ? " passage" : " passages").Append("; longest ").Append(pair.LongestWords).Append(" words.</p>");
        sb.Append("<p class=\"legend\"><span style=\"background:#f8b4a8\">verbatim</span><span style=\"background:#fde2a8\">paraphrase</span><span style=\"background:#b8e0f0\">summary</span><span class=\"excl\">template or common material (not counted)</span></p>");
        sb.Append("<table><tr><th>#</th><th>kind</th><th>score</th><th>").Append(E(pair.NameA)).Append("</th><th>").Append(E(pair.NameB)).Append("</th></tr>");
        for (int i = 0; i < pair.Passages.Count; i++)
        {
            var p = pair.Passages[i];
            sb.Append("<tr><td><a href=\"#a").Append(i).Append("\">").Append(i + 1).Append("</a></td><td>").Append(p.Kind).Append("</td><td class=n>").Append(Num(p.Score))
              .Append("</td><td>").Append(p.A.Start).Append("–").Append(p.A.Start + p.A.Length).Append(" (").Append(p.A.Words).Append(" words)</td><td>")
              .Append(p.B.Start).Append("–").Append(p.B.Start + p.B.Length).Append(" (").Append(p.B.Words).Append(" words)</td></tr>");
        }
        sb.Append("</table><div class=\"cols\"><div><h2>").Append(E(pair.NameA)).Append("</h2><div class=\"doc\" id=\"docA\">");
        Text(sb, a.Text, 'a', pair.Passages.Select(p => (p.A.Start, p.A.Start + p.A.Length, p.Kind)).ToList(), Excluded(a, result.Masks[pair.A]));
        sb.Append("</div></div><div><h2>").Append(E(pair.NameB)).Append("</h2><div class=\"doc\" id=\"docB\">");
        Text(sb, b.Text, 'b', pair.Passages.Select(p => (p.B.Start, p.B.Start + p.B.Length, p.Kind)).ToList(), Excluded(b, result.Masks[pair.B]));
        sb.Append("</div></div></div>");
        sb.Append("""
            <script>
            document.querySelectorAll('mark[data-p]').forEach(m=>m.addEventListener('click',()=>{
              const side=m.dataset.s==='a'?'b':'a',p=m.dataset.p;
              document.querySelectorAll('mark.hit').forEach(x=>x.classList.remove('hit'));
              document.querySelectorAll('mark[data-p="'+p+'"]').forEach(x=>x.classList.add('hit'));
              const peer=document.querySelector('mark[data-s="'+side+'"][data-p="'+p+'"]');
              if(peer){const box=peer.closest('.doc');box.scrollTop=peer.offsetTop-box.offsetTop-40;}
            }));
            </script></body></html>
            """);
        return sb.ToString();
    }

    private static List<(int Start, int End)> Excluded(Doppel.Engine.Text.AnalyzedDocument d, ExclusionMask? mask)
    {
        var spans = new List<(int, int)>();
        if (mask == null) return spans;
        for (int t = 0; t < mask.Kind.Length;)
        {
            if (mask.Kind[t] == 0) { t++; continue; }
            int s = t;
            while (t < mask.Kind.Length && mask.Kind[t] != 0) t++;
            spans.Add((d.TokenStart[s], d.TokenEnd[t - 1]));
        }
        return spans;
    }

    /// <summary>Writes the text cut at every passage and exclusion boundary; each piece inside a passage is a
    /// mark carrying the passage number, the first piece also its anchor.</summary>
    private static void Text(StringBuilder sb, string text, char side, List<(int Start, int End, string Kind)> passages, List<(int Start, int End)> excluded)
    {
        var cuts = new SortedSet<int> { 0, text.Length };
        foreach (var (s, e, _) in passages) { cuts.Add(s); cuts.Add(e); }
        foreach (var (s, e) in excluded) { cuts.Add(s); cuts.Add(e); }
        var anchored = new bool[passages.Count];
        int prev = -1;
        foreach (int c in cuts)
        {
            if (prev >= 0 && c > prev)
            {
                int p = passages.FindIndex(x => x.Start <= prev && x.End >= c);
                bool ex = excluded.Exists(x => x.Start <= prev && x.End >= c);
                string piece = E(text[prev..c]);
                if (ex) piece = "<span class=\"excl\">" + piece + "</span>";
                if (p >= 0)
                {
                    sb.Append("<mark class=\"").Append(passages[p].Kind).Append("\" data-s=\"").Append(side).Append("\" data-p=\"").Append(p).Append('"');
                    if (!anchored[p]) { sb.Append(" id=\"").Append(side).Append(p).Append('"'); anchored[p] = true; }
                    sb.Append(" title=\"passage ").Append(p + 1).Append(": click to see it in the other text\">").Append(piece).Append("</mark>");
                }
                else sb.Append(piece);
            }
            prev = c;
        }
    }
}
