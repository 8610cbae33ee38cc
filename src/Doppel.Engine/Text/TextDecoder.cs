using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Doppel.Engine.Text;

/// <summary>Decoded document text plus the name of the encoding that was detected.</summary>
/// <param name="Text">The text exactly as stored (no BOM, no newline translation): offsets are positions in this string.</param>
/// <param name="EncodingName">One of the <c>TextDecoder.*Name</c> constants.</param>
public readonly record struct DecodedText(string Text, string EncodingName);

/// <summary>
/// Turns document bytes into text: BOM-marked UTF-8/16/32, BOM-less UTF-8 (and UTF-16/32 of mostly Latin text),
/// otherwise Windows-1252. Newlines are never translated, so character offsets refer to the file as it is.
/// </summary>
public static class TextDecoder
{
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    public const string Utf8Name = "utf-8";
    public const string Utf8BomName = "utf-8-bom";
    public const string Utf16LEName = "utf-16le";
    public const string Utf16BEName = "utf-16be";
    public const string Utf32LEName = "utf-32le";
    public const string Utf32BEName = "utf-32be";
    public const string Windows1252Name = "windows-1252";

    /// <summary>What a reader tells the user when bytes that are not UTF-8 were read as Windows-1252: the text is
    /// usable, but if it was in another encoding some letters are wrong.</summary>
    public const string FallbackWarning = "not valid UTF-8: read as Windows-1252";

    /// <summary><see cref="FallbackWarning"/> for text decoded by the fallback, else null.</summary>
    public static string? WarningFor(DecodedText decoded) => decoded.EncodingName == Windows1252Name ? FallbackWarning : null;

    /// <summary>Only this many leading bytes (or chars) are inspected for control characters.</summary>
    private const int SampleSize = 8 * 1024;

    private const string BinaryDetail = "not a text file (binary content)";

    // Strict decoders: a file that announces its encoding with a BOM but breaks it is reported as Malformed
    // rather than silently patched with U+FFFD.
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
    private static readonly Encoding StrictUtf16LE = new UnicodeEncoding(false, false, true);
    private static readonly Encoding StrictUtf16BE = new UnicodeEncoding(true, false, true);
    private static readonly Encoding StrictUtf32LE = new UTF32Encoding(false, false, true);
    private static readonly Encoding StrictUtf32BE = new UTF32Encoding(true, false, true);

