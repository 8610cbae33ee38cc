using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Text;

public class SentenceSplitterTests
{
    /// <summary>Splits and checks the contract (trimmed, non-empty, ordered, covering all non-space text).</summary>
    private static string[] Split(string text)
    {
        var ranges = new List<(int Start, int End)>();
        SentenceSplitter.Split(text, ranges);
        int prevEnd = 0;
        foreach (var (start, end) in ranges)
        {
            Assert.True(start >= prevEnd && start < end && end <= text.Length, $"bad range {start}..{end}");
            Assert.False(char.IsWhiteSpace(text[start]) || char.IsWhiteSpace(text[end - 1]), "range not trimmed");
            Assert.True(string.IsNullOrWhiteSpace(text[prevEnd..start]), "non-space text not covered");
            prevEnd = end;
        }
        Assert.True(string.IsNullOrWhiteSpace(text[prevEnd..]), "non-space text after last sentence");
        return ranges.Select(r => text[r.Start..r.End]).ToArray();
    }

    [Theory]
    [InlineData("Mr. Smith met Dr. Jones and Prof. Brown at St. Paul's. They talked.", "Mr. Smith met Dr. Jones and Prof. Brown at St. Paul's.")]
    [InlineData("Mrs. Robinson came. She left.", "Mrs. Robinson came.")]
    [InlineData("Apples vs. oranges, e.g. The red ones, i.e. These ones. Next one.", "Apples vs. oranges, e.g. The red ones, i.e. These ones.")]
    [InlineData("He moved to the U.S. in 1990 and the U.K. Government agreed. Then he left.", "He moved to the U.S. in 1990 and the U.K. Government agreed.")]
    [InlineData("The meeting is on Jan. 5 and Feb. 6 this year. See you.", "The meeting is on Jan. 5 and Feb. 6 this year.")]
    [InlineData("Acme Inc. and Foo Ltd. merged with Bar Co. in 2001. Great.", "Acme Inc. and Foo Ltd. merged with Bar Co. in 2001.")]
    [InlineData("See No. 5 on pp. 12-14 and Fig. 3 for it. It shows approx. 40 items.", "See No. 5 on pp. 12-14 and Fig. 3 for it.")]
    public void Abbreviations_DoNotEndSentences(string text, string first)
    {
        var s = Split(text);
        Assert.Equal(2, s.Length);
        Assert.Equal(first, s[0]);
    }

    [Theory]
    [InlineData("We bought apples, pears, etc. Then we left.", 2)]       // etc. usually ends a sentence
    [InlineData("Cuba is an ally of the U.S. This limited them.", 2)]     // "This" is a typical sentence opener
    [InlineData("Cuba is an ally of the U.S.\nThis limited U.S. influence.", 2)] // a line break after U.S.
    [InlineData("It was made by Apple Inc. The company is big.", 2)]
    [InlineData("It was made by Apple Inc. Engineers liked it.", 1)]      // ambiguous: keep together
    public void SentenceFinalAbbreviations(string text, int count)
    {
        Assert.Equal(count, Split(text).Length);
    }

    [Theory]
    [InlineData("J. F. Kennedy was president. T. S. Eliot was a poet.", "J. F. Kennedy was president.")]
    [InlineData("The poet T. S. Eliot wrote it. It was long.", "The poet T. S. Eliot wrote it.")]
    [InlineData("Written by J. R. R. Tolkien in 1937. It sold well.", "Written by J. R. R. Tolkien in 1937.")]
    public void Initials_DoNotEndSentences(string text, string first)
    {
        var s = Split(text);
        Assert.Equal(2, s.Length);
        Assert.Equal(first, s[0]);
    }

    [Fact]
    public void VitaminC_SingleLetterCanEndSentence()
    {
        Assert.Equal(2, Split("Oranges contain vitamin C. The body needs it.").Length);
    }

    [Fact]
    public void Decimals_AndNumbers()
    {
        var s = Split("Pi is 3.14 and the total is 1,000.5 dollars. No. 5 won in 1962. The end.");
        Assert.Equal(["Pi is 3.14 and the total is 1,000.5 dollars.", "No. 5 won in 1962.", "The end."], s);
    }

    [Fact]
    public void Ellipses()
    {
        var s = Split("I waited... and waited. Then... Nothing happened… The end … or not.");
        Assert.Equal(["I waited... and waited.", "Then...", "Nothing happened…", "The end … or not."], s);
    }

    [Fact]
    public void MissingSpaceAfterStop_Splits()
    {
        Assert.Equal(["It was won by the Soviets.", "Then America responded."],
            Split("It was won by the Soviets.Then America responded."));
    }

    [Theory]
    [InlineData("He lives in the U.S.A and likes it.")]
    [InlineData("It rose by 3.5 percent this year.")]
    [InlineData("Some fruit, e.g.the red ones, are sweet.")]
    [InlineData("Ask Mr.Smith or visit www.Example.com today.")]
    [InlineData("The U.S.Navy was there.")]
    public void MissingSpace_NotASentenceEnd(string text)
    {
        Assert.Single(Split(text));
    }

    [Fact]
    public void TokenisedStops_AlwaysSplit()
    {
        // Machine output puts a space before the stop, even in mid-sentence ("based . on").
        var s = Split("it left Kennedy as the winner in the world . One of the consequences . missile based . on a friend .");
        Assert.Equal(["it left Kennedy as the winner in the world .", "One of the consequences .", "missile based .", "on a friend ."], s);
    }

    [Fact]
    public void StrayPunctuation_JoinsPreviousSentence()
    {
        Assert.Equal(["It ended . .", "Then more ."], Split("It ended . . Then more ."));
    }

