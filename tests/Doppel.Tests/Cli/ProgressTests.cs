using Doppel.Cli;
using Xunit;

namespace Doppel.Tests.Cli;

public class ProgressTests
{
    [Fact]
    public void Bar_is_drawn_on_a_terminal_and_erased_when_done()
    {
        var err = new StringWriter();
        var ctx = new CliContext(new StringWriter(), err, stdoutIsTerminal: false, terminalWidth: 80, stderrIsTerminal: true);
        using (var p = Progress.Start(ctx, quiet: false, total: 3, unit: "sources", delay: TimeSpan.Zero))
        {
            p.Advance("a.txt"); p.Advance("b.txt"); p.Advance("c.txt");
        }
        string s = err.ToString();
        Assert.Contains("3/3 sources", s);
        Assert.Contains("[##########", s);
        Assert.EndsWith("\r\e[K", s, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true)]   // --quiet
    [InlineData(false, false)] // standard error redirected
    public void Nothing_is_drawn_when_quiet_or_not_a_terminal(bool quiet, bool terminal)
    {
        var err = new StringWriter();
        var ctx = new CliContext(new StringWriter(), err, false, 80, stderrIsTerminal: terminal);
        using (var p = Progress.Start(ctx, quiet, 2, "sources", TimeSpan.Zero))
        {
            p.Advance(); p.Advance();
        }
        Assert.Equal("", err.ToString());
    }
}