    /// <summary>Decodes <paramref name="bytes"/>; throws <see cref="DocumentInputException"/> (Binary or Malformed).</summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, null);

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte})"/>, naming <paramref name="sourceName"/> in error messages.</summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? sourceName)
    {
        // UTF-32 LE must be tested before UTF-16 LE: its BOM FF FE 00 00 starts with the UTF-16 LE BOM.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return DecodeStrict(bytes[3..], StrictUtf8, Utf8BomName, sourceName, checkNul: true);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
            return DecodeStrict(bytes[4..], StrictUtf32LE, Utf32LEName, sourceName, checkNul: false);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            return DecodeStrict(bytes[4..], StrictUtf32BE, Utf32BEName, sourceName, checkNul: false);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return DecodeStrict(bytes[2..], StrictUtf16LE, Utf16LEName, sourceName, checkNul: false);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return DecodeStrict(bytes[2..], StrictUtf16BE, Utf16BEName, sourceName, checkNul: false);

        if (bytes.Contains((byte)0))
        {
            // NUL never occurs in 8-bit text, but is every other byte of BOM-less UTF-16 (every 3 of 4 in UTF-32)
            // when the text is mostly Latin. Anything else with NULs is binary.
            if (TryDecodeBomless(bytes, out DecodedText guessed))
                return guessed;
            // Real text files do carry the odd stray NUL (PAN 2013 has several); binary files are full of them.
            if (CountNuls(bytes) * 100 > bytes.Length)
                throw Binary(sourceName);
        }

        // Valid UTF-8 is text even with a fair amount of control garbage (scraped pages carry some); bytes that are
        // not UTF-8 and are full of controls are compressed or machine data.
        int sample = Math.Min(bytes.Length, SampleSize);
        int controls = CountControlBytes(bytes[..sample]);
        bool utf8 = Utf8.IsValid(bytes);
        if (controls * (utf8 ? 4 : 20) > sample)
            throw Binary(sourceName);

        if (utf8)
            return new DecodedText(Encoding.UTF8.GetString(bytes), Utf8Name);

        // Not valid UTF-8: almost always a legacy Windows "ANSI" file. Windows-1252 is a superset of the printable
        // part of Latin-1 and decodes every byte, so this never fails.
        return new DecodedText(DecodeWindows1252(bytes), Windows1252Name);
    }

    /// <summary>
    /// Reads and decodes a file. Every failure is a <see cref="DocumentInputException"/> whose one-line message names
    /// <paramref name="path"/>: NotFound, IsDirectory, Unreadable, TooLarge, Empty (0 bytes or only whitespace),
    /// Binary, Malformed.
    /// </summary>
    public static DecodedText ReadFile(string path, long maxBytes = DefaultMaxBytes) => DecodeDocument(ReadBytes(path, maxBytes), path);

    /// <summary>Decodes the bytes of a whole document named <paramref name="name"/> (a path, or the name of an
    /// upload): Binary, Malformed, and Empty when it holds only whitespace, each naming it.</summary>
    public static DecodedText DecodeDocument(ReadOnlySpan<byte> bytes, string name)
    {
        DecodedText decoded;
        try
        {
            decoded = Decode(bytes, name);
        }
        catch (DocumentInputException ex) when (ex.Path is null)
        {
            throw ex.WithPath(name);
        }

        if (decoded.Text.AsSpan().IsWhiteSpace())
            throw new DocumentInputException(DocumentInputErrorKind.Empty, name, "file contains only whitespace");
        return decoded;
    }

    /// <summary>The checks of <see cref="ReadBytes"/> for content that did not come from a file (an upload):
    /// TooLarge and Empty, naming <paramref name="name"/>.</summary>
    public static byte[] CheckBytes(byte[] bytes, string name, long maxBytes = DefaultMaxBytes)
    {
        if (bytes.Length > maxBytes)
            throw TooLarge(name, bytes.Length, maxBytes);
        if (bytes.Length == 0)
            throw new DocumentInputException(DocumentInputErrorKind.Empty, name, "file is empty");
        return bytes;
    }

    /// <summary>
    /// Reads a file's bytes with the checks every reader needs, each failure a <see cref="DocumentInputException"/>
    /// naming <paramref name="path"/>: NotFound, IsDirectory, Unreadable, TooLarge (checked from the size before
    /// reading), Empty (0 bytes). Readers of other formats (Doppel.Readers) start here too.
    /// </summary>
    public static byte[] ReadBytes(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (path.Length == 0)
            throw new DocumentInputException(DocumentInputErrorKind.NotFound, "(empty path)", "file not found");
        if (Directory.Exists(path))
            throw new DocumentInputException(DocumentInputErrorKind.IsDirectory, path, "is a directory, not a file");
        // Only regular files are read: opening a named pipe waits for a writer, maybe forever; a device never ends.
        if (FileProbe.SpecialKind(path) is { } special)
            throw new DocumentInputException(DocumentInputErrorKind.Unreadable, path, $"not a regular file ({special})");

        byte[] bytes = ReadAllBytes(path, maxBytes);
        if (bytes.Length == 0)
            throw new DocumentInputException(DocumentInputErrorKind.Empty, path, "file is empty");
        return bytes;
    }

    private static byte[] ReadAllBytes(string path, long maxBytes)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            long length = RandomAccess.GetLength(handle);
            if (length > maxBytes)
                throw TooLarge(path, length, maxBytes);
            if (length > Array.MaxLength)
                throw TooLarge(path, length, Array.MaxLength);

            // Length 0 may be a real empty file or a pseudo-file (/proc) whose size is unknown: read to EOF.
            if (length == 0)
                return ReadUnknownLength(handle, path, maxBytes);

            var buffer = new byte[length];
            int filled = 0;
            while (filled < buffer.Length)
            {
                int n = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
                if (n == 0) break; // truncated while we read: use what is there
                filled += n;
            }
            return filled == buffer.Length ? buffer : buffer[..filled];
        }
        catch (FileNotFoundException ex)
        {
            throw new DocumentInputException(DocumentInputErrorKind.NotFound, path, "file not found", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new DocumentInputException(DocumentInputErrorKind.NotFound, path, "file not found", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DocumentInputException(DocumentInputErrorKind.Unreadable, path, "permission denied", ex);
        }
        catch (IOException ex)
        {
            throw new DocumentInputException(DocumentInputErrorKind.Unreadable, path, "cannot read file (" + FirstLine(ex.Message) + ")", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // Invalid characters in the path and the like: from the user's point of view there is no such file.
            throw new DocumentInputException(DocumentInputErrorKind.NotFound, path, "file not found (invalid path)", ex);
        }
    }

    private static byte[] ReadUnknownLength(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path, long maxBytes)
    {
        using var ms = new MemoryStream();
        using var stream = new FileStream(handle, FileAccess.Read, 1);
        var chunk = new byte[64 * 1024];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            ms.Write(chunk, 0, n);
            if (ms.Length > maxBytes)
                throw TooLarge(path, ms.Length, maxBytes, atLeast: true);
        }
        return ms.ToArray();
    }

    private static int CountNuls(ReadOnlySpan<byte> bytes)
    {
        int n = 0;
        foreach (byte b in bytes) if (b == 0) n++;
        return n;
    }

    private static DecodedText DecodeStrict(ReadOnlySpan<byte> body, Encoding encoding, string name, string? sourceName, bool checkNul)
    {
        if (checkNul && body.Contains((byte)0))
            throw Binary(sourceName);
        string text;
        try
        {
            text = encoding.GetString(body);
        }
        catch (DecoderFallbackException ex)
        {
            string where = ex.Index >= 0 ? " near byte " + ex.Index.ToString(CultureInfo.InvariantCulture) : "";
            throw new DocumentInputException(DocumentInputErrorKind.Malformed, sourceName, $"malformed {name} text (invalid byte sequence{where})", ex);
        }
        // For UTF-8 this counts bytes and chars alike; for UTF-16/32 the NUL char counts as a control here.
        if (CountControlChars(text.AsSpan(0, Math.Min(text.Length, SampleSize))) * 20 > Math.Min(text.Length, SampleSize))
            throw Binary(sourceName);
        return new DecodedText(text, name);
    }

    /// <summary>BOM-less UTF-16/UTF-32, recognised only by the NUL pattern of mostly-Latin text.</summary>
    private static bool TryDecodeBomless(ReadOnlySpan<byte> bytes, out DecodedText result)
    {
        result = default;
        ReadOnlySpan<byte> sample = bytes[..Math.Min(bytes.Length, SampleSize)];
        Encoding? encoding = null;
        string? name = null;

        if (bytes.Length % 4 == 0 && LooksLikeUtf32(sample, bigEndian: false)) { encoding = StrictUtf32LE; name = Utf32LEName; }
        else if (bytes.Length % 4 == 0 && LooksLikeUtf32(sample, bigEndian: true)) { encoding = StrictUtf32BE; name = Utf32BEName; }
        else if (bytes.Length % 2 == 0)
        {
            int pairs = sample.Length / 2, zeroEven = 0, zeroOdd = 0;
            for (int i = 0; i + 1 < sample.Length; i += 2)
            {
                if (sample[i] == 0) zeroEven++;
                if (sample[i + 1] == 0) zeroOdd++;
            }
            // LE Latin text: high bytes (odd positions) are often 0, low bytes rarely (U+xx00 chars only); BE is the
            // mirror image. Requiring that strong asymmetry rules out nearly all real binary formats, which have
            // zeros everywhere; strict decoding and the control-char check below catch the rest.
            if (zeroOdd * 10 >= pairs && zeroEven * 8 <= zeroOdd) { encoding = StrictUtf16LE; name = Utf16LEName; }
            else if (zeroEven * 10 >= pairs && zeroOdd * 8 <= zeroEven) { encoding = StrictUtf16BE; name = Utf16BEName; }
        }
        if (encoding is null) return false;

        string text;
        try { text = encoding.GetString(bytes); }
        catch (DecoderFallbackException) { return false; } // only a guess, so invalid data means "binary"
        if (CountControlChars(text.AsSpan(0, Math.Min(text.Length, SampleSize))) * 20 > Math.Min(text.Length, SampleSize))
            return false;
        result = new DecodedText(text, name!);
        return true;
    }

    private static bool LooksLikeUtf32(ReadOnlySpan<byte> sample, bool bigEndian)
    {
        if (sample.Length < 4) return false;
        bool anyLow = false;
        for (int i = 0; i + 3 < sample.Length; i += 4)
        {
            // A scalar value is at most 0x10FFFF: top byte 0, next byte <= 0x10.
            byte top = bigEndian ? sample[i] : sample[i + 3];
            byte high = bigEndian ? sample[i + 1] : sample[i + 2];
            byte low = bigEndian ? sample[i + 3] : sample[i];
            if (top != 0 || high > 0x10) return false;
            if (low != 0) anyLow = true;
        }
        return anyLow;
    }

    /// <summary>Control bytes other than tab, LF, CR and form feed (DEL included).</summary>
    private static int CountControlBytes(ReadOnlySpan<byte> sample)
    {
        int count = 0;
        foreach (byte b in sample)
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f')) || b == 0x7F)
                count++;
        return count;
    }

    private static int CountControlChars(ReadOnlySpan<char> sample)
    {
        int count = 0;
        foreach (char c in sample)
            if ((c < 0x20 && c is not ('\t' or '\n' or '\r' or '\f')) || c == '\u007F')
                count++;
        return count;
    }

    internal static string DecodeWindows1252(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes, static (dst, src) =>
        {
            // Latin-1 widening is vectorised; only 0x80..0x9F differ in Windows-1252 and are patched afterwards.
            Encoding.Latin1.GetChars(src, dst);
            int i = 0;
            while (i < src.Length)
            {
                int rel = src[i..].IndexOfAnyInRange((byte)0x80, (byte)0x9F);
                if (rel < 0) break;
                i += rel;
                dst[i] = Windows1252.High[src[i] - 0x80];
                i++;
            }
        });
    }

    private static DocumentInputException Binary(string? sourceName) =>
        new(DocumentInputErrorKind.Binary, sourceName, BinaryDetail);

    private static DocumentInputException TooLarge(string path, long size, long limit, bool atLeast = false)
    {
        string s = FormatSize(size), l = FormatSize(limit);
        if (s == l)
        {
            // Rounded sizes would read "64 MB; limit is 64 MB": show exact byte counts instead.
            s = size.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
            l = limit.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        }
        return new DocumentInputException(DocumentInputErrorKind.TooLarge, path,
            $"file too large ({(atLeast ? "over " : "")}{s}; limit is {l})");
    }

    internal static string FormatSize(long bytes)
    {
        const double KB = 1024, MB = KB * 1024, GB = MB * 1024;
        var inv = CultureInfo.InvariantCulture;
        if (bytes < 1024) return bytes.ToString(inv) + (bytes == 1 ? " byte" : " bytes");
        if (bytes < MB) return (bytes / KB).ToString("0.#", inv) + " KB";
        if (bytes < GB) return (bytes / MB).ToString("0.#", inv) + " MB";
        return (bytes / GB).ToString("0.##", inv) + " GB";
    }

    private static string FirstLine(string s)
    {
        int nl = s.AsSpan().IndexOfAny('\r', '\n');
        return (nl < 0 ? s : s[..nl]).TrimEnd('.');
    }
}