    [Theory]
    [InlineData("He said, \"Stop.\" Next we left.", "He said, \"Stop.\"")]
    [InlineData("He said, “Stop.” Next we left.", "He said, “Stop.”")]
    [InlineData("She wrote ‘Yes.’ Next we left.", "She wrote ‘Yes.’")]
    [InlineData("(This is an aside.) Next we left.", "(This is an aside.)")]
    [InlineData("He said \"stop\". Next we left.", "He said \"stop\".")]
    public void ClosingQuotesAndBrackets_StayWithTheirSentence(string text, string first)
    {
        var s = Split(text);
        Assert.Equal(2, s.Length);
        Assert.Equal(first, s[0]);
    }

    [Fact]
    public void QuestionAndExclamationMarks()
    {
        Assert.Equal(["Who won?", "The Soviets did!", "Really?!", "Yes."], Split("Who won? The Soviets did! Really?! Yes."));
        Assert.Single(Split("\"Really?\" he asked."));   // lower case after the quote: same sentence
    }

    [Fact]
    public void BlankLine_AlwaysEndsSentence()
    {
        Assert.Equal(["Introduction", "The crisis began in 1962.", "It ended soon"],
            Split("Introduction\n\nThe crisis began in 1962. It ended soon"));
        Assert.Equal(["first part without a stop", "second part"], Split("first part without a stop\n   \t\nsecond part"));
        Assert.Equal(["Title", "Body text here."], Split("Title\r\n\r\nBody text here."));
        Assert.Equal(["Dear Mr.", "Smith"], Split("Dear Mr.\n\nSmith")); // even after an abbreviation
    }

    [Fact]
    public void SingleLineBreak_InsideSentence_DoesNotSplit()
    {
        Assert.Single(Split("The crisis began in\nOctober and ended\r\nsoon after that."));
        Assert.Single(Split("It was a study of the\nSoviet Union."));
    }

    [Fact]
    public void Headings_OnTheirOwnLine()
    {
        Assert.Equal(["Cold War", "The crisis began."], Split("Cold War\nThe crisis began."));
        Assert.Equal(["Soviet Aims and Objectives:", "The removal of missiles."], Split("Soviet Aims and Objectives:\nThe removal of missiles."));
        Assert.Equal(["1. Introduction to the topic", "2. Background"], Split("1. Introduction to the topic\n2. Background"));
    }

    [Fact]
    public void LongWrappedLine_IsNotAHeading()
    {
        const string text = "The policy of containment had been shown not to be working, thus\nProving a failure.";
        Assert.Single(Split(text));
    }

    [Fact]
    public void SentenceStartingMidLine_ThenWrapped_IsNotAHeading()
    {
        // PDF text keeps its line breaks: the short tail of a wrapped line is not a heading.
        const string text = "America came out of the Crisis better. The impression that many in and outside\nRussia gained was lasting.";
        Assert.Equal(["America came out of the Crisis better.", "The impression that many in and outside\nRussia gained was lasting."], Split(text));
    }

    [Fact]
    public void EmptyAndWhitespace_GiveNoSentences()
    {
        Assert.Empty(Split(""));
        Assert.Empty(Split(" \r\n\t \n"));
        Assert.Equal(["x"], Split("  x  "));
    }

    [Fact]
    public void AppendsToList_WithoutTouchingExistingEntries()
    {
        var list = new List<(int Start, int End)> { (100, 200) };
        SentenceSplitter.Split("A cat. The dog.", list);
        Assert.Equal([(100, 200), (0, 6), (7, 15)], list);
    }

    [Fact]
    public void RangesAreOffsetsIntoTheOriginalText()
    {
        const string text = "  First one.\r\n\r\n Second one?  ";
        var list = new List<(int Start, int End)>();
        SentenceSplitter.Split(text, list);
        Assert.Equal([(2, 12), (17, 28)], list);
    }

    [Theory]
    [InlineData(" .")]
    [InlineData("a.")]
    [InlineData(".")]
    [InlineData("\n")]
    [InlineData("Mr. ")]
    [InlineData("- \n")]
    public void PathologicalInput_IsHandledInLinearTime(string unit)
    {
        // Each unit repeated 200,000 times: any rescanning of the current sentence per stop would take minutes.
        string text = "Start" + string.Concat(Enumerable.Repeat(unit, 200_000)) + "End";
        Assert.NotEmpty(Split(text));
    }

    private static string Example(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", name));

    [Fact]
    public void Example_Essay()
    {
        var s = Split(Example("essay.txt"));
        // All 20 full stops end sentences; the text has no abbreviations or decimals to trip over.
        Assert.Equal(20, s.Length);
        Assert.All(s, x => Assert.EndsWith(".", x));
        Assert.StartsWith("October 1962, saw the world", s[0]);
        Assert.Equal("Firstly Russian Missiles were removed from Cuba on 28th October 1962.", s[3]);
    }

    [Fact]
    public void Example_Paraphrased_EachSpacedStopEndsASentence()
    {
        string text = Example("essay-paraphrased.txt");
        var s = Split(text);
        var ranges = new List<(int Start, int End)>();
        SentenceSplitter.Split(text, ranges);

        int spacedStops = 0;
        for (int i = text.IndexOf(" .", StringComparison.Ordinal); i >= 0; i = text.IndexOf(" .", i + 1, StringComparison.Ordinal))
        {
            spacedStops++;
            Assert.Contains(ranges, r => r.End == i + 2);
        }
        // Plus "...conceded nothing. It appeared..." and "...ally of the U.S.\n This limited...".
        Assert.Equal(spacedStops + 2, s.Length);
        Assert.Contains("Cuba is now a close ally of the U.S.", s);
        Assert.Contains("This limited U.S. influence in European politics, it left Kennedy unable to speak freely .", s);
    }
}
