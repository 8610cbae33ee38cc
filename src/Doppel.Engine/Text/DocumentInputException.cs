namespace Doppel.Engine.Text;

/// <summary>Why an input document could not be turned into text. The CLI maps these to exit codes.</summary>
public enum DocumentInputErrorKind
{
    NotFound,
    IsDirectory,
    Unreadable,
    Empty,
    Binary,
    TooLarge,
    Malformed,
    /// <summary>A format Doppel does not read (legacy .doc, OpenDocument, spreadsheets, other archives).</summary>
    Unsupported,
    /// <summary>The external program a reader needs is not installed (pdftotext for PDF).</summary>
    ToolMissing,
}

/// <summary>
/// An input document could not be read as text. <see cref="Exception.Message"/> is always a single line of the
/// form "<c>path: detail</c>" (e.g. "essay.docx: not a text file (binary content)") so it can be printed as is.
/// </summary>
public sealed class DocumentInputException : Exception
{
    public DocumentInputException(DocumentInputErrorKind kind, string? path, string detail, Exception? innerException = null)
        : base(BuildMessage(path, detail), innerException)
    {
        Kind = kind;
        Path = path;
        Detail = detail;
    }

    /// <summary>For callers that build the whole one-line message themselves ("path: detail").</summary>
    public DocumentInputException(string message, DocumentInputErrorKind kind)
        : base(OneLine(message))
    {
        Kind = kind;
        Detail = message;
    }

    public DocumentInputErrorKind Kind { get; }

    /// <summary>The path as the caller gave it, or null when decoding bytes that did not come from a file.</summary>
    public string? Path { get; }

    /// <summary>The message without the path prefix.</summary>
    public string Detail { get; }

    /// <summary>Returns a copy that names <paramref name="path"/> (used when bytes were decoded before the path was known).</summary>
    internal DocumentInputException WithPath(string path) => new(Kind, path, Detail, InnerException);

    private static string BuildMessage(string? path, string detail)
    {
        string d = OneLine(detail);
        return string.IsNullOrEmpty(path) ? d : OneLine(path) + ": " + d;
    }

    // Paths (and OS messages) may legally contain line breaks or other controls; the CLI promises one-line messages.
    private static string OneLine(string s)
    {
        if (!s.AsSpan().ContainsAnyInRange('\0', '\u001F')) return s;
        return string.Create(s.Length, s, static (dst, src) =>
        {
            for (int i = 0; i < src.Length; i++)
                dst[i] = src[i] < ' ' ? '?' : src[i];
        });
    }
}
