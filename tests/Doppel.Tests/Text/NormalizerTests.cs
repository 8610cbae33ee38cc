using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Text;

/// <summary>
/// The normaliser and its offset map: every normalised character k came from the original characters
/// [OriginalStart[k], OriginalEnd[k]).
/// </summary>
public class NormalizerTests
{
    /// <summary>The original span of each normalised character, as (start, end) pairs.</summary>
    private static (int Start, int End)[] Map(NormalizedText n)
        => Enumerable.Range(0, n.Length).Select(k => (n.OriginalStart[k], n.OriginalEnd[k])).ToArray();

    [Fact]
    public void PlainAscii_IsUnchanged_AndMapsOneToOne()
    {
        const string text = "The quick brown fox, 42 times.";
        var n = Normalizer.Normalize(text);
        Assert.Equal(text, n.ToString());
        Assert.Equal(text, n.Original);
        Assert.Equal(Enumerable.Range(0, text.Length).Select(i => (i, i + 1)), Map(n));
        Assert.Equal((0, text.Length), n.ToOriginal(0, n.Length));
    }

    [Theory]
    [InlineData("\u201CQuoted\u201D", "\"Quoted\"")]
    [InlineData("\u2018single\u2019", "'single'")]
    [InlineData("\u201Elow\u201C \u00ABguillemets\u00BB", "\"low\" \"guillemets\"")]
    [InlineData("it\u2019s", "it's")]
    [InlineData("a\u2013b\u2014c\u2212d\u2010e", "a-b-c-d-e")]
    [InlineData("tab\there", "tab here")]
    [InlineData("no\u00A0break", "no break")]
    public void QuotesDashesAndSpaces_FoldToAscii_OneToOne(string input, string expected)
    {
        var n = Normalizer.Normalize(input);
        Assert.Equal(expected, n.ToString());
        // All these are one-to-one replacements: the map is the identity.
        Assert.Equal(Enumerable.Range(0, input.Length).Select(i => (i, i + 1)), Map(n));
    }

    [Fact]
    public void Mojibake_Apostrophe_IsRepaired_AndMapsToAllThreeCharacters()
    {
        const string text = "Kennedy\u00E2\u20AC\u2122s"; // "Kennedyâ€™s": UTF-8 of U+2019 read as cp1252
        Assert.Equal(11, text.Length);
        var n = Normalizer.Normalize(text);
        Assert.Equal("Kennedy's", n.ToString());
        var map = Map(n);
        for (int k = 0; k < 7; k++) Assert.Equal((k, k + 1), map[k]);
        Assert.Equal((7, 10), map[7]);   // the apostrophe came from "â€™"
        Assert.Equal((10, 11), map[8]);  // 's'
        Assert.Equal((7, 10), n.ToOriginal(7, 8));
        Assert.Equal((0, 11), n.ToOriginal(0, 9));
        Assert.Equal("\u00E2\u20AC\u2122s", Slice(text, n.ToOriginal(7, 9)));
    }

    [Fact]
    public void Mojibake_InsideSentence_ShiftsLaterOffsetsCorrectly()
    {
        const string text = "It\u00E2\u20AC\u2122s Kennedy\u00E2\u20AC\u2122s speech.";
        var n = Normalizer.Normalize(text);
        Assert.Equal("It's Kennedy's speech.", n.ToString());
        int k = n.ToString().IndexOf("speech", StringComparison.Ordinal);
        Assert.Equal("speech", Slice(text, n.ToOriginal(k, k + 6)));
        int kk = n.ToString().IndexOf("Kennedy's", StringComparison.Ordinal);
        Assert.Equal("Kennedy\u00E2\u20AC\u2122s", Slice(text, n.ToOriginal(kk, kk + 9)));
    }

    [Fact]
    public void Crlf_BecomesOneLineBreak_MappedToBothCharacters()
    {
        const string text = "one\r\ntwo\rthree\nfour";
        var n = Normalizer.Normalize(text);
        Assert.Equal("one\ntwo\nthree\nfour", n.ToString());
        var map = Map(n);
        Assert.Equal((3, 5), map[3]);     // CRLF -> one \n covering both characters
        Assert.Equal((5, 6), map[4]);     // 't' of "two"
        Assert.Equal((8, 9), map[7]);     // lone CR -> \n
        Assert.Equal((14, 15), map[13]);  // LF stays
        Assert.Equal("two", Slice(text, n.ToOriginal(4, 7)));
        Assert.Equal("four", Slice(text, n.ToOriginal(14, 18)));
    }

    [Fact]
    public void Ligature_ExpandsToTwoCharacters_BothMappedToTheOriginalOne()
    {
        const string text = "\uFB01ne of\uFB02ine"; // "ﬁne oﬂine"
        var n = Normalizer.Normalize(text);
        Assert.Equal("fine offline", n.ToString());
        var map = Map(n);
        Assert.Equal((0, 1), map[0]); // 'f' <- 'ﬁ'
        Assert.Equal((0, 1), map[1]); // 'i' <- 'ﬁ'
        Assert.Equal((1, 2), map[2]); // 'n'
        Assert.Equal((6, 7), map[7]); // 'f' <- 'ﬂ'
        Assert.Equal((6, 7), map[8]); // 'l' <- 'ﬂ'
        Assert.Equal((0, 3), n.ToOriginal(0, 4));          // "fine" <- "ﬁne"
        Assert.Equal("of\uFB02ine", Slice(text, n.ToOriginal(5, 12)));
    }

