using Xunit;
using System.Diagnostics;
using Doppel.Application;
using Doppel.Cli;
using Doppel.Engine.Text;

namespace Doppel.Tests.Cli;

public class BadInputTests : CliHarness
{
    public static TheoryData<string> Cases => ["missing", "directory", "binary", "empty", "too-large"];

    private string Make(string kind) => kind switch
    {
        "missing" => Path.Combine(Temp, "missing.txt"),
        "directory" => Directory.CreateDirectory(Path.Combine(Temp, "dir.txt")).FullName,
        "binary" => TempFile("binary.txt", BinaryBytes()),
        "empty" => TempFile("empty.txt", []),
        // 2 MB of text against a 1 MB limit.
        "too-large" => TempFile("large.txt", System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("All work and no play. ", 100_000)))),
        _ => throw new ArgumentException(kind),
    };

    [Theory, MemberData(nameof(Cases))]
    public void Compare_refuses_a_bad_suspicious_document(string kind)
    {
        string bad = Make(kind);
        var r = Run("compare", bad, Example("essay.txt"), "--max-file-size", "1");
        Assert.Equal(InputError, r.Code);
        AssertOneLineError(r);
        Assert.StartsWith($"doppel: {bad}: ", r.Err);
        Assert.Equal("", r.Out);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Compare_refuses_a_bad_source_document(string kind)
    {
        string bad = Make(kind);
        var r = Run("--max-file-size", "1", "compare", Example("essay.txt"), bad, "-f", "json");
        Assert.Equal(InputError, r.Code);
        AssertOneLineError(r);
        Assert.Contains(bad, r.Err);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Check_refuses_a_bad_document(string kind)
    {
        var r = Run("check", Make(kind), "--against", Examples, "--max-file-size", "1");
        Assert.Equal(InputError, r.Code);
        AssertOneLineError(r);
    }

    [Theory]
    [InlineData("missing", DocumentInputErrorKind.NotFound)]
    [InlineData("directory", DocumentInputErrorKind.IsDirectory)]
    [InlineData("binary", DocumentInputErrorKind.Binary)]
    [InlineData("empty", DocumentInputErrorKind.Empty)]
    [InlineData("too-large", DocumentInputErrorKind.TooLarge)]
    public void Each_case_has_its_error_kind(string kind, DocumentInputErrorKind expected)
    {
        var e = Assert.Throws<DocumentInputException>(() => new DocumentInputs(1024 * 1024).LoadOrThrow(Make(kind)));
        Assert.Equal(expected, e.Kind);
    }

    [Fact]
    public void A_100_MB_file_is_refused_as_too_large_without_reading_it()
    {
        string path = Path.Combine(Temp, "huge.txt");
        using (var fs = new FileStream(path, FileMode.CreateNew))
            fs.SetLength(100L * 1024 * 1024); // sparse on most file systems: instant
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<DocumentInputException>(() => new DocumentInputs(TextDecoder.DefaultMaxBytes).LoadOrThrow(path));
        Assert.Equal(DocumentInputErrorKind.TooLarge, e.Kind);
        var r = Run("compare", path, Example("essay.txt"));
        sw.Stop();
        Assert.Equal(InputError, r.Code);
        AssertOneLineError(r);
        Assert.Contains("too large", r.Err);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Utf16_text_without_a_bom_is_not_taken_for_binary()
    {
        var bytes = System.Text.Encoding.Unicode.GetBytes("Plain English text stored as UTF-16 little endian, without a byte order mark.");
        Assert.False(DocumentInputs.LooksBinary(bytes));
        Assert.True(DocumentInputs.LooksBinary(BinaryBytes()));
    }
}
