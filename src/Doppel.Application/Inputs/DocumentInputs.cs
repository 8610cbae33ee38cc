using Doppel.Engine.Text;
using Doppel.Readers;

namespace Doppel.Application;

/// <summary>
/// Loads documents through the engine's <see cref="DocumentLoader"/>, whose decoder makes every check (existence,
/// directory, size before reading, emptiness, binary content), with Doppel.Readers' <see cref="DocumentReader"/>
/// (text, Markdown, HTML, DOCX, PDF, chosen by content), so every flow reads every format. A file is read and
/// analysed once however often it is asked for; one instance serves one operation (its cache holds every document
/// it loaded). Every failure is a <see cref="DocumentInputException"/> whose message is one line,
/// "<c>PATH: reason</c>". Thread-safe.
/// </summary>
public sealed class DocumentInputs(InputLimits limits)
{
    private readonly DocumentLoader _loader = new(limits.MaxBytes, new DocumentReader());

    public DocumentInputs(long maxBytes) : this(new InputLimits(maxBytes)) { }

    public InputLimits Limits => limits;

    public long MaxBytes => limits.MaxBytes;

    public DocumentLoader.LoadResult Load(DocumentSource source)
    {
        var r = source.LoadWith(_loader);
        // Only the size limit can be lifted (limits.SizeHint says how): it bounds the file and its text alike;
        // archive bounds cannot.
        if (limits.SizeHint != null && r.Error is { Kind: DocumentInputErrorKind.TooLarge } e && LiftedBySize(e.Detail))
            return new(null, new DocumentInputException($"{e.Message} ({limits.SizeHint})", e.Kind));
        return r;
    }

    private static bool LiftedBySize(string detail) =>
        detail.StartsWith("file too large", StringComparison.Ordinal) || detail.StartsWith("extracted text too large", StringComparison.Ordinal)
        || detail.StartsWith("refused: PDF text larger", StringComparison.Ordinal);

    public DocumentLoader.LoadResult Load(string path, string? name = null) => Load(DocumentSource.FromFile(path, name));

    public AnalyzedDocument LoadOrThrow(DocumentSource source)
    {
        var r = Load(source);
        return r.Document ?? throw r.Error!;
    }

    public AnalyzedDocument LoadOrThrow(string path, string? name = null) => LoadOrThrow(DocumentSource.FromFile(path, name));

    /// <summary>File extensions a directory search picks up (any case); other files are taken when their content is
    /// a document (<see cref="IsDocument"/>).</summary>
    public static readonly string[] DocumentExtensions = [".txt", ".md", ".text", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".pdf"];

    /// <summary>For files without a known extension: a PDF, Word document or web page by its content, or text that
    /// does not look binary (README, LICENSE).</summary>
    public static bool IsDocument(ReadOnlySpan<byte> head, string? extension) =>
        DocumentReader.Sniff(head, extension) is { } format && (format != DocumentFormats.Text || !LooksBinary(head));

    /// <summary>True when the head of a file is not text by the decoder's own rules (one rule for the whole tool).</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        try
        {
            TextDecoder.Decode(head);
            return false;
        }
        catch (DocumentInputException e)
        {
            return e.Kind == DocumentInputErrorKind.Binary;
        }
    }
}