    [Fact]
    public void FullWidthLetters_AndDigits_FoldByNfkc()
    {
        const string text = "\uFF21\uFF22\uFF23 \uFF11\uFF12\uFF13"; // "ＡＢＣ １２３"
        var n = Normalizer.Normalize(text);
        Assert.Equal("ABC 123", n.ToString());
        Assert.Equal(Enumerable.Range(0, text.Length).Select(i => (i, i + 1)), Map(n));
    }

    [Fact]
    public void ZeroWidthCharacters_AndSoftHyphen_AreDropped()
    {
        const string text = "co\u200Bop\u00ADer\u200Cat\u200De\u2060d\uFEFF!";
        var n = Normalizer.Normalize(text);
        Assert.Equal("cooperated!", n.ToString());
        var map = Map(n);
        Assert.Equal((3, 4), map[2]);   // the 'o' after the zero-width space
        Assert.Equal((6, 7), map[4]);   // 'e' after the soft hyphen
        Assert.Equal((16, 17), map[10]); // '!' after the BOM
        Assert.Equal((0, text.Length), n.ToOriginal(0, n.Length));
    }

    [Fact]
    public void SurrogatePairs_AreKept_AsTwoUnitsOfTheSamePair()
    {
        const string text = "a\U0001F600b";
        var n = Normalizer.Normalize(text);
        Assert.Equal(text, n.ToString());
        var map = Map(n);
        Assert.Equal((1, 3), map[1]);
        Assert.Equal((1, 3), map[2]);
        Assert.Equal((3, 4), map[3]);
    }

    [Fact]
    public void EmptyText_AndEmptySpans()
    {
        var n = Normalizer.Normalize("");
        Assert.Equal(0, n.Length);
        Assert.Equal((0, 0), n.ToOriginal(0, 0));

        var m = Normalizer.Normalize("ab\u00E2\u20AC\u2122c");
        Assert.Equal((2, 2), m.ToOriginal(2, 2));   // empty span at the repaired apostrophe: its start
        Assert.Equal((6, 6), m.ToOriginal(4, 4));   // empty span at the end: the original length
    }

    [Fact]
    public void Map_IsMonotonic_NonEmpty_AndCoversEveryVisibleCharacter()
    {
        const string text = "\u201CKennedy\u00E2\u20AC\u2122s\u201D \uFB01nal\r\nword\u00AD \uFF21\u2014x\u200B y\t\U0001F600.";
        var n = Normalizer.Normalize(text);
        var map = Map(n);
        for (int k = 0; k < map.Length; k++)
        {
            Assert.True(map[k].Start < map[k].End, $"empty source span at {k}");
            Assert.InRange(map[k].End, 1, text.Length);
            if (k > 0)
            {
                Assert.True(map[k].Start >= map[k - 1].Start, $"start goes back at {k}");
                // Either the same group (expansion) or the next group starts where the previous ended or later.
                Assert.True(map[k] == map[k - 1] || map[k].Start >= map[k - 1].End, $"groups overlap at {k}");
            }
        }
        // Every original character that is not dropped (soft hyphen, zero-width) is covered by some group.
        var covered = new bool[text.Length];
        foreach (var (s, e) in map) for (int i = s; i < e; i++) covered[i] = true;
        for (int i = 0; i < text.Length; i++)
            Assert.True(covered[i] || text[i] is '\u00AD' or '\u200B', $"original char {i} (U+{(int)text[i]:X4}) unmapped");
    }

    [Fact]
    public void ToOriginal_RoundTrips_OnWholeGroups()
    {
        // For any normalised span made of whole groups, normalising the original slice it maps to gives it back.
        const string text = "Say \u201Chi\u201D \u2014 it\u00E2\u20AC\u2122s \uFB01ne.\r\nNext\u00ADline \uFF21\uFF22 x\u200By \U0001F600 end";
        var n = Normalizer.Normalize(text);
        string norm = n.ToString();
        var starts = Enumerable.Range(0, n.Length).Where(k => k == 0 || (n.OriginalStart[k], n.OriginalEnd[k]) != (n.OriginalStart[k - 1], n.OriginalEnd[k - 1])).ToList();
        var ends = starts.Skip(1).Append(n.Length).ToList();
        int checkedSpans = 0;
        foreach (int a in starts)
            foreach (int b in ends)
            {
                if (b <= a) continue;
                var (os, oe) = n.ToOriginal(a, b);
                Assert.Equal(norm[a..b], Normalizer.Normalize(text[os..oe]).ToString());
                checkedSpans++;
            }
        Assert.True(checkedSpans > 100);
    }

    private static string Slice(string text, (int Start, int End) span) => text[span.Start..span.End];
}
