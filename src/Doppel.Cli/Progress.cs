using System.Diagnostics;

namespace Doppel.Cli;

/// <summary>
/// Progress of a long run on standard error: done/total, items per second and the time left. On a terminal a bar is
/// redrawn at most ten times a second after a short delay and erased when done, so it never mixes with results or
/// error lines. When standard error is not a terminal nothing is drawn, unless the run asked for log lines (index
/// builds that run for minutes): then one full line every <c>logEvery</c>. Silent with --quiet. Thread-safe
/// (<see cref="Advance"/> is called from parallel workers).
/// </summary>
internal sealed class Progress : IDisposable
{
    /// <summary>Runs shorter than this draw nothing: a bar that flashes is noise.</summary>
    internal static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter? _err;
    private readonly bool _terminal;
    private readonly int _total;
    private readonly string _unit;
    private readonly int _width;
    private readonly TimeSpan _delay;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private int _done;
    private TimeSpan _last = TimeSpan.FromDays(-1); // not MinValue: now - _last must not overflow
    private bool _drawn;

    private Progress(TextWriter? err, bool terminal, int total, string unit, int width, TimeSpan delay, TimeSpan interval)
    {
        _err = err;
        _terminal = terminal;
        _total = total;
        _unit = unit;
        _width = width;
        _delay = delay;
        _interval = interval;
    }

    /// <param name="logEvery">When standard error is not a terminal, write a line this often (none when null).</param>
    public static Progress Start(CliContext ctx, bool quiet, int total, string unit, TimeSpan? delay = null, TimeSpan? logEvery = null)
    {
        bool terminal = ctx.StderrIsTerminal;
        var err = quiet || (!terminal && logEvery == null) ? null : ctx.Err;
        return new(err, terminal, total, unit, Math.Clamp(ctx.TerminalWidth, 40, 200),
            terminal ? delay ?? DefaultDelay : logEvery ?? TimeSpan.Zero, terminal ? Interval : logEvery ?? TimeSpan.Zero);
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>One more item done (from any thread).</summary>
    public void Advance(string? item = null) => Draw(Interlocked.Increment(ref _done), item, force: false);

    /// <summary>So many items done in all (a run that counts for itself), <paramref name="item"/> the last one.</summary>
    public void Report(int done, string? item = null)
    {
        Volatile.Write(ref _done, done);
        Draw(done, item, force: false);
    }

    private void Draw(int done, string? item, bool force)
    {
        if (_err == null) return;
        var now = _clock.Elapsed;
        if (!force && (now < _delay || (now - _last < _interval && done < _total))) return;
        lock (_lock)
        {
            if (!force && now - _last < _interval && done < _total) return;
            _last = now;
            double rate = done / Math.Max(1e-9, now.TotalSeconds);
            string eta = done > 0 && _total > done && now.TotalSeconds >= 1 ? $", {Format(TimeSpan.FromSeconds((_total - done) / rate))} left" : "";
            string label = $" {done:N0}/{_total:N0} {_unit} ({rate:F1}/s{eta}) ";
            if (!_terminal)
            {
                _err.WriteLine($"doppel:{label.TrimEnd()}");
                return;
            }
            int barWidth = Math.Max(10, _width / 4);
            int filled = _total == 0 ? barWidth : (int)((long)barWidth * Math.Min(done, _total) / _total);
            string tail = item ?? "";
            int room = _width - barWidth - label.Length - 3;
            if (tail.Length > room) tail = room > 1 ? "…" + tail[^(room - 1)..] : "";
            _err.Write($"\r[{new string('#', filled)}{new string('.', barWidth - filled)}]{label}{tail}\e[K");
            _err.Flush();
            _drawn = true;
        }
    }

    /// <summary>Erases the bar so the next message starts on a clean line; drawing may start again afterwards.</summary>
    public void Done()
    {
        if (_err == null || !_drawn) return;
        lock (_lock)
        {
            _err.Write("\r\e[K");
            _err.Flush();
            _drawn = false;
        }
    }

    public void Dispose() => Done();

    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F0}s";
}
