using System.Diagnostics;

namespace Doppel.Cli;

/// <summary>
/// A progress bar on standard error for long runs: drawn only when standard error is a terminal, never with
/// --quiet, at most ten times a second, and erased when done so it never mixes with results or error lines.
/// Thread-safe (<see cref="Advance"/> is called from parallel workers).
/// </summary>
internal sealed class Progress : IDisposable
{
    /// <summary>Runs shorter than this draw nothing: a bar that flashes is noise.</summary>
    internal static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter? _err;
    private readonly int _total;
    private readonly string _unit;
    private readonly int _width;
    private readonly TimeSpan _delay;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private int _done;
    private TimeSpan _last = TimeSpan.FromDays(-1); // not MinValue: now - _last must not overflow
    private bool _drawn;

    private Progress(TextWriter? err, int total, string unit, int width, TimeSpan delay)
    {
        _delay = delay;
        _err = err;
        _total = total;
        _unit = unit;
        _width = width;
    }

    public static Progress Start(CliContext ctx, bool quiet, int total, string unit, TimeSpan? delay = null) =>
        new(quiet || !ctx.StderrIsTerminal ? null : ctx.Err, total, unit, Math.Clamp(ctx.TerminalWidth, 40, 200), delay ?? DefaultDelay);

    public void Advance(string? item = null)
    {
        int done = Interlocked.Increment(ref _done);
        if (_err == null) return;
        var now = _clock.Elapsed;
        if (now < _delay || (now - _last < Interval && done < _total)) return;
        lock (_lock)
        {
            if (now - _last < Interval && done < _total) return;
            _last = now;
            int barWidth = Math.Max(10, _width / 3);
            int filled = _total == 0 ? barWidth : (int)((long)barWidth * done / _total);
            string label = $" {done}/{_total} {_unit} ";
            string tail = item ?? "";
            int room = _width - barWidth - label.Length - 3;
            if (tail.Length > room) tail = room > 1 ? "…" + tail[^(room - 1)..] : "";
            _err.Write($"\r[{new string('#', filled)}{new string('.', barWidth - filled)}]{label}{tail}\e[K");
            _err.Flush();
            _drawn = true;
        }
    }

    public void Dispose()
    {
        if (_err == null || !_drawn) return;
        lock (_lock)
        {
            _err.Write("\r\e[K");
            _err.Flush();
        }
    }
}
