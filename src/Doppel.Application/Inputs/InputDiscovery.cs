namespace Doppel.Application;

/// <summary>Turns the files and directories a user names into the documents to read; shared by checking against
/// files, collections and the index.</summary>
public static class InputDiscovery
{
    /// <summary>Expands directories into their documents (sorted, hidden ones skipped; named by their path relative
    /// to the directory, with <c>/</c>); files given explicitly are kept whatever their extension so that their
    /// problems get reported. Files in <paramref name="except"/> (full paths: check's documents) are left out, and a
    /// file reached twice is listed once.</summary>
    public static List<DocumentSource> Discover(IEnumerable<string> paths, params string[] except)
    {
        var seen = new HashSet<string>(except, StringComparer.Ordinal);
        var files = new List<DocumentSource>();
        foreach (var arg in paths)
        {
            if (!Directory.Exists(arg))
            {
                if (seen.Add(Path.GetFullPath(arg))) files.Add(DocumentSource.FromFile(arg));
                continue;
            }
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            };
            var found = Directory.EnumerateFiles(arg, "*", options)
                .Select(p => (Full: p, Rel: Path.GetRelativePath(arg, p)))
                .Where(x => !x.Rel.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .Where(x => IsTextCandidate(x.Full))
                .OrderBy(x => x.Rel, StringComparer.Ordinal);
            foreach (var (full, rel) in found)
                if (seen.Add(Path.GetFullPath(full)))
                    files.Add(DocumentSource.FromFile(Path.Join(arg, rel), rel.Replace(Path.DirectorySeparatorChar, '/')));
        }
        return files;
    }

    /// <summary>Document extensions always; no extension only when the content is a document (README, LICENSE, a
    /// PDF saved without its extension).</summary>
    private static bool IsTextCandidate(string path)
    {
        string ext = Path.GetExtension(path);
        if (ext.Length > 0) return DocumentInputs.DocumentExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var head = new byte[8192];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return DocumentInputs.IsDocument(head.AsSpan(0, n), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // let loading report why it cannot be read
        }
    }
}
