using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>
/// A document to read: a file on disk (<see cref="FromFile"/>) or content held in memory, such as an uploaded file
/// (<see cref="FromBytes"/>). Every service reads its documents through this, so a front end that has no files
/// (a web server) runs the same flows as the command line.
/// </summary>
public abstract class DocumentSource
{
    private protected DocumentSource(string name, string path)
    {
        Name = name;
        Path = path;
    }

    /// <summary>How reports name the document: its file name, its path relative to the folder it was found in, or
    /// an upload's name.</summary>
    public string Name { get; }

    /// <summary>Where it came from, as the caller gave it: a path on disk, or an upload's name. Errors name it.</summary>
    public string Path { get; }

    /// <summary>A file on disk, named by its file name unless <paramref name="name"/> is given.</summary>
    public static DocumentSource FromFile(string path, string? name = null) => new FileSource(path, name ?? System.IO.Path.GetFileName(path));

    /// <summary>A document held in memory (an upload): <paramref name="name"/> names it in reports and errors; its
    /// format is found from the content, with the name's extension as a hint, as for a file.</summary>
    public static DocumentSource FromBytes(string name, byte[] content) => new MemorySource(name, content);

    /// <summary>The same document under another name.</summary>
    public abstract DocumentSource WithName(string name);

    internal abstract DocumentLoader.LoadResult LoadWith(DocumentLoader loader);

    public override string ToString() => Path;

    private sealed class FileSource(string path, string name) : DocumentSource(name, path)
    {
        public override DocumentSource WithName(string name) => new FileSource(Path, name);
        internal override DocumentLoader.LoadResult LoadWith(DocumentLoader loader) => loader.Load(Path, Name);
    }

    private sealed class MemorySource(string name, byte[] content) : DocumentSource(name, name)
    {
        public override DocumentSource WithName(string name) => new MemorySource(name, content);
        internal override DocumentLoader.LoadResult LoadWith(DocumentLoader loader) => loader.Load(content, Name);
    }
}
