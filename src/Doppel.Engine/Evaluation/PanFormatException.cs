namespace Doppel.Engine.Evaluation;

/// <summary>Raised when a PAN XML annotation file cannot be read: malformed XML, an unexpected root element,
/// or a plagiarism feature with missing or invalid attributes.</summary>
public sealed class PanFormatException : Exception
{
    public PanFormatException(string path, string reason, Exception? innerException = null)
        : base($"Invalid PAN annotation file '{path}': {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The offending file (or the name given for a reader).</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
