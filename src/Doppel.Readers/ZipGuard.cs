using System.IO.Compression;
using Doppel.Engine.Text;

namespace Doppel.Readers;

/// <summary>Refuses zip archives that would take too much to unpack, from the central directory alone (before any
/// entry is inflated). An XML part whose declared size lies is still stopped while parsing, by the XML parser's
/// character limit (<see cref="ReaderLimits.MaxXmlChars"/>).</summary>
internal static class ZipGuard
{
    public static void Check(ZipArchive zip, string path, ReaderLimits limits)
    {
        if (zip.Entries.Count > limits.MaxZipEntries)
            throw Bomb(path, $"{zip.Entries.Count:N0} entries; limit is {limits.MaxZipEntries:N0}");
        long total = 0;
        foreach (var e in zip.Entries)
        {
            if (e.Length > limits.MaxPartBytes)
                throw Bomb(path, $"entry {e.FullName} unpacks to {e.Length:N0} bytes; limit is {limits.MaxPartBytes:N0}");
            if (e.Length > 1024 * 1024 && e.Length > limits.MaxCompressionRatio * Math.Max(1, e.CompressedLength))
                throw Bomb(path, $"entry {e.FullName} is compressed {e.Length / Math.Max(1, e.CompressedLength):N0} to 1");
            total += e.Length;
            if (total > limits.MaxTotalUncompressedBytes)
                throw Bomb(path, $"entries unpack to over {limits.MaxTotalUncompressedBytes:N0} bytes");
        }
    }

    private static DocumentInputException Bomb(string path, string detail) =>
        new(DocumentInputErrorKind.TooLarge, path, "refused: archive too large to unpack safely (" + detail + ")");
}
