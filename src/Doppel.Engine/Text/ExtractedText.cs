namespace Doppel.Engine.Text;

/// <summary>What a region of extracted text was in the original document; used by the exclusion stage.</summary>
public enum TextRegionKind
{
    /// <summary>A heading (HTML h1–h6, a Word heading or title style).</summary>
    Heading,
    /// <summary>A block quotation (HTML blockquote, a Word Quote style or an indented paragraph).</summary>
    BlockQuote,
    /// <summary>A footnote or endnote, appended after the body.</summary>
    Footnote,
}

/// <summary>A span of the extracted text with the structural role it had in the original document.</summary>
public readonly record struct TextRegion(int Start, int Length, TextRegionKind Kind)
{
    public int End => Start + Length;
}

/// <summary>
/// The text of a document as a reader extracted it. For plain text and Markdown it is the decoded file, so offsets
/// are positions in the file's text; for HTML, DOCX and PDF it is the text the reader extracted (the offsets of every
/// report refer to this text, which <c>doppel extract</c> prints).
/// </summary>
/// <param name="Text">The extracted text.</param>
/// <param name="Format">One of the <see cref="DocumentFormats"/> names.</param>
/// <param name="Regions">Structural regions the reader knows of (headings, block quotes, footnotes); may be empty.</param>
public sealed record ExtractedText(string Text, string Format, IReadOnlyList<TextRegion> Regions)
{
    public ExtractedText(string text, string format) : this(text, format, []) { }

    /// <summary>Something the user should know about how the text was read, in a few words (the text is usable):
    /// <see cref="TextDecoder.FallbackWarning"/> when it was not valid UTF-8.</summary>
    public string? Warning { get; init; }
}

/// <summary>Names of the document formats, as they appear in reports.</summary>
public static class DocumentFormats
{
    public const string Text = "text";
    public const string Html = "html";
    public const string Docx = "docx";
    public const string Pdf = "pdf";
}

/// <summary>
/// Turns a file into text. The engine's default reads plain text (<see cref="PlainTextReader"/>); the Doppel.Readers
/// library adds HTML, DOCX and PDF. Implementations are thread-safe and report every problem as a
/// <see cref="DocumentInputException"/> naming the path.
/// </summary>
public interface IDocumentReader
{
    ExtractedText Read(string path, long maxBytes);

    /// <summary>Reads a document held in memory (an upload), named <paramref name="name"/> in errors; the same
    /// checks as for a file, the size limit included.</summary>
    ExtractedText Read(byte[] content, string name, long maxBytes);
}

/// <summary>Reads a file as text with <see cref="TextDecoder"/>: offsets are positions in the decoded file.</summary>
public sealed class PlainTextReader : IDocumentReader
{
    public static readonly PlainTextReader Instance = new();

    public ExtractedText Read(string path, long maxBytes) => Of(TextDecoder.ReadFile(path, maxBytes));

    public ExtractedText Read(byte[] content, string name, long maxBytes) =>
        Of(TextDecoder.DecodeDocument(TextDecoder.CheckBytes(content, name, maxBytes), name));

    private static ExtractedText Of(DecodedText d) => new(d.Text, DocumentFormats.Text) { Warning = TextDecoder.WarningFor(d) };
}
