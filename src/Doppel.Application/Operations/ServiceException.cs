namespace Doppel.Application;

public enum ServiceErrorKind
{
    /// <summary>The request itself is wrong (an id for several documents).</summary>
    Usage,
    /// <summary>There is nothing usable to work on: no documents found, none could be read, an unusable template.</summary>
    Input,
    /// <summary>A default the environment should give is missing (no home directory for the default index).</summary>
    Configuration,
}

/// <summary>An operation that cannot run at all; the message is one line. Inputs that are merely left out are not
/// errors: they are <see cref="Doppel.Engine.Reports.SkippedInput"/> records in the result.</summary>
public sealed class ServiceException(ServiceErrorKind kind, string message, InputRole? role = null) : Exception(message)
{
    public ServiceErrorKind Kind { get; } = kind;

    /// <summary>For an unusable input: what it was for.</summary>
    public InputRole? Role { get; } = role;
}
