using System.Diagnostics;

namespace Doppel.Cli;

/// <summary>
/// Progress of a long run on stderr: documents done, documents/s and ETA. On a terminal one line is redrawn at most
/// twice a second; otherwise (logs, pipes) a full line is written at most every <c>lineInterval</c>. Silent with --quiet.
/// </summary>
internal sealed class Progress(CliContext ctx, string what, int total, bool quiet, TimeSpan? lineInterval = null)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = ReferenceEquals(ctx.Err, Console.Error) && !Console.IsErrorRedirected;
    private readonly TimeSpan _interval = lineInterval ?? TimeSpan.FromSeconds(10);
    private TimeSpan _last = TimeSpan.Zero;
    private bool _drawn;

    public TimeSpan Elapsed => _clock.Elapsed;

    public double Rate(int done) => done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);

    public void Report(int done, bool force = false)
    {
        if (quiet) return;
        var now = _clock.Elapsed;
        if (!force && now - _last < (_terminal ? TimeSpan.FromMilliseconds(500) : _interval)) return;
        _last = now;
        double rate = Rate(done);
        string eta = done > 0 && total > done ? $", ETA {Format(TimeSpan.FromSeconds((total - done) / rate))}" : "";
        string line = $"{done:N0}/{total:N0} {what} ({rate:F1}/s{eta})";
        if (_terminal)
        {
            ctx.Err.Write($"\r{line}\u001b[K");
            _drawn = true;
        }
        else
        {
            ctx.Err.WriteLine(line);
        }
    }

    /// <summary>Ends the redrawn line so the next message starts on its own line.</summary>
    public void Done()
    {
        if (_drawn) ctx.Err.Write("\r\u001b[K");
        _drawn = false;
    }

    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F0}s";
}
