using System.Text;

namespace Doppel.Application.Storage;

/// <summary>
/// The files of the server's jobs, by a relative path with <c>/</c> separators (<c>uploads/ID/0000-name.txt</c>,
/// <c>reports/JOB/report.html</c>): a local directory with the embedded store (<see cref="DirectoryFileStore"/>), the
/// Redis Cluster when jobs are shared (<see cref="RedisFileStore"/>), so that every node reads what any node wrote.
/// A path with an empty, <c>.</c> or <c>..</c> segment, or an absolute one, is refused.
/// </summary>
public interface IFileStore
{
    /// <summary>A stream to write the file to; the file is stored (replacing any) when the stream is disposed.</summary>
    Stream Create(string path);

    /// <summary>The file's bytes, or null when there is no such file (or the path is refused).</summary>
    byte[]? Read(string path);

    /// <summary>Removes the files (absent ones are ignored).</summary>
    void Delete(IEnumerable<string> paths);

    void WriteText(string path, string text)
    {
        using var s = Create(path);
        s.Write(Encoding.UTF8.GetBytes(text));
    }

    string? ReadText(string path) => Read(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>True when the path stays inside the store: relative, no empty, <c>.</c> or <c>..</c> segment.</summary>
    static bool IsContained(string path) =>
        path.Length > 0 && !path.Contains('\\') && !path.Contains('\0') && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");
}

/// <summary>The files under a local directory (the server's data directory).</summary>
public sealed class DirectoryFileStore(string root) : IFileStore
{
    public string Root { get; } = Path.GetFullPath(root);

    private string? Full(string path) => IFileStore.IsContained(path) ? Path.Combine(Root, path) : null;

    public Stream Create(string path)
    {
        string full = Full(path) ?? throw new ArgumentException($"{path}: not a path inside the store", nameof(path));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return File.Create(full);
    }

    public byte[]? Read(string path) => Full(path) is { } full && File.Exists(full) ? File.ReadAllBytes(full) : null;

    public void Delete(IEnumerable<string> paths)
    {
        foreach (string p in paths)
        {
            if (Full(p) is not { } full || !File.Exists(full)) continue;
            File.Delete(full);
            // Folders left empty go too (an upload refused half-way leaves nothing behind), all but the top one.
            for (var dir = Path.GetDirectoryName(full); dir != null && Path.GetDirectoryName(dir) is { } parent && parent.Length > Root.Length
                 && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any(); dir = parent)
                Directory.Delete(dir);
        }
    }
}
