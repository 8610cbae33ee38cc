using System.Text;
using Doppel.Engine.Language;
using Xunit;

namespace Doppel.Tests.Language;

public class EnglishStemmerTests
{
    [Theory]
    // exceptional forms (checked before anything else)
    [InlineData("skis", "ski")]
    [InlineData("skies", "sky")]
    [InlineData("dying", "die")]
    [InlineData("lying", "lie")]
    [InlineData("tying", "tie")]
    [InlineData("idly", "idl")]
    [InlineData("gently", "gentl")]
    [InlineData("ugly", "ugli")]
    [InlineData("early", "earli")]
    [InlineData("only", "onli")]
    [InlineData("singly", "singl")]
    [InlineData("sky", "sky")]
    [InlineData("news", "news")]
    [InlineData("howe", "howe")]
    [InlineData("atlas", "atlas")]
    [InlineData("cosmos", "cosmos")]
    [InlineData("bias", "bias")]
    [InlineData("andes", "andes")]
    // invariant after step 1a
    [InlineData("inning", "inning")]
    [InlineData("innings", "inning")]
    [InlineData("outing", "outing")]
    [InlineData("outings", "outing")]
    [InlineData("canning", "canning")]
    [InlineData("herring", "herring")]
    [InlineData("herrings", "herring")]
    [InlineData("earring", "earring")]
    [InlineData("proceed", "proceed")]
    [InlineData("proceeds", "proceed")]
    [InlineData("exceed", "exceed")]
    [InlineData("succeed", "succeed")]
    public void ExceptionalForms(string word, string expected) => Assert.Equal(expected, EnglishStemmer.Stem(word));

    [Theory]
    [InlineData("consignment", "consign")]
    [InlineData("generously", "generous")]
    [InlineData("generate", "generat")]
    [InlineData("communism", "communism")]
    [InlineData("arsenal", "arsenal")]
    [InlineData("kennedy's", "kennedi")]
    [InlineData("'tis", "tis")]
    [InlineData("dogs'", "dog")]
    [InlineData("youth's'", "youth")]
    [InlineData("yelling", "yell")]
    [InlineData("sayings", "say")]
    [InlineData("cries", "cri")]
    [InlineData("ties", "tie")]
    [InlineData("gas", "gas")]
    [InlineData("gaps", "gap")]
    [InlineData("caress", "caress")]
    [InlineData("luxuriating", "luxuri")]
    [InlineData("hopping", "hop")]
    [InlineData("hoped", "hope")]
    [InlineData("bleed", "bleed")]
    [InlineData("agreed", "agre")]
    [InlineData("cry", "cri")]
    [InlineData("by", "by")]
    [InlineData("say", "say")]
    [InlineData("relational", "relat")]
    [InlineData("archaeology", "archaeolog")]
    [InlineData("fluently", "fluentli")]
    [InlineData("ad", "ad")]
    [InlineData("is", "is")]
    [InlineData("", "")]
    public void HandExamples(string word, string expected) => Assert.Equal(expected, EnglishStemmer.Stem(word));

    [Fact]
    public void MatchesPublishedSnowballVocabularySample()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "snowball-english-sample.tsv");
        var mismatches = new StringBuilder();
        int total = 0, failed = 0;
        Span<char> buffer = stackalloc char[128];
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            string[] parts = line.Split('\t');
            Assert.True(parts.Length == 2, $"malformed fixture line: '{line}'");
            total++;
            string word = parts[0], expected = parts[1];
            string viaString = EnglishStemmer.Stem(word);
            string viaSpan = new(buffer[..EnglishStemmer.Stem(word, buffer)]);
            if (viaString != expected || viaSpan != expected)
            {
                failed++;
                if (failed <= 50)
                    mismatches.AppendLine($"{word}: expected '{expected}', got '{viaString}' (span '{viaSpan}')");
            }
        }
        Assert.True(total >= 2000, $"fixture too small: {total} pairs");
        Assert.True(failed == 0, $"{failed} of {total} words disagree with Snowball:\n{mismatches}");
    }

    [Fact]
    public void SpanOverloadCanStemInPlace()
    {
        char[] buffer = "generously".ToCharArray();
        int n = EnglishStemmer.Stem(buffer, buffer);
        Assert.Equal("generous", new string(buffer, 0, n));
    }

    [Fact]
    public void SpanOverloadRejectsShortDestination()
    {
        Assert.Throws<ArgumentException>(() => EnglishStemmer.Stem("running".AsSpan(), new char[3]));
    }

    [Fact]
    public void StringOverloadReturnsSameInstanceWhenUnchanged()
    {
        string word = "abbey";
        Assert.Same(word, EnglishStemmer.Stem(word));
    }

    [Fact]
    public void SpanOverloadDoesNotAllocate()
    {
        string[] words =
        [
            "consignment", "generously", "kennedy's", "skies", "dying", "proceeding", "happily",
            "relational", "'tis", "sayings", "hopping", "archaeology", "electricity", "communism", "a",
        ];
        Span<char> buffer = stackalloc char[64];
        foreach (string w in words)
            EnglishStemmer.Stem(w, buffer); // warm-up (JIT, static init)

        long before = GC.GetAllocatedBytesForCurrentThread();
        int totalLength = 0;
        for (int i = 0; i < 1_000; i++)
        {
            foreach (string w in words)
                totalLength += EnglishStemmer.Stem(w, buffer);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(totalLength > 0);
        Assert.Equal(0, allocated);
    }
}
