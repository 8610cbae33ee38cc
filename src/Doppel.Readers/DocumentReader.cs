using System.IO.Compression;
using Doppel.Engine.Text;

namespace Doppel.Readers;

/// <summary>
/// Reads any supported document: plain text and Markdown, HTML, DOCX and PDF, chosen by content (magic bytes, markup
/// sniffing) with the extension only as a hint. Plug it into the engine with
/// <c>new DocumentLoader(maxBytes, new DocumentReader())</c>. Thread-safe.
/// </summary>
public sealed class DocumentReader(ReaderLimits? limits = null) : IDocumentReader
{
    public ReaderLimits Limits { get; } = limits ?? ReaderLimits.Default;

    // The engine's file checks (missing, directory, too large, empty, unreadable) hold for every format.
    public ExtractedText Read(string path, long maxBytes) => Read(TextDecoder.ReadBytes(path, maxBytes), path, file: path, Limits.For(maxBytes));

    public ExtractedText Read(byte[] content, string name, long maxBytes) =>
        Read(TextDecoder.CheckBytes(content, name, maxBytes), name, file: null, Limits.For(maxBytes));

    /// <param name="path">How errors name the document.</param>
    /// <param name="file">The file the bytes were read from, if any (pdftotext reads a file).</param>
    private ExtractedText Read(byte[] bytes, string path, string? file, ReaderLimits limits)
    {
        var format = FormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatDetector.HeadSize)), Path.GetExtension(path));
        ExtractedText result = format switch
        {
            DetectedFormat.Docx => ReadZip(path, bytes, limits),
            DetectedFormat.Pdf => file != null ? new PdfReader(limits).Read(file) : new PdfReader(limits).Read(bytes, path),
            DetectedFormat.Html => HtmlReader.Read(bytes, path, limits),
            DetectedFormat.Ole => throw Unsupported(path, "legacy Office file (Word 97-2003 .doc or similar): save it as .docx or PDF"),
            DetectedFormat.Rtf => throw Unsupported(path, "RTF is not supported: save it as .docx or PDF"),
            _ => DecodeText(path, bytes),
        };
        if (result.Text.AsSpan().IsWhiteSpace())
            throw new DocumentInputException(DocumentInputErrorKind.Empty, path, format switch
            {
                DetectedFormat.Pdf => "PDF has no text layer (a scan? run OCR first)",
                DetectedFormat.Docx => "Word document contains no text",
                DetectedFormat.Html => "web page has no main text",
                _ => "file contains only whitespace",
            });
        if (result.Text.Length > limits.MaxExtractedChars)
            throw new DocumentInputException(DocumentInputErrorKind.TooLarge, path,
                $"extracted text too large ({result.Text.Length:N0} characters; limit is {limits.MaxExtractedChars:N0})");
        return result;
    }

    /// <summary>The format a file would be read as, by content: "text", "html", "docx", "pdf", or null when unsupported.</summary>
    /// <remarks>From the head alone a zip is taken for a Word document only when its first entries name Office parts
    /// ("[Content_Types].xml" or "word/"), so a directory search does not pick up other archives.</remarks>
    public static string? Sniff(ReadOnlySpan<byte> head, string? extension) => FormatDetector.Detect(head, extension) switch
    {
        DetectedFormat.Text => DocumentFormats.Text,
        DetectedFormat.Html => DocumentFormats.Html,
        DetectedFormat.Docx when head.IndexOf("[Content_Types].xml"u8) >= 0 || head.IndexOf("word/"u8) >= 0 => DocumentFormats.Docx,
        DetectedFormat.Pdf => DocumentFormats.Pdf,
        _ => null,
    };

    private static ExtractedText DecodeText(string path, byte[] bytes)
    {
        try
        {
            var decoded = TextDecoder.Decode(bytes, path);
            return new ExtractedText(decoded.Text, DocumentFormats.Text) { Warning = TextDecoder.WarningFor(decoded) };
        }
        catch (DocumentInputException ex) when (ex.Path is null)
        {
            throw new DocumentInputException(ex.Kind, path, ex.Detail, ex);
        }
    }

    private static ExtractedText ReadZip(string path, byte[] bytes, ReaderLimits limits)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentInputException(DocumentInputErrorKind.Malformed, path, "malformed zip archive (" + FirstLine(ex.Message) + ")", ex);
        }
        using (zip)
        {
            var (format, what) = FormatDetector.ClassifyZip(zip);
            if (format != DetectedFormat.Docx) throw Unsupported(path, what);
            ZipGuard.Check(zip, path, limits);
            ZipGuard.CheckXmlDepth(zip, path, limits);
        }
        return DocxReader.Read(bytes, path, limits);
    }

    internal static DocumentInputException Unsupported(string path, string what) =>
        new(DocumentInputErrorKind.Unsupported, path, "unsupported format: " + what);

    internal static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('.', '\r', ' ');
}
