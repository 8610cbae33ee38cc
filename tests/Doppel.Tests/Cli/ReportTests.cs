using Xunit;
using Doppel.Cli;
using Doppel.Engine.Alignment;
using Doppel.Engine.Reports;

namespace Doppel.Tests.Cli;

public class ReportTests
{
    private static AlignedPassage P(int start, int length) => new(start, length, 0, length, 1, PassageKind.Verbatim, []);

    [Fact]
    public void Coverage_counts_overlapping_passages_once()
    {
        Assert.Equal(0, ReportBuilder.CoveredLength([], 100));
        Assert.Equal(30, ReportBuilder.CoveredLength([P(0, 20), P(10, 20)], 100));
        Assert.Equal(25, ReportBuilder.CoveredLength([P(50, 10), P(0, 10), P(5, 2), P(95, 10)], 100)); // clipped at the end
    }

    [Fact]
    public void Long_texts_wrap_to_the_column_and_keep_beginning_and_end()
    {
        string text = string.Join(" ", Enumerable.Range(0, 200).Select(i => $"word{i}"));
        var lines = TextReport.Wrap(text, 30);
        Assert.All(lines, l => Assert.True(l.Length <= 30, l));
        Assert.Contains("…", lines);
        Assert.StartsWith("word0 ", lines[0]);
        Assert.EndsWith("word199", lines[^1]);
        Assert.Equal(["a b", "c"], TextReport.Wrap("a\n b\t c", 3));
    }
}
