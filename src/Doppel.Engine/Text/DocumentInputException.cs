namespace Doppel.Engine.Text;
// STUB
public enum DocumentInputErrorKind { NotFound, IsDirectory, Unreadable, Empty, Binary, TooLarge, Malformed }
public sealed class DocumentInputException(string message, DocumentInputErrorKind kind) : Exception(message)
{
    public DocumentInputErrorKind Kind { get; } = kind;
}
