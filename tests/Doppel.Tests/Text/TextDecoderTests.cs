using System.Text;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Text;

public sealed class TextDecoderTests : IDisposable
{
    // Sample with ASCII, Latin-1, a cp1252-only char and a non-BMP char, so every encoding is exercised fully.
    private const string Sample = "Kennedy’s café — naïve 😀 end";

    private readonly string _dir = Directory.CreateTempSubdirectory("doppel-decoder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];

    [Fact]
    public void Utf8WithoutBom()
    {
        var d = TextDecoder.Decode(Encoding.UTF8.GetBytes(Sample));
        Assert.Equal(Sample, d.Text);
        Assert.Equal(TextDecoder.Utf8Name, d.EncodingName);
    }

    [Fact]
    public void Utf8WithBom_BomIsNotPartOfText()
    {
        var d = TextDecoder.Decode(Concat([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes(Sample)));
        Assert.Equal(Sample, d.Text); // offsets must start at the first real character
        Assert.Equal(TextDecoder.Utf8BomName, d.EncodingName);
    }

    public static TheoryData<string, bool, string> UnicodeEncodings => new()
    {
        { "utf-16le", true, TextDecoder.Utf16LEName }, { "utf-16be", true, TextDecoder.Utf16BEName },
        { "utf-32le", true, TextDecoder.Utf32LEName }, { "utf-32be", true, TextDecoder.Utf32BEName },
        { "utf-16le", false, TextDecoder.Utf16LEName }, { "utf-16be", false, TextDecoder.Utf16BEName },
        { "utf-32le", false, TextDecoder.Utf32LEName }, { "utf-32be", false, TextDecoder.Utf32BEName },
    };

    [Theory]
    [MemberData(nameof(UnicodeEncodings))]
    public void Utf16And32_WithAndWithoutBom(string encodingName, bool withBom, string expectedName)
    {
        Encoding enc = encodingName switch
        {
            "utf-16le" => new UnicodeEncoding(false, true),
            "utf-16be" => new UnicodeEncoding(true, true),
            "utf-32le" => new UTF32Encoding(false, true),
            _ => new UTF32Encoding(true, true),
        };
        byte[] body = enc.GetBytes(Sample);
        byte[] bytes = withBom ? Concat(enc.GetPreamble(), body) : body;

        var d = TextDecoder.Decode(bytes);

        // Without a BOM the encoding is recognised from the NUL pattern of mostly-Latin text.
        Assert.Equal(Sample, d.Text);
        Assert.Equal(expectedName, d.EncodingName);
    }

    [Fact]
    public void InvalidUtf8_FallsBackToWindows1252()
    {
        // Typical "ANSI" file from Word: curly quotes and apostrophe as single bytes 0x93 0x94 0x92.
        byte[] bytes = [.. "He said "u8, 0x93, .. "hi"u8, 0x94, .. " and it"u8, 0x92, .. "s caf"u8, 0xE9];
        var d = TextDecoder.Decode(bytes);
        Assert.Equal("He said “hi” and it’s café", d.Text);
        Assert.Equal(TextDecoder.Windows1252Name, d.EncodingName);
    }

    [Fact]
    public void Windows1252_FullHighTable_MatchesPlatformCodePage()
    {
        // Cross-check the hand-written 0x80..0x9F table; the 5 undefined bytes become the same-valued C1 control.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Encoding cp1252 = Encoding.GetEncoding(1252);
        byte[] bytes = new byte[32 + 1];
        for (int b = 0; b < 32; b++) bytes[b] = (byte)(0x80 + b);
        bytes[32] = 0xFF; // 0x80 alone is invalid UTF-8 anyway; 0xFF makes sure
        string text = TextDecoder.Decode(bytes).Text;
        for (int b = 0; b < 32; b++)
        {
            char expected = (0x80 + b) is 0x81 or 0x8D or 0x8F or 0x90 or 0x9D
                ? (char)(0x80 + b)
                : cp1252.GetString([(byte)(0x80 + b)])[0];
            Assert.Equal(expected, text[b]);
        }
        Assert.Equal('ÿ', text[32]);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("windows-1252")]
    [InlineData("utf-16le")]
    public void CrLf_IsPreserved(string which)
    {
        // Offsets are in characters of the file as is, so newlines must never be normalised.
        const string text = "line one\r\nline two\r\n\r\nline three\n";
        byte[] bytes = which switch
        {
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "windows-1252" => [.. Encoding.ASCII.GetBytes(text), 0x92],
            _ => Concat([0xFF, 0xFE], Encoding.Unicode.GetBytes(text)),
        };
        string decoded = TextDecoder.Decode(bytes).Text;
        Assert.StartsWith(text, decoded);
        Assert.Equal(which == "windows-1252" ? text.Length + 1 : text.Length, decoded.Length);
    }

    [Fact]
    public void NulByte_IsBinary()
    {
        byte[] bytes = [.. "PK"u8, 0x03, 0x04, 0x00, 0x00, .. "word/document.xml"u8];
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.Decode(bytes));
        Assert.Equal(DocumentInputErrorKind.Binary, ex.Kind);
        Assert.Equal("not a text file (binary content)", ex.Message);
    }

    [Fact]
    public void ManyControlChars_IsBinary()
    {
        // No NULs, valid UTF-8, but 1 byte in 3 is a control char: over the 25% allowed in UTF-8 text.
        var bytes = new byte[1000];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = i % 3 == 0 ? (byte)0x01 : (byte)'a';
        Assert.Equal(DocumentInputErrorKind.Binary, Assert.Throws<DocumentInputException>(() => TextDecoder.Decode(bytes)).Kind);
    }

    [Fact]
    public void NotUtf8_WithControlChars_IsBinary()
    {
        // Invalid UTF-8 (0xFF) and 1 byte in 10 a control char: compressed or machine data (threshold 5%).
        var bytes = new byte[1000];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = i % 10 == 0 ? (byte)0x01 : i % 10 == 5 ? (byte)0xFF : (byte)'a';
        Assert.Equal(DocumentInputErrorKind.Binary, Assert.Throws<DocumentInputException>(() => TextDecoder.Decode(bytes)).Kind);
    }

    [Fact]
    public void Utf8_WithSomeControlGarbage_IsText()
    {
        // Scraped pages in PAN 2013 (e.g. source-document01077) are valid UTF-8 with ~12% control bytes and a few
        // stray NULs; they are text and must be compared, not refused.
        var bytes = new byte[2000];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = i % 8 == 0 ? (byte)0x01 : i == 999 ? (byte)0 : (byte)'a';
        Assert.Equal("utf-8", TextDecoder.Decode(bytes).EncodingName);
    }

    [Fact]
    public void FewControlChars_AreText()
    {
        // An escape sequence or two (e.g. colour codes in a log) must not make a file "binary".
        byte[] bytes = [.. "abcdefghijklmnopqrstuvwxyz "u8, 0x1B, .. "[0m and tabs\tand\fpages"u8];
        Assert.Equal(TextDecoder.Utf8Name, TextDecoder.Decode(bytes).EncodingName);
    }

    [Fact]
    public void Utf16WithBom_OddLength_IsMalformed()
    {
        byte[] bytes = [0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0, (byte)'!'];
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.Decode(bytes, "x.txt"));
        Assert.Equal(DocumentInputErrorKind.Malformed, ex.Kind);
        Assert.StartsWith("x.txt: malformed utf-16le text", ex.Message);
    }

