using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using Doppel.Engine.Text;

namespace Doppel.Readers;

/// <summary>
/// Extracts the text of a Word document with DocumentFormat.OpenXml: the body in document order (paragraphs, tables
/// cell by cell, text boxes after their paragraph), then footnotes and endnotes. Deleted revisions, field codes,
/// headers, footers and comments are left out. One paragraph per line. Headings, quote styles and indented paragraphs
/// are reported as regions for the exclusion stage.
/// </summary>
internal sealed class DocxReader
{
    /// <summary>Left indent (twips) from which a paragraph that is not a list item counts as a block quotation: 1 cm.</summary>
    private const int BlockQuoteIndentTwips = 567;

    private readonly StringBuilder _text = new();
    private readonly List<TextRegion> _regions = [];
    private readonly Dictionary<string, StyleInfo> _styles = new(StringComparer.Ordinal);
    private readonly ReaderLimits _limits;

    private sealed record StyleInfo(string Name, string? BasedOn, int? OutlineLevel, int? LeftIndent);

    private DocxReader(ReaderLimits limits) => _limits = limits;

    public static ExtractedText Read(byte[] bytes, string path, ReaderLimits limits)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var settings = new OpenSettings { MaxCharactersInPart = limits.XmlCharBound, AutoSave = false };
            using var doc = WordprocessingDocument.Open(stream, false, settings);
            var main = doc.MainDocumentPart ?? throw new InvalidDataException("no main document part");
            var reader = new DocxReader(limits);
            reader.LoadStyles(main);
            var body = main.Document?.Body ?? throw new InvalidDataException("no document body");
            reader.Block(body);
            if (main.FootnotesPart?.Footnotes is { } fn) reader.Notes(fn);
            if (main.EndnotesPart?.Endnotes is { } en) reader.Notes(en);
            return new ExtractedText(reader.Finish(), DocumentFormats.Docx, reader._regions);
        }
        catch (DocumentInputException) { throw; }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException
                                       or InvalidOperationException or IOException or FormatException or ArgumentException)
        {
            string why = DocumentReader.FirstLine(ex.Message);
            if (why.Contains("MaxCharactersInPart", StringComparison.OrdinalIgnoreCase) || why.Contains("exceed", StringComparison.OrdinalIgnoreCase))
                throw new DocumentInputException(DocumentInputErrorKind.TooLarge, path,
                    $"refused: an XML part of the Word document is larger than {limits.XmlCharBound:N0} characters", ex);
            throw new DocumentInputException(DocumentInputErrorKind.Malformed, path, "malformed Word document (" + why + ")", ex);
        }
    }

    private string Finish()
    {
        // Paragraphs end with '\n'; drop the last one so the text does not end in a line break of ours.
        if (_text.Length > 0 && _text[^1] == '\n') _text.Length--;
        return _text.ToString();
    }

    private void LoadStyles(MainDocumentPart main)
    {
        var root = main.StyleDefinitionsPart?.Styles;
        if (root == null) return;
        foreach (var style in root.ChildElements.Where(e => e.LocalName == "style"))
        {
            string? id = Attr(style, "styleId");
            if (id == null) continue;
            string name = Child(style, "name") is { } n ? Attr(n, "val") ?? id : id;
            string? basedOn = Child(style, "basedOn") is { } b ? Attr(b, "val") : null;
            var pPr = Child(style, "pPr");
            int? outline = pPr != null && Child(pPr, "outlineLvl") is { } o && int.TryParse(Attr(o, "val"), out int lvl) ? lvl : null;
            int? indent = pPr != null ? LeftIndent(pPr) : null;
            _styles[id] = new StyleInfo(name, basedOn, outline, indent);
        }
    }

    /// <summary>Block-level content: paragraphs, tables, content controls; anything else is searched for them.</summary>
    private void Block(OpenXmlElement container)
    {
        foreach (var e in container.ChildElements)
        {
            switch (e.LocalName)
            {
                case "p": Paragraph(e); break;
                case "tbl":
                    foreach (var row in e.ChildElements.Where(c => c.LocalName == "tr"))
                        foreach (var cell in row.ChildElements.Where(c => c.LocalName == "tc"))
                            Block(cell);
                    break;
                case "sectPr" or "tblPr" or "tblGrid" or "trPr" or "tcPr" or "sdtPr" or "sdtEndPr": break;
                case "del" or "moveFrom": break;
                case "AlternateContent": AlternateContent(e, Block); break;
                default: Block(e); break; // sdt, sdtContent, customXml, ins, moveTo
            }
            if (_text.Length > _limits.MaxExtractedChars) return;
        }
    }

    private void Paragraph(OpenXmlElement p)
    {
        int start = _text.Length;
        var nested = new List<OpenXmlElement>();
        Inline(p, nested);
        int end = _text.Length;
        _text.Append('\n');
        if (end > start && !IsBlank(start, end)) Classify(p, start, end);
        // Text boxes anchored in the paragraph follow it.
        foreach (var box in nested) Block(box);
    }

    private void Inline(OpenXmlElement parent, List<OpenXmlElement> nested)
    {
        foreach (var e in parent.ChildElements)
        {
            switch (e.LocalName)
            {
                case "t": _text.Append(e.InnerText); break;
                case "tab" or "ptab": _text.Append('\t'); break;
                case "br" or "cr": _text.Append('\n'); break;
                case "noBreakHyphen": _text.Append('-'); break;
                case "sym": break;
                case "pPr" or "rPr" or "delText" or "instrText" or "del" or "moveFrom" or "fldData" or "proofErr"
                    or "bookmarkStart" or "bookmarkEnd" or "commentRangeStart" or "commentRangeEnd" or "commentReference"
                    or "footnoteReference" or "endnoteReference" or "softHyphen" or "lastRenderedPageBreak": break;
                case "txbxContent": nested.Add(e); break;
                case "AlternateContent": AlternateContent(e, c => Inline(c, nested)); break;
                default: Inline(e, nested); break; // r, hyperlink, ins, moveTo, smartTag, fldSimple, sdt, drawing...
            }
        }
    }

    /// <summary>Markup compatibility: the first Choice is the modern rendering and the Fallback repeats it (VML),
    /// so only one of them is read.</summary>
    private static void AlternateContent(OpenXmlElement e, Action<OpenXmlElement> visit)
    {
        var choice = e.ChildElements.FirstOrDefault(c => c.LocalName == "Choice")
                     ?? e.ChildElements.FirstOrDefault(c => c.LocalName == "Fallback");
        if (choice != null) visit(choice);
    }

    private void Notes(OpenXmlElement root)
    {
        foreach (var note in root.ChildElements)
        {
            // Separator notes hold the rule above the notes, not text.
            if (Attr(note, "type") is { } type && type != "normal") continue;
            int start = _text.Length;
            if (start > 0 && _text[^1] != '\n') _text.Append('\n');
            start = _text.Length;
            Block(note);
            int end = _text.Length;
            while (end > start && _text[end - 1] == '\n') end--;
            if (end > start) _regions.Add(new TextRegion(start, end - start, TextRegionKind.Footnote));
        }
    }

    private void Classify(OpenXmlElement p, int start, int end)
    {
        var pPr = Child(p, "pPr");
        string? styleId = pPr != null && Child(pPr, "pStyle") is { } ps ? Attr(ps, "val") : null;
        bool list = pPr != null && Child(pPr, "numPr") != null;
        int? outline = pPr != null && Child(pPr, "outlineLvl") is { } o && int.TryParse(Attr(o, "val"), out int lvl) ? lvl : null;
        int? indent = pPr != null ? LeftIndent(pPr) : null;
        string styleName = "";
        for (int depth = 0; styleId != null && depth < 8 && _styles.TryGetValue(styleId, out var st); depth++)
        {
            if (depth == 0) styleName = st.Name;
            outline ??= st.OutlineLevel;
            indent ??= st.LeftIndent;
            if (st.Name.StartsWith("heading", StringComparison.OrdinalIgnoreCase) || st.Name is "Title" or "title" or "Subtitle") outline ??= 0;
            if (IsQuoteStyle(st.Name)) styleName = st.Name;
            styleId = st.BasedOn;
        }
        if (outline is >= 0 and < 9)
            _regions.Add(new TextRegion(start, end - start, TextRegionKind.Heading));
        else if (IsQuoteStyle(styleName) || (!list && indent >= BlockQuoteIndentTwips))
            _regions.Add(new TextRegion(start, end - start, TextRegionKind.BlockQuote));
    }

    private static bool IsQuoteStyle(string name) =>
        name.Equals("Quote", StringComparison.OrdinalIgnoreCase) || name.Equals("Intense Quote", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Block Text", StringComparison.OrdinalIgnoreCase) || name.Equals("Block Quote", StringComparison.OrdinalIgnoreCase);

    private static int? LeftIndent(OpenXmlElement pPr) =>
        Child(pPr, "ind") is { } ind && int.TryParse(Attr(ind, "left") ?? Attr(ind, "start"), out int twips) ? twips : null;

    private bool IsBlank(int start, int end)
    {
        for (int i = start; i < end; i++) if (!char.IsWhiteSpace(_text[i])) return false;
        return true;
    }

    private static OpenXmlElement? Child(OpenXmlElement e, string localName) => e.ChildElements.FirstOrDefault(c => c.LocalName == localName);

    private static string? Attr(OpenXmlElement e, string localName)
    {
        foreach (var a in e.GetAttributes())
            if (a.LocalName == localName) return a.Value;
        return null;
    }
}
