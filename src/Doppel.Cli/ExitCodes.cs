namespace Doppel.Cli;

/// <summary>Process exit codes, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>An unexpected internal error (a bug): reported in one line, details with DOPPEL_DEBUG=1.</summary>
    public const int InternalError = 1;
    /// <summary>The command line was wrong (unknown option, missing argument).</summary>
    public const int UsageError = 2;
    /// <summary>An input could not be used: missing, unreadable, a directory, binary, empty, too large, malformed.</summary>
    public const int InputError = 3;
    /// <summary>A batch finished, but some of its files could not be used (each one reported on stderr).</summary>
    public const int PartialFailure = 4;
    /// <summary>The output could not be written.</summary>
    public const int OutputError = 5;
    /// <summary>The reference index cannot be used: not a Doppel index, a newer format, or a storage failure.</summary>
    public const int IndexError = 6;
    /// <summary>A Redis index is unreachable or did not acknowledge writes in time (a failover, a node down): nothing
    /// is wrong with the index or the input; run the command again. A failed add names every document not added.</summary>
    public const int Unavailable = 7;
    /// <summary>The server cannot start: no users and no DOPPEL_ADMIN_PASSWORD, the data directory or the address unusable.</summary>
    public const int ServerError = 8;
}