    [Fact]
    public void ReadFile_Utf8File()
    {
        string path = WriteFile("essay.txt", Encoding.UTF8.GetBytes(Sample));
        Assert.Equal(Sample, TextDecoder.ReadFile(path, TextDecoder.DefaultMaxBytes).Text);
    }

    [Fact]
    public void ReadFile_Binary_MessageNamesPath()
    {
        string path = WriteFile("essay.docx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Binary, ex.Kind);
        Assert.Equal($"{path}: not a text file (binary content)", ex.Message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x20, 0x0D, 0x0A, 0x09, 0x0A })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    public void ReadFile_EmptyOrWhitespace_IsEmpty(byte[] content)
    {
        string path = WriteFile("empty.txt", content);
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Empty, ex.Kind);
        Assert.StartsWith(path + ": ", ex.Message);
    }

    [Fact]
    public void ReadFile_MissingPath_IsNotFound()
    {
        string path = Path.Combine(_dir, "no-such-file.txt");
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.NotFound, ex.Kind);
        Assert.Equal($"{path}: file not found", ex.Message);
    }

    [Fact]
    public void ReadFile_MissingDirectory_IsNotFound()
    {
        string path = Path.Combine(_dir, "no-such-dir", "a.txt");
        Assert.Equal(DocumentInputErrorKind.NotFound,
            Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(path, TextDecoder.DefaultMaxBytes)).Kind);
    }

    [Fact]
    public void ReadFile_Directory_IsDirectory()
    {
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(_dir, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.IsDirectory, ex.Kind);
        Assert.StartsWith(_dir + ": ", ex.Message);
    }

    [Fact]
    public void ReadFile_TooLarge_GivesSizeAndLimit()
    {
        string path = WriteFile("big.txt", Encoding.ASCII.GetBytes("hello world"));
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(path, 10));
        Assert.Equal(DocumentInputErrorKind.TooLarge, ex.Kind);
        Assert.Equal($"{path}: file too large (11 bytes; limit is 10 bytes)", ex.Message);
    }

    [Fact]
    public void ReadFile_ExactlyAtLimit_IsFine()
    {
        string path = WriteFile("limit.txt", Encoding.ASCII.GetBytes("0123456789"));
        Assert.Equal("0123456789", TextDecoder.ReadFile(path, 10).Text);
    }

    [Fact]
    public void ReadFile_LockedFile_IsUnreadable()
    {
        // Permission bits can't be used (tests may run as root), but .NET enforces FileShare.None with an
        // advisory lock on Unix and a sharing violation on Windows: either way the read fails with an IO error.
        string path = WriteFile("locked.txt", Encoding.ASCII.GetBytes("secret"));
        using var hold = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var ex = Assert.Throws<DocumentInputException>(() => TextDecoder.ReadFile(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Unreadable, ex.Kind);
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Messages_AreOneLine_EvenForOddPaths()
    {
        var ex = new DocumentInputException(DocumentInputErrorKind.NotFound, "bad\nname.txt", "file not found");
        Assert.Equal("bad?name.txt: file not found", ex.Message);
    }

    [Fact]
    public void FormatSize_IsHumanReadable()
    {
        var ex = Assert.Throws<DocumentInputException>(() =>
            TextDecoder.ReadFile(WriteFile("mb.txt", new byte[3 * 1024 * 1024 / 2]), 1024 * 1024));
        Assert.EndsWith("file too large (1.5 MB; limit is 1 MB)", ex.Message);
    }
}
