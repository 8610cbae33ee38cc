namespace Doppel.Readers;

/// <summary>
/// Bounds that keep hostile files (zip bombs, huge XML parts, PDFs that never finish) from exhausting the machine.
/// Every limit fails with a one-line <see cref="Doppel.Engine.Text.DocumentInputException"/>; see docs/readers.md.
/// </summary>
public sealed record ReaderLimits
{
    public static readonly ReaderLimits Default = new();

    /// <summary>Entries in a DOCX (zip) archive. Real documents have a few dozen.</summary>
    public int MaxZipEntries { get; init; } = 2_000;
    /// <summary>Uncompressed size of one archive entry, as declared and as actually read.</summary>
    public long MaxPartBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Uncompressed size of all entries together, as declared.</summary>
    public long MaxTotalUncompressedBytes { get; init; } = 512L * 1024 * 1024;
    /// <summary>Uncompressed / compressed size of an entry larger than 1 MiB; text XML compresses about 5-20 times,
    /// zip bombs thousands of times.</summary>
    public double MaxCompressionRatio { get; init; } = 200;
    /// <summary>Characters of one XML part the DOCX parser will read (OpenSettings.MaxCharactersInPart). Unset, it
    /// follows the text limit (<see cref="XmlCharBound"/>).</summary>
    public long? MaxXmlChars { get; init; }
    /// <summary>Characters of extracted text from any format: as many as the file size limit allows bytes (see
    /// <see cref="For"/>), so that one limit, the file size, bounds the text too and lifting it lifts both. This
    /// bound of its own only lowers that.</summary>
    public int MaxExtractedChars { get; init; } = int.MaxValue;

    /// <summary>The limits a file of at most <paramref name="maxBytes"/> bytes is read with: its text may have as many
    /// characters as it may have bytes (a text file never has more).</summary>
    public ReaderLimits For(long maxBytes) => this with { MaxExtractedChars = (int)Math.Clamp(maxBytes, 1, MaxExtractedChars) };

    /// <summary>The bound on one XML part: <see cref="MaxXmlChars"/> when set, otherwise room for markup around as
    /// much text as may be extracted (four characters per character of text, and at least 32 Mi).</summary>
    public long XmlCharBound => MaxXmlChars ?? Math.Max(32L * 1024 * 1024, 4L * MaxExtractedChars);
    /// <summary>How long pdftotext may run on one file.</summary>
    public TimeSpan PdfTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The pdftotext program (poppler-utils); a bare name is looked up on PATH.</summary>
    public string PdfToTextPath { get; init; } = "pdftotext";
}
