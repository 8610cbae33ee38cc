using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>The documents found, and the folders given that hold none.</summary>
public sealed record Discovered(List<DocumentSource> Documents, IReadOnlyList<string> EmptyFolders);

/// <summary>Turns the files and directories a user names into the documents to read; shared by checking against
/// files, collections and the index.</summary>
public static class InputDiscovery
{
    /// <summary>
    /// Expands directories into their documents (sorted, hidden ones skipped; named by their path relative to the
    /// directory, with <c>/</c>); files given explicitly are kept whatever their extension so that their problems get
    /// reported. A file is listed once however many paths reach it (links, the same folder twice), and files in
    /// <paramref name="except"/> (check's documents, a collection's templates) are left out.
    /// </summary>
    /// <remarks>Symbolic links are followed, but never into a directory already walked: a link back up the tree
    /// (a loop) or to a folder seen elsewhere adds nothing. Real subdirectories are walked before links, so a file
    /// reached both ways is named by its real place.</remarks>
    public static List<DocumentSource> Discover(IEnumerable<string> paths, params string[] except) => Find(paths, except).Documents;

    /// <summary>What a folder given that holds no document is told (it is passed over; the others are used).</summary>
    public const string EmptyFolderWarning = "no documents in this folder";

    /// <summary>As <see cref="Discover"/>, and which folders given hold no document at all (a wrong path is easily
    /// missed when other inputs are found: check, cross and index add say so alike, and go on).</summary>
    public static Discovered Find(IEnumerable<string> paths, IEnumerable<string>? except = null)
    {
        var seen = new HashSet<string>((except ?? []).Select(Identity), StringComparer.Ordinal);
        var walked = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<DocumentSource>();
        var empty = new List<string>();
        foreach (var arg in paths)
        {
            if (!Directory.Exists(arg))
            {
                if (seen.Add(Identity(arg))) files.Add(DocumentSource.FromFile(arg));
                continue;
            }
            // Null: the folder was walked already (given twice, or inside one given before).
            if (Walk(arg, walked) is not { } walk) continue;
            if (walk.Count == 0) empty.Add(arg);
            // What is reached without a link first, so a file reached both ways is named by its real place.
            var found = walk.OrderBy(f => f.ViaLink).Where(f => seen.Add(Identity(f.Path))).OrderBy(f => f.Rel, StringComparer.Ordinal);
            foreach (var (rel, path, _) in found)
                files.Add(DocumentSource.FromFile(path, rel));
        }
        return new Discovered(files, empty);
    }

    /// <summary>The documents under <paramref name="root"/>, and whether a link led to each: real subdirectories
    /// first, then the directories links lead to, each directory once (<paramref name="walked"/> holds the identities
    /// of those done).</summary>
    private static List<(string Rel, string Path, bool ViaLink)>? Walk(string root, HashSet<string> walked)
    {
        if (!walked.Add(Identity(root))) return null;
        var found = new List<(string Rel, string Path, bool ViaLink)>();
        var real = new Queue<(string Dir, string Rel, bool ViaLink)>();
        var linked = new Queue<(string Dir, string Rel, bool ViaLink)>();
        real.Enqueue((root, "", false));
        while (true)
        {
            if (real.Count == 0 && linked.Count == 0) break;
            bool viaLink = real.Count == 0;
            var (dir, rel, under) = viaLink ? linked.Dequeue() : real.Dequeue();
            // A link's folder is claimed when its turn comes, after every real folder: a loop ends here.
            if (viaLink && !walked.Add(Identity(dir))) continue;
            FileSystemInfo[] entries;
            try
            {
                entries = new DirectoryInfo(dir).GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // an unreadable folder is passed over, as before
            }
            Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var entry in entries)
            {
                if (entry.Name.StartsWith('.') || (entry.Attributes & FileAttributes.System) != 0) continue;
                string path = Path.Join(dir, entry.Name);
                string childRel = rel.Length == 0 ? entry.Name : rel + "/" + entry.Name;
                bool link = entry.LinkTarget != null;
                if (IsDirectory(path, entry))
                {
                    if (link) linked.Enqueue((path, childRel, true));
                    else if (walked.Add(Identity(path))) real.Enqueue((path, childRel, under));
                    continue;
                }
                if (IsTextCandidate(path)) found.Add((childRel, path, under || link));
            }
        }
        return found;
    }

    private static bool IsDirectory(string path, FileSystemInfo entry) =>
        FileProbe.TryProbe(path, out var kind, out _) ? kind == FileKind.Directory : entry is DirectoryInfo;

    /// <summary>What makes two paths the same file: its device and inode where the system tells them, else its full
    /// path with links resolved.</summary>
    internal static string Identity(string path)
    {
        if (FileProbe.TryProbe(path, out var kind, out var id) && kind != FileKind.Missing)
            return $"{id.Device}:{id.Inode}";
        string full = Path.GetFullPath(path);
        try
        {
            return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    /// <summary>Document extensions always (a named pipe or device among them is listed, so that loading reports
    /// it); no extension only when the content is a document (README, LICENSE, a PDF saved without its extension),
    /// which is looked at only in regular files: opening a named pipe would wait for a writer.</summary>
    private static bool IsTextCandidate(string path)
    {
        string ext = Path.GetExtension(path);
        if (ext.Length > 0) return DocumentInputs.DocumentExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
        if (FileProbe.SpecialKind(path) != null) return false;
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
