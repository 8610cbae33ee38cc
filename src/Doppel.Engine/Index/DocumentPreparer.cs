using System.Security.Cryptography;
using System.Text;
using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;

namespace Doppel.Engine.Index;

/// <summary>Turns an analysed document into what the index stores: id, title, text, content hash and keys.</summary>
public static class DocumentPreparer
{
    private const int MaxTitleLength = 120;

    public static PreparedDocument Prepare(AnalyzedDocument doc, string id, string? title = null) =>
        new(id, title ?? TitleOf(doc.Text, id), doc.Text, ContentHash(doc.Text), IndexSignature.Keys(doc));

    /// <summary>SHA-256 of the decoded text (UTF-8), so the same text in another encoding is still the same content.</summary>
    public static byte[] ContentHash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>The first non-blank line when it is short enough to be a heading; otherwise the id's file name.</summary>
    public static string TitleOf(string text, string id)
    {
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty) continue;
            if (line.Length <= MaxTitleLength && line.ContainsAnyExcept(" \t.-_=*#"))
                return line.ToString();
            break;
        }
        return Path.GetFileNameWithoutExtension(id);
    }
}
