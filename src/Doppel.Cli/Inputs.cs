using System.Globalization;
using Doppel.Engine.Text;

namespace Doppel.Cli;

/// <summary>
/// Loads documents for the commands. Cheap checks run before decoding (existence, directory, size, emptiness) so
/// that a huge file is refused without being read; whether the content is text is the decoder's decision. Every failure is a <see cref="DocumentInputException"/>
/// whose message is one line, "<c>PATH: reason</c>". Thread-safe.
/// </summary>
internal sealed class Inputs(long maxBytes)
{
    private readonly DocumentLoader _loader = new(maxBytes);

    public long MaxBytes => maxBytes;

    public DocumentLoader.LoadResult Load(string path, string? name = null)
    {
        var error = Check(path, maxBytes);
        if (error != null) return new(null, error);
        try
        {
            return _loader.Load(path, name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, new DocumentInputException($"{path}: cannot read: {e.Message}", DocumentInputErrorKind.Unreadable));
        }
    }

    public AnalyzedDocument LoadOrThrow(string path, string? name = null)
    {
        var r = Load(path, name);
        return r.Document ?? throw r.Error!;
    }

    /// <summary>Returns why <paramref name="path"/> cannot be used as a text document, or null if it may be.</summary>
    public static DocumentInputException? Check(string path, long maxBytes)
    {
        if (Directory.Exists(path)) return Error(path, "is a directory", DocumentInputErrorKind.IsDirectory);
        var info = new FileInfo(path);
        if (!info.Exists) return Error(path, "no such file", DocumentInputErrorKind.NotFound);
        if (info.Length > maxBytes)
            return Error(path, $"file too large ({Mb(info.Length)} MB; the limit is {Mb(maxBytes)} MB, see --max-file-size)", DocumentInputErrorKind.TooLarge);
        if (info.Length == 0) return Error(path, "empty file", DocumentInputErrorKind.Empty);
        return null;
    }

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

    private static DocumentInputException Error(string path, string reason, DocumentInputErrorKind kind) => new($"{path}: {reason}", kind);

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);
}
