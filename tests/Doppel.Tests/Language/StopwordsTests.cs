using Doppel.Engine.Language;
using Xunit;

namespace Doppel.Tests.Language;

public class StopwordsTests
{
    [Theory]
    [InlineData("the")]
    [InlineData("i")]
    [InlineData("a")]
    [InlineData("ourselves")]
    [InlineData("don't")]
    [InlineData("isn't")]
    [InlineData("cannot")]
    [InlineData("let's")]
    [InlineData("very")]
    [InlineData("ought")]
    public void KnownStopwordsAreRecognised(string word) => Assert.True(Stopwords.IsStopword(word));

    [Theory]
    [InlineData("plagiarism")]
    [InlineData("")]
    [InlineData("The")] // callers lowercase first; the lookup is ordinal
    [InlineData("dont")] // apostrophe-less forms are deliberately not listed
    [InlineData("us")] // commented out in the Snowball list (US = United States)
    [InlineData("will")]
    [InlineData("mine")]
    public void OtherWordsAreNotStopwords(string word) => Assert.False(Stopwords.IsStopword(word));

    [Fact]
    public void ListMatchesSnowballSize()
    {
        Assert.Equal(174, Stopwords.All.Count);
        Assert.All(Stopwords.All, w => Assert.Equal(w.ToLowerInvariant(), w));
        Assert.All(Stopwords.All, w => Assert.True(Stopwords.IsStopword(w)));
    }

    [Fact]
    public void SpanLookupWorksOnSlicesOfLargerText()
    {
        ReadOnlySpan<char> text = "xx the yy";
        Assert.True(Stopwords.IsStopword(text.Slice(3, 3)));
        Assert.False(Stopwords.IsStopword(text.Slice(2, 4)));
    }

    [Fact]
    public void LookupDoesNotAllocate()
    {
        ReadOnlySpan<char> text = "because plagiarism the";
        Stopwords.IsStopword(text[..7]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int hits = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (Stopwords.IsStopword(text[..7])) hits++;
            if (Stopwords.IsStopword(text.Slice(8, 10))) hits++;
            if (Stopwords.IsStopword(text[19..])) hits++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20_000, hits);
        Assert.Equal(0, allocated);
    }
}
