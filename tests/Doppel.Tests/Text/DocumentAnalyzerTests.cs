using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Text;

public class DocumentAnalyzerTests
{
    /// <summary>The original text of every token.</summary>
    internal static string[] Tokens(AnalyzedDocument d)
        => Enumerable.Range(0, d.TokenCount).Select(i => d.Text[d.TokenStart[i]..d.TokenEnd[i]]).ToArray();

    [Fact]
    public void Words_AreTokens_PunctuationIsNot()
    {
        var d = DocumentAnalyzer.Analyze("Hello, world! This is (a) test; isn't it?");
        Assert.Equal(["Hello", "world", "This", "is", "a", "test", "isn't", "it"], Tokens(d));
    }

    [Fact]
    public void Numbers_KeepDigitSeparators()
    {
        var d = DocumentAnalyzer.Analyze("It cost 1,000.5 dollars, or 3.14 each; 2, 3. Then 7.");
        Assert.Equal(["It", "cost", "1,000.5", "dollars", "or", "3.14", "each", "2", "3", "Then", "7"], Tokens(d));
    }

    [Fact]
    public void Apostrophes_InsideWords_StayInTheToken()
    {
        var d = DocumentAnalyzer.Analyze("I don't think Kennedy's speech was 'bad' or rock 'n' roll.");
        var t = Tokens(d);
        Assert.Contains("don't", t);
        Assert.Contains("Kennedy's", t);
        Assert.Contains("bad", t);      // quotes around a word are not part of it
        Assert.DoesNotContain("'bad'", t);
        Assert.Contains("n", t);
    }

    [Fact]
    public void CurlyApostrophe_StaysInTheToken_AndOffsetsPointAtTheOriginal()
    {
        const string text = "We don\u2019t know.";
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(["We", "don\u2019t", "know"], Tokens(d));
    }

    [Fact]
    public void Hyphens_SplitWords()
    {
        var d = DocumentAnalyzer.Analyze("The anti-virus update is well\u2013known.");
        Assert.Equal(["The", "anti", "virus", "update", "is", "well", "known"], Tokens(d));
    }

    [Fact]
    public void TokenisedPunctuation_SpaceDot_IsNotAToken()
    {
        // PAN-style pre-tokenised text: " ." and " ," are separate but never tokens.
        var d = DocumentAnalyzer.Analyze("Kennedy won the crisis . One of the consequences , however , was this .");
        Assert.Equal(["Kennedy", "won", "the", "crisis", "One", "of", "the", "consequences", "however", "was", "this"], Tokens(d));
        Assert.All(Tokens(d), t => Assert.True(t.All(char.IsLetterOrDigit)));
    }

    [Fact]
    public void TokenOffsets_PointAtTheOriginal_AfterMojibake()
    {
        const string text = "It\u00E2\u20AC\u2122s Kennedy\u00E2\u20AC\u2122s speech \u2014 \uFB01nal.";
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(["It\u00E2\u20AC\u2122s", "Kennedy\u00E2\u20AC\u2122s", "speech", "\uFB01nal"], Tokens(d));
        Assert.Equal(text.IndexOf("speech", StringComparison.Ordinal), d.TokenStart[2]);
        Assert.Equal(text.IndexOf("speech", StringComparison.Ordinal) + 6, d.TokenEnd[2]);
        // The repaired form hashes like the clean one: "Kennedy’s" with mojibake == "Kennedy's".
        var clean = DocumentAnalyzer.Analyze("It's Kennedy's speech - final.");
        Assert.Equal(clean.WordHash[1], d.WordHash[1]);
        Assert.Equal(clean.WordHash[3], d.WordHash[3]);
    }

    [Fact]
    public void TokenOffsets_PointAtTheOriginal_AfterCrlfAndInvisibleCharacters()
    {
        const string text = "first line\r\nsec\u00ADond\u200B line\r\n\r\nthird";
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(["first", "line", "sec\u00ADond", "line", "third"], Tokens(d));
        var clean = DocumentAnalyzer.Analyze("second");
        Assert.Equal(clean.WordHash[0], d.WordHash[2]);
    }

    [Fact]
    public void CaseIsFoldedInHashes_NotInOffsets()
    {
        var a = DocumentAnalyzer.Analyze("CUBAN Missile");
        var b = DocumentAnalyzer.Analyze("cuban missile");
        Assert.Equal(a.WordHash, b.WordHash);
        Assert.Equal(["CUBAN", "Missile"], Tokens(a));
    }

    [Fact]
    public void Stopwords_AreMarked()
    {
        var d = DocumentAnalyzer.Analyze("the missile and the crisis");
        Assert.Equal([true, false, true, true, false], d.IsStopword);
    }

