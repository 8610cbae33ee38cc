using Doppel.Engine.Text;

namespace Doppel.Cli;

/// <summary>
/// Loads documents for the commands through the engine's <see cref="DocumentLoader"/>, whose decoder makes every
/// check (existence, directory, size before reading, emptiness, binary content). The CLI only adds the hint on how
/// to raise the size limit. Every failure is a <see cref="DocumentInputException"/> whose message is one line,
/// "<c>PATH: reason</c>". Thread-safe.
/// </summary>
internal sealed class Inputs(long maxBytes)
{
    private readonly DocumentLoader _loader = new(maxBytes);

    public long MaxBytes => maxBytes;

    public DocumentLoader.LoadResult Load(string path, string? name = null)
    {
        var r = _loader.Load(path, name);
        if (r.Error is { Kind: DocumentInputErrorKind.TooLarge } e)
            return new(null, new DocumentInputException($"{e.Message} (see --max-file-size)", e.Kind));
        return r;
    }

    public AnalyzedDocument LoadOrThrow(string path, string? name = null)
    {
        var r = Load(path, name);
        return r.Document ?? throw r.Error!;
    }

    /// <summary>True when the head of a file is not text by the decoder's own rules (one rule for the whole tool).</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        try
        {
            TextDecoder.Decode(head);
            return false;
        }
        catch (DocumentInputException e)
        {
            return e.Kind == DocumentInputErrorKind.Binary;
        }
    }
}