/// <summary>The Windows-1252 mapping of bytes 0x80..0x9F, shared by the decoder and the mojibake repairer.</summary>
internal static class Windows1252
{
    // The five bytes Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) map to the same-valued C1 control,
    // as Windows' MultiByteToWideChar does; that keeps the decoding lossless.
    internal static ReadOnlySpan<char> High =>
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    /// <summary>
    /// The byte that <paramref name="c"/> came from when bytes were decoded as Windows-1252 or Latin-1,
    /// or -1 when no single byte maps to it. U+0080..U+009F map to themselves (the Latin-1 reading).
    /// </summary>
    internal static int ToByte(char c)
    {
        if (c <= '\u00FF') return c;
        return c switch
        {
            '\u20AC' => 0x80, '\u201A' => 0x82, '\u0192' => 0x83, '\u201E' => 0x84,
            '\u2026' => 0x85, '\u2020' => 0x86, '\u2021' => 0x87, '\u02C6' => 0x88,
            '\u2030' => 0x89, '\u0160' => 0x8A, '\u2039' => 0x8B, '\u0152' => 0x8C,
            '\u017D' => 0x8E, '\u2018' => 0x91, '\u2019' => 0x92, '\u201C' => 0x93,
            '\u201D' => 0x94, '\u2022' => 0x95, '\u2013' => 0x96, '\u2014' => 0x97,
            '\u02DC' => 0x98, '\u2122' => 0x99, '\u0161' => 0x9A, '\u203A' => 0x9B,
            '\u0153' => 0x9C, '\u017E' => 0x9E, '\u0178' => 0x9F,
            _ => -1,
        };
    }
}
