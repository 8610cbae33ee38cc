using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Doppel.Engine.Text;

namespace Doppel.Readers;

/// <summary>
/// Extracts the main text of a web page. AngleSharp parses (as browsers do); then boilerplate goes in two steps:
/// elements that are never main text (scripts, styles, forms, navigation, site header and footer, asides, menus,
/// newsletter and share boxes, hidden elements) are removed by tag, ARIA role and class/id; the remaining blocks are
/// scored by word count and link density, and only the main run of text is kept: link lists and short blocks that
/// are not next to main text (a "Subscribe" call after a link list) are dropped. Blocks are separated by blank lines;
/// offsets in reports refer to this extracted text. Headings and block quotations are reported as regions.
/// </summary>
internal static partial class HtmlReader
{
    private static readonly HashSet<string> DropTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "video", "audio",
        "head", "form", "button", "select", "input", "textarea", "label", "nav", "aside", "menu", "dialog", "map",
    };

    private static readonly HashSet<string> DropRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alert", "form",
    };

    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
        "td", "th", "thead", "tbody", "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
        "figure", "figcaption", "address", "hr", "body", "center", "details", "summary", "fieldset",
    };

    /// <summary>Words from which a block with few links is main text by itself.</summary>
    private const int ContentWords = 10;
    private const double MaxContentLinkDensity = 0.33;
    private const double LinkListDensity = 0.5;

    private sealed class Block
    {
        public readonly StringBuilder Text = new();
        public int LinkChars;
        public int Links;
        public bool Heading, Quote, Pre;
        public int Words;
        public bool Keep;
    }

    public static ExtractedText Read(byte[] bytes, string path, ReaderLimits limits)
    {
        string html = Decode(bytes, path, out string? warning);
        // Hostile nesting: parsing time grows with depth and the walk below recurses; browsers cap the tree at 512
        // levels, real pages stay far below this.
        int depth = NestingDepth(html);
        if (depth > MaxNesting)
            throw new DocumentInputException(DocumentInputErrorKind.TooLarge, path,
                $"refused: HTML nested {depth:N0} levels deep (limit {MaxNesting:N0})");
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        var doc = parser.ParseDocument(html);
        var body = doc.Body ?? doc.DocumentElement;
        RemoveBoilerplate(body);
        var root = MainRoot(body) ?? body;

        var blocks = new List<Block>();
        var current = new Block();
        Walk(root, blocks, ref current, inLink: false, inQuote: false, inPre: false, heading: false);
        Flush(blocks, ref current);
        Select(blocks);

        var text = new StringBuilder();
        var regions = new List<TextRegion>();
        foreach (var b in blocks.Where(b => b.Keep))
        {
            if (text.Length > 0) text.Append("\n\n");
            int start = text.Length;
            text.Append(b.Text);
            if (b.Heading) regions.Add(new TextRegion(start, b.Text.Length, TextRegionKind.Heading));
            else if (b.Quote) regions.Add(new TextRegion(start, b.Text.Length, TextRegionKind.BlockQuote));
            if (text.Length > limits.MaxExtractedChars) break;
        }
        return new ExtractedText(text.ToString(), DocumentFormats.Html, regions) { Warning = warning };
    }

    private const int MaxNesting = 5_000;

    private static readonly HashSet<string> NoEndTag = new(StringComparer.OrdinalIgnoreCase)
    {
        // Void elements, and those whose end tag is optional and often left out (they would inflate the count).
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot", "colgroup", "rt", "rp",
    };

    /// <summary>Maximum depth of start minus end tags, a cheap upper estimate of the DOM depth.</summary>
    internal static int NestingDepth(string html)
    {
        int depth = 0, max = 0;
        foreach (Match m in Tag().Matches(html))
        {
            if (m.Value.EndsWith("/>") || NoEndTag.Contains(m.Groups[2].Value)) continue;
            depth += m.Groups[1].Length == 0 ? 1 : -1;
            if (depth < 0) depth = 0;
            if (depth > max) max = depth;
        }
        return max;
    }

    [GeneratedRegex(@"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")]
    private static partial Regex Tag();

    /// <summary>BOM and UTF-8 first (the decoder's rules), then a declared charset, then Windows-1252 (with
    /// <paramref name="warning"/> set: nothing said which encoding it is).</summary>
    private static string Decode(byte[] bytes, string path, out string? warning)
    {
        warning = null;
        var decoded = TextDecoder.Decode(bytes, path);
        if (decoded.EncodingName != TextDecoder.Windows1252Name) return decoded.Text;
        var head = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 2048));
        var m = Charset().Match(head);
        if (m.Success)
        {
            try
            {
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return Encoding.GetEncoding(m.Groups[1].Value).GetString(bytes);
            }
            catch (ArgumentException)
            {
                // an unknown charset: as if none was declared
            }
        }
        warning = TextDecoder.FallbackWarning;
        return decoded.Text;
    }

    private static void RemoveBoilerplate(IElement root)
    {
        foreach (var e in root.QuerySelectorAll("*").ToList())
        {
            if (e.Parent == null) continue; // an ancestor went already
            string tag = e.LocalName;
            bool drop = DropTags.Contains(tag)
                || (e.GetAttribute("role") is { } role && DropRoles.Contains(role))
                || e.HasAttribute("hidden") || e.GetAttribute("aria-hidden") == "true"
                || (e.GetAttribute("style") is { } style && HiddenStyle().IsMatch(style));
            // A header or footer of the site, not the one of an article (which holds its title or notes).
            if (!drop && tag is "header" or "footer" && e.Closest("article, main, [role=main]") == null) drop = true;
            if (!drop && tag is not ("body" or "html" or "main" or "article")
                && BoilerplateName().IsMatch((e.ClassName ?? "") + " " + (e.Id ?? ""))
                && e.QuerySelector("main, article, [role=main]") == null)
                drop = true;
            if (drop) e.Remove();
        }
    }

    private static IElement? MainRoot(IElement body)
    {
        var main = body.QuerySelector("main, [role=main]");
        if (main != null) return main;
        var articles = body.QuerySelectorAll("article");
        return articles.Length == 1 ? articles[0] : null;
    }

    private static void Walk(INode node, List<Block> blocks, ref Block current, bool inLink, bool inQuote, bool inPre, bool heading)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t)
            {
                AppendText(current, t.Data, inPre, inLink);
                continue;
            }
            if (child is not IElement e) continue;
            string tag = e.LocalName;
            if (tag == "br") { TrimEndSpaces(current.Text); current.Text.Append('\n'); continue; }
            bool block = BlockTags.Contains(tag);
            bool isHeading = heading || tag is "h1" or "h2" or "h3" or "h4" or "h5" or "h6";
            bool quote = inQuote || tag == "blockquote";
            bool pre = inPre || tag == "pre";
            if (block)
            {
                Flush(blocks, ref current);
                current.Heading = isHeading; current.Quote = quote; current.Pre = pre;
            }
            // In-page anchors ("#section", self-linked headings of documentation sites) lead nowhere else: not links.
            bool isLink = tag == "a" && e.GetAttribute("href") is { } href && !href.StartsWith('#');
            bool link = inLink || isLink;
            if (isLink && !inLink) current.Links++;
            // Inline quotations are shown with quotation marks by browsers; put them in the text so the quote
            // exclusion sees them.
            if (tag == "q") AppendText(current, "\u201C", pre, link);
            Walk(e, blocks, ref current, link, quote, pre, isHeading);
            if (tag == "q") AppendText(current, "\u201D", pre, link);
            if (tag is "td" or "th") AppendText(current, " ", pre, false);
            if (block)
            {
                Flush(blocks, ref current);
                current.Heading = heading; current.Quote = inQuote; current.Pre = inPre;
            }
        }
    }

    private static void AppendText(Block b, string data, bool pre, bool link)
    {
        var sb = b.Text;
        int before = sb.Length;
        if (pre)
        {
            sb.Append(data);
        }
        else
        {
            // HTML whitespace collapses to one space; none at the start of a block or a line.
            foreach (char c in data)
            {
                if (c is ' ' or '\t' or '\n' or '\r' or '\f')
                {
                    if (sb.Length > 0 && sb[^1] is not (' ' or '\n')) sb.Append(' ');
                }
                else
                {
                    sb.Append(c == '\u00A0' ? ' ' : c);
                }
            }
        }
        if (link) b.LinkChars += sb.Length - before;
    }

    private static void TrimEndSpaces(StringBuilder sb)
    {
        while (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
    }

    /// <summary>Runs of letters and digits: a cheap size of a block for telling main text from boilerplate (not a
    /// reported figure; reports count the analysis's words, AnalyzedDocument.WordsIn).</summary>
    private static int LetterRuns(StringBuilder sb)
    {
        int words = 0;
        bool inWord = false;
        foreach (var chunk in sb.GetChunks())
            foreach (char c in chunk.Span)
            {
                bool w = char.IsLetterOrDigit(c);
                if (w && !inWord) words++;
                inWord = w;
            }
        return words;
    }

    private static void Flush(List<Block> blocks, ref Block current)
    {
        var sb = current.Text;
        while (sb.Length > 0 && char.IsWhiteSpace(sb[^1])) sb.Length--;
        int lead = 0;
        while (lead < sb.Length && char.IsWhiteSpace(sb[lead])) lead++;
        if (lead > 0) { sb.Remove(0, lead); current.LinkChars = Math.Max(0, current.LinkChars - lead); }
        if (sb.Length > 0)
        {
            current.Words = LetterRuns(sb);
            blocks.Add(current);
        }
        var next = new Block { Heading = current.Heading, Quote = current.Quote, Pre = current.Pre };
        current = next;
    }

    /// <summary>
    /// Keeps the main run of text. Blocks are content (enough words, few links), short (headings, captions, "Soviet
    /// Aims:"), small link blocks (a byline, one menu item) or link lists (most characters in links and three links or
    /// more, or three small link blocks in a row). Link lists cut the page into clusters; the cluster with the most
    /// content words is the main text (others are kept only when nearly as large), so a newsletter call after a
    /// link list goes even when it is a full sentence. Inside a kept cluster, short blocks stay when content follows
    /// them (a heading) or surrounds them.
    /// </summary>
    private static void Select(List<Block> blocks)
    {
        const int Content = 1, Short = 0, SmallLinks = -2, LinkList = -1;
        int n = blocks.Count;
        var kind = new int[n];
        for (int i = 0; i < n; i++)
        {
            var b = blocks[i];
            double density = b.Text.Length == 0 ? 0 : (double)b.LinkChars / b.Text.Length;
            if (b.Links > 0 && density >= LinkListDensity) kind[i] = b.Links >= 3 || b.Words >= ContentWords ? LinkList : SmallLinks;
            else if (!b.Heading && b.Words >= ContentWords && density <= MaxContentLinkDensity) kind[i] = Content;
            else if (!b.Heading && (b.Quote || b.Pre) && b.Words >= 4) kind[i] = Content;
            else kind[i] = b.Links >= 2 && !b.Heading ? SmallLinks : Short; // "Home » Cold War » ..." breadcrumbs
        }
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j < n && kind[j] == SmallLinks) j++;
            if (j - i >= 3) Array.Fill(kind, LinkList, i, j - i);
            i = Math.Max(j, i + 1);
        }

        // Clusters between link lists, scored by content words.
        var clusters = new List<(int Start, int End, int Words)>();
        for (int i = 0; i < n;)
        {
            if (kind[i] == LinkList) { i++; continue; }
            int j = i, words = 0;
            for (; j < n && kind[j] != LinkList; j++) if (kind[j] == Content) words += blocks[j].Words;
            clusters.Add((i, j, words));
            i = j;
        }
        int best = clusters.Count == 0 ? 0 : clusters.Max(c => c.Words);
        foreach (var (start, end, words) in clusters)
        {
            bool main = best == 0 || words == best || (words >= 50 && words * 3 >= best);
            if (!main) continue;
            for (int i = start; i < end; i++)
            {
                if (kind[i] == Content) { blocks[i].Keep = true; continue; }
                if (kind[i] != Short) continue;
                if (best == 0) { blocks[i].Keep = true; continue; }
                int prev = Neighbour(kind, i, -1, start, end), next = Neighbour(kind, i, +1, start, end);
                blocks[i].Keep = next == Content ? prev != LinkList : prev == Content && next == 0 && !blocks[i].Heading;
            }
        }
    }

    /// <summary>Kind of the nearest content block within 6 blocks in <paramref name="step"/> direction, skipping short
    /// and small link blocks: 1 (content), 0 (edge of the cluster) or -1 (none near).</summary>
    private static int Neighbour(int[] kind, int i, int step, int start, int end)
    {
        for (int j = i + step, k = 0; k < 6; j += step, k++)
        {
            if (j < start || j >= end) return 0;
            if (kind[j] == 1) return 1;
        }
        return -1;
    }

    [GeneratedRegex(@"(^|[\s_-])(nav|navbar|navigation|menu|menus|(bread)?crumbs?|footer|site-?header|masthead|sidebar|widgets?|newsletter|subscribe|subscription|signup|cookies?|consent|share|sharing|social|related|promo|advert|adverts|ads?|banner|popup|modal|skip-link|pagination|tags|tag-?cloud)($|[\s_-])", RegexOptions.IgnoreCase)]
    private static partial Regex BoilerplateName();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyle();

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?\s*([A-Za-z0-9_:.-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Charset();
}

/// <summary>Test access to the nesting estimate.</summary>
internal static class HtmlReaderAccess
{
    public static int NestingDepth(string html) => HtmlReader.NestingDepth(html);
}
