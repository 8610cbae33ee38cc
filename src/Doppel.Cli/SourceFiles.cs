namespace Doppel.Cli;

/// <summary>A document file found on the command line: its name (the path relative to the directory it was found
/// in, with '/' separators, or the file name when given explicitly) and its path.</summary>
internal sealed record SourceFile(string Name, string Path);

/// <summary>Expands file and directory arguments into document files; shared by <c>check --against</c> and
/// <c>index add</c>.</summary>
internal static class SourceFiles
{
    private static readonly string[] TextExtensions = [".txt", ".md", ".text"];

    /// <summary>Expands directories into their text files (sorted, hidden ones skipped); files given explicitly are
    /// kept whatever their extension so that their problems get reported. Paths in <paramref name="exclude"/>
    /// (full paths) are left out.</summary>
    public static List<SourceFile> Discover(IEnumerable<string> args, params string[] exclude)
    {
        var seen = new HashSet<string>(exclude, StringComparer.Ordinal);
        var files = new List<SourceFile>();
        foreach (var arg in args)
        {
            if (!Directory.Exists(arg))
            {
                if (seen.Add(System.IO.Path.GetFullPath(arg))) files.Add(new SourceFile(System.IO.Path.GetFileName(arg), arg));
                continue;
            }
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            };
            var found = Directory.EnumerateFiles(arg, "*", options)
                .Select(p => (Full: p, Rel: System.IO.Path.GetRelativePath(arg, p)))
                .Where(x => !x.Rel.Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .Where(x => IsTextCandidate(x.Full))
                .OrderBy(x => x.Rel, StringComparer.Ordinal);
            foreach (var (full, rel) in found)
                if (seen.Add(System.IO.Path.GetFullPath(full)))
                    files.Add(new SourceFile(rel.Replace(System.IO.Path.DirectorySeparatorChar, '/'), System.IO.Path.Join(arg, rel)));
        }
        return files;
    }

    /// <summary>Text extensions always; no extension only when the head does not look binary (README, LICENSE).</summary>
    private static bool IsTextCandidate(string path)
    {
        string ext = System.IO.Path.GetExtension(path);
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
