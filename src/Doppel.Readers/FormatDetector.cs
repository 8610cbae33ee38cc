using System.IO.Compression;
using System.Text.RegularExpressions;
using Doppel.Engine.Text;

namespace Doppel.Readers;

/// <summary>What a file is, judged by its content; the extension is only a hint (for HTML fragments).</summary>
public enum DetectedFormat
{
    Text,
    Html,
    Docx,
    Pdf,
    /// <summary>A zip archive that is not a Word document (OpenDocument, Excel, PowerPoint, plain zip).</summary>
    OtherZip,
    /// <summary>Legacy OLE compound file: Word 97-2003 .doc, .xls, .ppt, .msg.</summary>
    Ole,
    Rtf,
}

public static partial class FormatDetector
{
    /// <summary>Bytes of the file head that <see cref="Detect(ReadOnlySpan{byte}, string?)"/> looks at.</summary>
    public const int HeadSize = 4096;

    private static readonly string[] HtmlExtensions = [".html", ".htm", ".xhtml", ".xht"];

    /// <summary>Detects the format from the head of the file. Zip archives come back as <see cref="DetectedFormat.Docx"/>
    /// when the extension or nothing says otherwise; <see cref="ClassifyZip"/> decides from the entries.</summary>
    public static DetectedFormat Detect(ReadOnlySpan<byte> head, string? extension)
    {
        if (head.StartsWith("PK\u0003\u0004"u8)) return DetectedFormat.Docx;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return DetectedFormat.Ole;
        // The PDF header may follow some junk (the spec allows it within the first 1024 bytes).
        if (head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8) >= 0) return DetectedFormat.Pdf;
        if (head.StartsWith("{\\rtf"u8)) return DetectedFormat.Rtf;
        return LooksLikeHtml(head, extension) ? DetectedFormat.Html : DetectedFormat.Text;
    }

    /// <summary>Word documents have word/document.xml (possibly under another name, found through the content types).</summary>
    public static (DetectedFormat Format, string What) ClassifyZip(ZipArchive zip)
    {
        bool has(string name) => zip.GetEntry(name) != null;
        if (has("word/document.xml") || (has("[Content_Types].xml") && has("word/_rels/document.xml.rels"))) return (DetectedFormat.Docx, "Word document");
        if (has("mimetype") && has("content.xml")) return (DetectedFormat.OtherZip, "OpenDocument file (save it as .docx or PDF)");
        if (has("xl/workbook.xml")) return (DetectedFormat.OtherZip, "Excel workbook");
        if (has("ppt/presentation.xml")) return (DetectedFormat.OtherZip, "PowerPoint presentation");
        if (has("[Content_Types].xml")) return (DetectedFormat.OtherZip, "Office file that is not a Word document");
        return (DetectedFormat.OtherZip, "zip archive, not a document");
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> head, string? extension)
    {
        string text;
        try
        {
            text = TextDecoder.Decode(head).Text;
        }
        catch (DocumentInputException)
        {
            return false; // binary: the text reader reports it
        }
        var s = text.AsSpan().TrimStart();
        // Skip an XML declaration and leading comments: "<?xml ...?><!-- saved from ... --><!DOCTYPE html>".
        while (true)
        {
            if (s.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && s.IndexOf("?>") is int x and >= 0) { s = s[(x + 2)..].TrimStart(); continue; }
            if (s.StartsWith("<!--") && s.IndexOf("-->") is int c and >= 0) { s = s[(c + 3)..].TrimStart(); continue; }
            break;
        }
        if (s.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || s.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!s.StartsWith("<")) return false;
        // A fragment ("<p>...</p>", "<div>..."): markup must follow, and an HTML extension or closing tags must say so.
        bool htmlExt = extension != null && HtmlExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase);
        return htmlExt || ClosingTag().IsMatch(text);
    }

    [GeneratedRegex(@"</(p|div|body|html|head|h[1-6]|table|li|ul|ol|span|section|article)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ClosingTag();
}
