namespace Doppel.Cli;

/// <summary>A document to read: its display name (file name, or path relative to the directory it was found in) and path.</summary>
internal sealed record SourceFile(string Name, string Path);

/// <summary>Turns the files and directories given on the command line into the documents to read; shared by
/// <c>check</c> and <c>cross</c>.</summary>
internal static class InputFiles
{
    private static readonly string[] TextExtensions = [".txt", ".md", ".text"];

    /// <summary>Expands directories into their text files (sorted, hidden ones skipped); files given explicitly are
    /// kept whatever their extension so that their problems get reported. The excepted file (check's DOC) is left out.</summary>
    public static List<SourceFile> Discover(IEnumerable<string> paths, string? exceptFullPath = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (exceptFullPath != null) seen.Add(exceptFullPath);
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

    /// <summary>Text extensions always; no extension only when the head does not look binary (README, LICENSE).</summary>
    private static bool IsTextCandidate(string path)
    {
        string ext = Path.GetExtension(path);
        if (ext.Length > 0) return TextExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var head = new byte[8192];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return !Inputs.LooksBinary(head.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // let loading report why it cannot be read
        }
    }
}
