using System.Globalization;
using Doppel.Engine.Text;

namespace Doppel.Cli;

/// <summary>
/// Loads documents for the commands. Cheap checks run before decoding (existence, directory, size, emptiness, an
/// obviously binary head) so that a huge or binary file is refused without being read, whatever the decoder does;
/// the decoder still has the last word on everything else. Every failure is a <see cref="DocumentInputException"/>
/// whose message is one line, "<c>PATH: reason</c>". Thread-safe.
/// </summary>
internal sealed class Inputs(long maxBytes)
{
    private const int SniffBytes = 8192;
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
        try
        {
            var head = new byte[(int)Math.Min(SniffBytes, info.Length)];
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
                head = head[..fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
            if (LooksBinary(head)) return Error(path, "binary file, not text", DocumentInputErrorKind.Binary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(path, $"cannot read: {e.Message}", DocumentInputErrorKind.Unreadable);
        }
        return null;
    }

    /// <summary>True when the head of a file is clearly not text in any encoding the decoder may accept: NUL
    /// bytes that are not the zero halves of UTF-16 ASCII, or many control characters. Deliberately conservative.</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((byte[])[0xEF, 0xBB, 0xBF]) || head.StartsWith((byte[])[0xFF, 0xFE]) || head.StartsWith((byte[])[0xFE, 0xFF]))
            return false;
        int nulEven = 0, nulOdd = 0, control = 0;
        for (int i = 0; i < head.Length; i++)
        {
            byte b = head[i];
            if (b == 0) { if ((i & 1) == 0) nulEven++; else nulOdd++; }
            else if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x0B or 0x1B)) control++;
        }
        int half = Math.Max(1, head.Length / 2);
        if (nulEven + nulOdd > 0)
        {
            // UTF-16 without a BOM: mostly-ASCII text has a zero byte in every other position, on one side only.
            bool utf16 = (nulOdd >= half * 0.3 && nulEven <= half * 0.02) || (nulEven >= half * 0.3 && nulOdd <= half * 0.02);
            return !utf16;
        }
        return control > head.Length / 10;
    }

    private static DocumentInputException Error(string path, string reason, DocumentInputErrorKind kind) => new($"{path}: {reason}", kind);

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);
}
