using System.IO.Compression;
using System.Xml;
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

    /// <summary>XML nesting deeper than this is refused: the OpenXml parser recurses per level and would overflow
    /// the stack (which ends the process). Word writes a few dozen levels; nested tables add four each.</summary>
    internal const int MaxXmlDepth = 512;

    /// <summary>Streams every XML part once (no DTDs, no tree) to check its depth before the OpenXml parser sees it.</summary>
    public static void CheckXmlDepth(ZipArchive zip, string path, ReaderLimits limits)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.XmlCharBound,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        foreach (var e in zip.Entries)
        {
            if (!e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && !e.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
                continue;
            try
            {
                using var stream = e.Open();
                using var reader = XmlReader.Create(stream, settings);
                while (reader.Read())
                    if (reader.Depth > MaxXmlDepth)
                        throw new DocumentInputException(DocumentInputErrorKind.TooLarge, path,
                            $"refused: XML part {e.FullName} is nested more than {MaxXmlDepth} levels deep");
            }
            catch (XmlException ex) when (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
            {
                throw new DocumentInputException(DocumentInputErrorKind.TooLarge, path,
                    $"refused: an XML part of the Word document is larger than {limits.XmlCharBound:N0} characters", ex);
            }
            catch (XmlException ex)
            {
                throw new DocumentInputException(DocumentInputErrorKind.Malformed, path,
                    $"malformed Word document ({e.FullName}: {DocumentReader.FirstLine(ex.Message)})", ex);
            }
            catch (InvalidDataException ex)
            {
                throw new DocumentInputException(DocumentInputErrorKind.Malformed, path,
                    $"malformed zip archive ({e.FullName}: {DocumentReader.FirstLine(ex.Message)})", ex);
            }
        }
    }

    private static DocumentInputException Bomb(string path, string detail) =>
        new(DocumentInputErrorKind.TooLarge, path, "refused: archive too large to unpack safely (" + detail + ")");
}
