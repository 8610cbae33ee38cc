using Doppel.Application;
using Doppel.Engine.Index;
using Doppel.Engine.Reports;

namespace Doppel.Cli;

/// <summary>
/// Shows a service's operation on standard error: one <see cref="Progress"/> per stage (a bar on a terminal, log
/// lines where a stage asks for them), each skipped input as one line <c>doppel: PATH: reason (skipped)</c> as it
/// happens, and (unless quiet) warnings (<c>doppel: PATH: warning: ...</c>) and documents stored as an alias of the
/// same content. A lone document that cannot be
/// read is the run's failure, not a skip: its line has no "(skipped)".
/// </summary>
internal sealed class ProgressDisplay(CliContext ctx, bool quiet, bool loneDocument = false) : IOperationObserver, IDisposable
{
    private readonly Lock _lock = new();
    private int _stage = -1; // the current OperationStage; an int, so that it is read in one piece
    private Progress? _current;

    /// <summary>How each stage is drawn: its unit, the delay before a bar shows, how often a log line is written
    /// when standard error is not a terminal (never when null), and whether it shows at all for a run this size.</summary>
    private static (string Unit, TimeSpan? Delay, TimeSpan? LogEvery, Func<int, bool> Shown) Style(OperationStage stage) => stage switch
    {
        OperationStage.ReadingSources => ("sources read", null, null, _ => true),
        OperationStage.AligningPairs => ("pairs aligned", null, null, _ => true),
        OperationStage.AligningPair => ("% of the pair aligned", null, TimeSpan.FromSeconds(10), _ => true),
        // Log lines only for long batches: a handful of documents is quick.
        OperationStage.CheckingDocuments => ("documents checked", null, TimeSpan.FromSeconds(10), total => total >= 20),
        OperationStage.ReadingDocuments => ("files read", Second, TwoSeconds, _ => true),
        OperationStage.Fingerprinting => ("documents fingerprinted", Second, TwoSeconds, _ => true),
        OperationStage.FindingCandidates => ("documents searched for candidates", Second, TwoSeconds, _ => true),
        OperationStage.AligningCandidates => ("candidate pairs aligned", Second, TwoSeconds, _ => true),
        OperationStage.Indexing => ("documents", null, TimeSpan.FromSeconds(10), _ => true),
        OperationStage.Optimizing => ("buckets", null, TimeSpan.FromSeconds(10), _ => true),
        _ => (stage.ToString(), null, null, _ => true),
    };

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1), TwoSeconds = TimeSpan.FromSeconds(2);

    void IOperationObserver.Progress(OperationProgress p)
    {
        var current = Volatile.Read(ref _current);
        if (Volatile.Read(ref _stage) != (int)p.Stage)
        {
            lock (_lock)
            {
                if (_stage != (int)p.Stage)
                {
                    _current?.Dispose();
                    var (unit, delay, logEvery, shown) = Style(p.Stage);
                    _current = Progress.Start(ctx, quiet || !shown(p.Total), p.Total, unit, delay, logEvery);
                    Volatile.Write(ref _stage, (int)p.Stage);
                }
                current = _current;
            }
        }
        current!.Report(p.Done, p.Item);
    }

    void IOperationObserver.Skipped(SkippedInput input, InputRole role)
    {
        _current?.Done();
        ctx.Err.WriteLine($"doppel: {input.Message}" + (role == InputRole.Document && loneDocument ? "" : " (skipped)"));
    }

    void IOperationObserver.Warning(string path, string message)
    {
        if (quiet) return;
        _current?.Done();
        ctx.Err.WriteLine(WarningLine(path, message));
    }

    /// <summary>A warning on standard error: the input is used all the same.</summary>
    public static string WarningLine(string path, string message) => $"doppel: {path}: warning: {message}";

    void IOperationObserver.Stored(AddResult result)
    {
        if (result.Outcome != AddOutcome.Duplicate || quiet) return;
        _current?.Done();
        ctx.Err.WriteLine($"doppel: {result.Id}: same content as '{result.ExistingId}' (stored once, kept as an alias)");
    }

    public void Dispose() => _current?.Dispose();
}
