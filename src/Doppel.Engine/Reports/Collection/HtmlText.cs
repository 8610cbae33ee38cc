using System.Globalization;
using System.Net;

namespace Doppel.Engine.Reports.Collection;

/// <summary>Small helpers shared by the collection HTML pages.</summary>
internal static class HtmlText
{
    public static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Pct(double share)
    {
        double p = Math.Round(share * 100, 1);
        if (p >= 100 && share < 1) p = 99.9;
        if (p <= 0 && share > 0) p = 0.1;
        return p.ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }

    public static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public static string PairPage(int rank) => $"pairs/pair-{rank:D5}.html";

    /// <summary>The pair's evidence report (word differences per passage), next to its side-by-side page.</summary>
    public static string EvidencePage(int rank) => $"pairs/evidence-{rank:D5}.html";

    /// <summary>Colour for a coverage share: pale yellow to dark red.</summary>
    public static string Heat(double share)
    {
        share = Math.Clamp(share, 0, 1);
        int r = (int)(255 - 80 * share), g = (int)(240 - 210 * share), b = (int)(200 - 180 * share);
        return $"rgb({r},{g},{b})";
    }

    public const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:1em 2em;color:#222}
        h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.5em 0}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
        th{background:#f5f5f5;cursor:pointer;user-select:none;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .muted{color:#777}.bar{display:inline-block;height:8px;background:#c0392b;vertical-align:middle;margin-right:4px}
        a{color:#1a5fb4;text-decoration:none}a:hover{text-decoration:underline}
        mark{background:#fde2a8;border-radius:2px;cursor:pointer}mark.verbatim{background:#f8b4a8}mark.summary{background:#b8e0f0}
        mark.hit{outline:2px solid #c0392b}.excl{color:#999;text-decoration:underline dotted}
        .cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}.doc{white-space:pre-wrap;font:13px/1.5 Georgia,serif;border:1px solid #ddd;padding:1em;max-height:80vh;overflow:auto}
        .legend span{padding:1px 6px;margin-right:8px;border-radius:2px}
        input[type=search]{padding:4px 8px;width:24em}
        @media print{.doc{max-height:none;overflow:visible}th{position:static}}
        """;
}
