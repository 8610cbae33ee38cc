using System.CommandLine;
using Doppel.Cli;
using Xunit;

namespace Doppel.Tests.Cli;

/// <summary>Issue 14 item 4: every numeric option of every command, found by walking the command tree (so a new
/// one cannot be forgotten), turns a value that is not a number or does not fit into a one-line usage error.</summary>
public class NumericOptionTests : CliHarness
{
    private static readonly Type[] NumericTypes = [typeof(int), typeof(long), typeof(short), typeof(uint), typeof(ulong), typeof(double), typeof(float), typeof(decimal)];

    /// <summary>Each leaf command (its words), the options it accepts (its own and recursive ones from above), and the
    /// placeholder values its arguments need for the command line to parse otherwise.</summary>
    private static IEnumerable<(string[] Words, Option Option, string[] Arguments)> NumericOptions()
    {
        var root = Doppel.Cli.Cli.Build(new CliContext(TextWriter.Null, TextWriter.Null, false, 100));
        var stack = new Stack<(Command Command, string[] Words, Option[] Inherited)>();
        stack.Push((root, [], []));
        while (stack.Count > 0)
        {
            var (cmd, words, inherited) = stack.Pop();
            var options = inherited.Concat(cmd.Options).ToArray();
            if (cmd.Subcommands.Count > 0)
            {
                foreach (var sub in cmd.Subcommands) stack.Push((sub, [.. words, sub.Name], options.Where(o => o.Recursive).ToArray()));
                continue;
            }
            var args = cmd.Arguments.SelectMany(a => Enumerable.Repeat("x", Math.Max(1, a.Arity.MinimumNumberOfValues))).ToArray();
            foreach (var o in options.Where(o => NumericTypes.Contains(o.ValueType)))
                yield return (words, o, args);
        }
    }

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (words, option, _) in NumericOptions())
        {
            bool whole = option.ValueType != typeof(double) && option.ValueType != typeof(float) && option.ValueType != typeof(decimal);
            string[] bad = whole ? ["abc", "99999999999", "-99999999999", "1e3", "1.5", ""] : ["abc", "1e400", "NaN", ""];
            foreach (var value in bad) data.Add(string.Join(' ', words), option.Name, value);
        }
        return data;
    }

    [Fact]
    public void The_walk_finds_the_numeric_options_of_every_command()
    {
        var found = NumericOptions().Select(x => $"{string.Join(' ', x.Words)} {x.Option.Name}").ToHashSet();
        foreach (var expected in new[] { "check --top", "check --min-match-words", "compare --min-match-words", "cross --min-words",
                     "cross --common-share", "cross --pages", "index add --batch", "compare --max-file-size", "index stats --max-file-size" })
            Assert.Contains(expected, found);
    }

    [Theory, MemberData(nameof(Cases))]
    public void A_bad_numeric_value_is_a_one_line_usage_error(string command, string option, string value)
    {
        var (words, _, arguments) = NumericOptions().First(x => string.Join(' ', x.Words) == command && x.Option.Name == option);
        var r = Run([.. words, .. arguments, option, value]);
        Assert.Equal(Usage, r.Code);
        Assert.DoesNotContain("internal error", r.Err);
        Assert.StartsWith($"doppel: {option}", Assert.Single(r.ErrLines, l => l.StartsWith("doppel: ")));
        Assert.Equal("Run 'doppel --help' for usage.", r.ErrLines[^1]);
    }
}
