using System.IO.Compression;
using Doppel.Application.Storage;
using Doppel.Engine.Text;
using Doppel.Readers;
using Microsoft.AspNetCore.Http;

namespace Doppel.Server;

/// <summary>A refused upload: the message is one line, shown to the client (400).</summary>
public sealed class UploadException(string message) : Exception(message);

/// <summary>
/// Stores uploaded files as <c>uploads/ID/NNNN-name</c> in the server's <see cref="IFileStore"/> (the data directory,
/// or the Redis Cluster when jobs are shared). A zip is unpacked there after <see cref="ZipGuard"/> has checked its
/// central directory (entries, sizes, ratio); names with <c>..</c>, absolute or drive paths are refused, a zip inside
/// a zip is refused (no nesting), and every file is stored under a name the server makes (a number and the entry's
/// file name, cleaned), so nothing can land outside the upload's folder. A refused upload leaves nothing behind.
/// </summary>
public sealed class Uploads(IFileStore store, ReaderLimits limits)
{
    private static readonly HashSet<string> Accepted = new(StringComparer.OrdinalIgnoreCase) { ".txt", ".md", ".html", ".htm", ".docx", ".pdf" };

    /// <summary>The stored files, by their paths in the store, with the names reports give them.</summary>
    public async Task<List<StoredFile>> SaveAsync(IReadOnlyList<IFormFile> files, CancellationToken ct)
    {
        if (files.Count == 0) throw new UploadException("no files uploaded");
        string dir = "uploads/" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var stored = new List<StoredFile>();
        var written = new List<string>();
        try
        {
            foreach (var f in files)
            {
                string name = CleanName(f.FileName);
                if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    await using var s = f.OpenReadStream();
                    var buffer = new MemoryStream();
                    await s.CopyToAsync(buffer, ct);
                    buffer.Position = 0;
                    Unzip(buffer, name, dir, stored, written);
                }
                else
                {
                    CheckExtension(name);
                    string path = $"{dir}/{stored.Count:D4}-{name}";
                    written.Add(path);
                    await using (var o = store.Create(path))
                        await f.CopyToAsync(o, ct);
                    stored.Add(new StoredFile(name, path, f.Length));
                }
            }
        }
        catch
        {
            store.Delete(written);
            throw;
        }
        return stored;
    }

    private void Unzip(Stream zipStream, string zipName, string dir, List<StoredFile> stored, List<string> written)
    {        ZipArchive zip;
        try { zip = new ZipArchive(zipStream, ZipArchiveMode.Read); }
        catch (InvalidDataException) { throw new UploadException($"{zipName}: not a valid zip archive"); }
        using (zip)
        {
            try { ZipGuard.Check(zip, zipName, limits); }
            catch (DocumentInputException e) { throw new UploadException(e.Message.Split('\n')[0]); }
            foreach (var e in zip.Entries)
            {
                string full = e.FullName.Replace('\\', '/');
                if (full.EndsWith('/')) continue; // a folder
                if (full.StartsWith('/') || full.Split('/').Contains("..") || (full.Length > 1 && full[1] == ':'))
                    throw new UploadException($"{zipName}: refused: entry name {e.FullName} leaves the archive");
                string name = CleanName(full);
                if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                    throw new UploadException($"{zipName}: refused: a zip inside a zip ({e.FullName})");
                if (Path.GetFileName(full).StartsWith('.') || full.StartsWith("__MACOSX/", StringComparison.Ordinal)) continue;
                CheckExtension(name);
                string path = $"{dir}/{stored.Count:D4}-{name}";
                written.Add(path);
                using (var src = e.Open())
                using (var o = store.Create(path))
                {
                    // The declared size was checked; the real one is bounded too, in case the directory lies.
                    CopyBounded(src, o, limits.MaxPartBytes, zipName, e.FullName);
                }
                stored.Add(new StoredFile(full, path, e.Length));
            }
        }
        if (stored.Count == 0) throw new UploadException($"{zipName}: no documents in the archive");
    }

    private static void CopyBounded(Stream src, Stream dst, long max, string zipName, string entry)
    {
        var buf = new byte[81920];
        long total = 0;
        int n;
        while ((n = src.Read(buf)) > 0)
        {
            total += n;
            if (total > max) throw new UploadException($"{zipName}: refused: entry {entry} unpacks to more than its declared size allows");
            dst.Write(buf, 0, n);
        }
    }

    private static void CheckExtension(string name)
    {
        if (!Accepted.Contains(Path.GetExtension(name)))
            throw new UploadException($"{name}: unsupported file type (txt, md, html, docx, pdf or a zip of them)");
    }

    /// <summary>The last segment of a name, with anything but letters, digits and <c>.-_</c> replaced.</summary>
    internal static string CleanName(string name)
    {
        string last = name.Replace('\\', '/').Split('/').LastOrDefault(s => s.Length > 0) ?? "upload";
        var chars = last.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_').ToArray();
        string clean = new string(chars).TrimStart('.');
        if (clean.Length == 0) clean = "upload";
        return clean.Length > 100 ? clean[^100..] : clean;
    }
}

/// <summary>An uploaded file: its name (in reports) and its path in the server's <see cref="IFileStore"/>.</summary>
public sealed record StoredFile(string Name, string Path, long Size);
