using Doppel.Engine.Text;
using Doppel.Readers;

namespace Doppel.Cli;

/// <summary>
/// Loads documents for the commands through the engine's <see cref="DocumentLoader"/>, whose decoder makes every
/// check (existence, directory, size before reading, emptiness, binary content). The CLI only adds the hint on how
/// to raise the size limit. Every failure is a <see cref="DocumentInputException"/> whose message is one line,
/// "<c>PATH: reason</c>". Files are read by Doppel.Readers' <see cref="DocumentReader"/> (text, Markdown, HTML, DOCX,
/// PDF, chosen by content), so every command that loads through here reads every format. Thread-safe.
/// </summary>
internal sealed class Inputs(long maxBytes)
{
    private readonly DocumentLoader _loader = new(maxBytes, new DocumentReader());

    public long MaxBytes => maxBytes;

    public DocumentLoader.LoadResult Load(string path, string? name = null)
    {
        var r = _loader.Load(path, name);
        // Only the file-size refusal can be lifted with --max-file-size; archive and extraction bounds cannot.
        if (r.Error is { Kind: DocumentInputErrorKind.TooLarge } e && e.Detail.StartsWith("file too large", StringComparison.Ordinal))
            return new(null, new DocumentInputException($"{e.Message} (see --max-file-size)", e.Kind));
        return r;
    }

    public AnalyzedDocument LoadOrThrow(string path, string? name = null)
    {
        var r = Load(path, name);
        return r.Document ?? throw r.Error!;
    }

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