    [Fact]
    public void EmptyAndBlankText_HaveNoTokensOrUnits()
    {
        foreach (var text in new[] { "", "   ", "\r\n\r\n", "\u200B\u00AD" })
        {
            var d = DocumentAnalyzer.Analyze(text);
            Assert.Equal(0, d.TokenCount);
            Assert.Equal(0, d.UnitCount);
        }
        // Punctuation only: no tokens (the current splitter still makes one empty unit of it; not asserted).
        var p = DocumentAnalyzer.Analyze(" . , ; ");
        Assert.Equal(0, p.TokenCount);
        Assert.True(p.UnitTerms.Length == 0, "no units");
    }

    [Fact]
    public void LongSentences_AreOneUnitEach()
    {
        const string s1 = "The committee approved the budget proposal yesterday.";
        const string s2 = "Critics warned that spending would rise sharply next year.";
        string text = s1 + " " + s2;
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(2, d.UnitCount);
        Assert.Equal((0, s1.Length), d.UnitSpan(0));
        Assert.Equal((s1.Length + 1, text.Length), d.UnitSpan(1));
        Assert.Equal(0, d.UnitTokenStart[0]);
        Assert.Equal(7, d.UnitTokenStart[1]);
        Assert.Equal(d.TokenCount, d.UnitTokenStart[2]);
    }

    [Fact]
    public void OverlongSentences_AreCutIntoPieces_AtNearbyBreaks()
    {
        // 100 words and no full stop but the last: three pieces of about 33 words. A comma sits 3 words after the
        // first ideal cut, a line break 4 words before the second.
        var words = Enumerable.Range(0, 100).Select(i => "word" + (char)('a' + i % 26) + (char)('a' + i / 26)).ToArray();
        words[35] += ",";
        words[61] += "\n";
        string text = string.Join(" ", words).Replace("\n ", "\n") + ".";
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(3, d.UnitCount);
        Assert.Equal([0, 36, 62, 100], d.UnitTokenStart[..4]);
        Assert.Equal(text.IndexOf(',') + 1, d.UnitCharEnd[0]);
        Assert.Equal(text.IndexOf("wordkc", StringComparison.Ordinal), d.UnitCharStart[2]);
        Assert.Equal(text.Length, d.UnitCharEnd[2]);
        // Without a break nearby, pieces are equal; no piece is longer than the limit.
        var plain = DocumentAnalyzer.Analyze(string.Join(" ", words.Select(w => w.TrimEnd(',', '\n'))) + ".");
        Assert.Equal([0, 33, 66, 100], plain.UnitTokenStart[..4]);
        for (int u = 0; u < plain.UnitCount; u++)
            Assert.InRange(plain.UnitTokenStart[u + 1] - plain.UnitTokenStart[u], 1, DocumentAnalyzer.MaxUnitTokens);
    }

    [Fact]
    public void ShortSentences_MergeIntoTheNextUnit()
    {
        const string text = "Yes. Thus. The committee approved the budget proposal yesterday. Critics warned that spending would rise.";
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(2, d.UnitCount);
        int second = text.IndexOf("Critics", StringComparison.Ordinal);
        Assert.Equal((0, second - 1), d.UnitSpan(0)); // "Yes. Thus. The committee ... yesterday."
        Assert.Equal((second, text.Length), d.UnitSpan(1));
        Assert.Equal(0, d.UnitTokenStart[0]);
    }

    [Fact]
    public void ShortTail_JoinsThePreviousUnit()
    {
        const string text = "The committee approved the budget proposal yesterday. Fine. Ok.";
        var d = DocumentAnalyzer.Analyze(text);
        Assert.Equal(1, d.UnitCount);
        Assert.Equal((0, text.Length), d.UnitSpan(0));
    }

    [Fact]
    public void UnitTermVectors_CountContentStems()
    {
        var d = DocumentAnalyzer.Analyze("Missiles and missile bases: the missile crisis.");
        Assert.Equal(1, d.UnitCount);
        // Content stems: missil (x3), base, crisi -> 3 distinct terms with counts summing to 5.
        Assert.Equal(3, d.ContentTermCount(0));
        Assert.Equal(5, d.UnitTermFreq.Sum());
        Assert.Equal(d.UnitTerms.Length, d.PostingTerm.Length);
    }

    [Fact]
    public void UnitSpans_AreOrdered_AndInsideTheText()
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "essay.txt"));
        var d = DocumentAnalyzer.Analyze(text, "essay.txt");
        Assert.Equal("essay.txt", d.Name);
        Assert.True(d.UnitCount > 5);
        for (int u = 0; u < d.UnitCount; u++)
        {
            var (s, e) = d.UnitSpan(u);
            Assert.InRange(s, 0, e - 1);
            Assert.InRange(e, s + 1, text.Length);
            if (u > 0) Assert.True(s >= d.UnitCharEnd[u - 1]);
            Assert.True(d.UnitTokenStart[u] <= d.UnitTokenStart[u + 1]);
            // The unit's tokens lie inside its span.
            for (int t = d.UnitTokenStart[u]; t < d.UnitTokenStart[u + 1]; t++)
                Assert.True(d.TokenStart[t] >= s && d.TokenEnd[t] <= e, $"token {t} outside unit {u}");
        }
    }
}
