namespace Doppel.Cli;

/// <summary>A document to read: its display name (file name, or path relative to the directory it was found in) and path.</summary>
internal sealed record SourceFile(string Name, string Path);

/// <summary>Turns the files and directories given on the command line into the documents to read; shared by
/// <c>check</c>, <c>cross</c> and <c>index add</c>.</summary>
internal static class InputFiles
{
    /// <summary>Expands directories into their documents (sorted, hidden ones skipped); files given explicitly are
    /// kept whatever their extension so that their problems get reported. Files in <paramref name="except"/> (full
    /// paths: check's documents) are left out.</summary>
    public static List<SourceFile> Discover(IEnumerable<string> paths, params string[] except)
    {
        var seen = new HashSet<string>(except, StringComparer.Ordinal);
        var files = new List<SourceFile>();
        foreach (var arg in paths)
        {
            if (!Directory.Exists(arg))
            {
                if (seen.Add(Path.GetFullPath(arg))) files.Add(new SourceFile(Path.GetFileName(arg), arg));
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
                    files.Add(new SourceFile(rel.Replace(Path.DirectorySeparatorChar, '/'), Path.Join(arg, rel)));
        }
        return files;
    }

    /// <summary>Document extensions always; no extension only when the content is a document (README, LICENSE, a
    /// PDF saved without its extension).</summary>
    private static bool IsTextCandidate(string path)
    {
        string ext = Path.GetExtension(path);
        if (ext.Length > 0) return Inputs.DocumentExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var head = new byte[8192];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return Inputs.IsDocument(head.AsSpan(0, n), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // let loading report why it cannot be read
        }
    }
}
