using Doppel.Engine.Alignment;
using Doppel.Engine.Fingerprints;
using Doppel.Engine.Language;
using Doppel.Engine.Language.WordNet;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Language;

public class SynonymsTests
{
    private static int Stem(string word) => Lexicon.Lookup(word, Hash64.Of(word), out _);

    [Fact]
    public void Parse_ReadsSingleWordLemmasAndPointers()
    {
        // An adjective satellite line: "(p)" markers are stripped, multi-word lemmas are left out, w_cnt is hex.
        const string line = "00095873 00 s 0a asleep(p) 0 at_peace(p) 2 at_rest(p) 0 deceased 0 departed 0 gone 0 a 1 b 1 c 1 d 1 003 & 00095280 a 0000 ;u 06605046 n 0000 + 09994943 n 0506 | dead";
        var s = WordNetReader.Parse(line, 'a')!;
        Assert.Equal("a00095873", s.Key);
        Assert.Equal(["asleep", "deceased", "departed", "gone", "a", "b", "c", "d"], s.Lemmas);
        Assert.Equal(3, s.Pointers.Length);
        Assert.Equal(("&", "a00095280"), s.Pointers[0]);
        Assert.Equal(("+", "n09994943"), s.Pointers[2]);
    }

    [Fact]
    public void Build_LinksSynsetMembersAndSimilarAdjectives_NotHypernyms()
    {
        var synsets = new[]
        {
            new Synset("n1", ["sheet", "slip"], [("@", "n2")]),
            new Synset("n2", ["piece"], []),
            new Synset("a1", ["dead"], [("&", "a2")]),
            new Synset("a2", ["deceased", "departed"], [("&", "a1")]),
            new Synset("n3", ["x", "ex", "10"], []),
        };
        var table = SynonymTableBuilder.Build(synsets);
        Assert.Equal(["slip"], table["sheet"]);
        Assert.False(table.ContainsKey("piece"));                  // hypernyms are not synonyms here
        Assert.Equal(["deceased", "departed"], table["dead"]);
        Assert.Contains("dead", table["deceased"]);
        Assert.Equal(["ex"], table["x"]);                          // numbers are never synonyms
        var w = new StringWriter { NewLine = "\n" };
        SynonymTableBuilder.Write(table, w);
        Assert.StartsWith("dead\tdeceased departed\n", w.ToString());
    }

    [Fact]
    public void ShippedTable_KnowsCommonSynonyms_InBothDirections()
    {
        Assert.Contains(Stem("sulphur"), Synonyms.Of(Stem("sulfur")).ToArray());
        Assert.Contains(Stem("sulfur"), Synonyms.Of(Stem("sulphur")).ToArray());
        Assert.Contains(Stem("purchase"), Synonyms.Of(Stem("buy")).ToArray());
        Assert.DoesNotContain(Stem("buy"), Synonyms.Of(Stem("buy")).ToArray());
        Assert.True(Synonyms.Of(-5).IsEmpty);
        Assert.True(Synonyms.Of(int.MaxValue - 1).IsEmpty);
    }

    [Fact]
    public void SynonymSpunCopy_IsFound_OnlyWithSynonymMatching()
    {
        const string source =
            "The committee decided to purchase a large automobile for the new director of the museum. " +
            "Several members thought the decision was foolish because the budget was already small. " +
            "The director said the vehicle would help her visit distant schools and villages every week. " +
            "In the end the board accepted the plan after a long and heated discussion about money.";
        const string spun =
            "The commission determined to buy a big car for the fresh manager of the museum. " +
            "Various members believed the determination was foolish since the budget was already little. " +
            "The manager stated the vehicle would aid her see remote schools and villages each week. " +
            "Finally the board took the program after a long and heated treatment about money.";
        var susp = DocumentAnalyzer.Analyze(spun, "spun");
        var src = DocumentAnalyzer.Analyze(source, "source");
        var with = PairAligner.Align(susp, src, AlignmentOptions.Default with { MinPassageChars = 50 });
        var without = PairAligner.Align(susp, src, AlignmentOptions.Default with { MinPassageChars = 50, Synonyms = false });
        Assert.Single(with);
        Assert.True(with[0].SuspiciousLength > 0.9 * spun.Length, $"covers {with[0].SuspiciousLength} of {spun.Length}");
        double coveredWithout = without.Sum(p => p.SuspiciousLength);
        Assert.True(coveredWithout < with[0].SuspiciousLength, $"without synonyms {coveredWithout} chars");
    }
}

public class SynonymOrderTests
{
    [Fact]
    public void RelatedStems_AreDistinct_AndStemHashesAreStableAcrossInflections()
    {
        foreach (var word in new[] { "buy", "big", "car", "decide", "sheet" })
        {
            var ids = Synonyms.Of(Lexicon.Lookup(word, Hash64.Of(word), out _)).ToArray();
            Assert.True(ids.Length > 1, word);
            Assert.Equal(ids.Length, ids.Distinct().Count());
        }
        // The table orders related stems by this hash, which (unlike ids) is the same in every run.
        static ulong HashOf(string w) => Lexicon.StemHash(Lexicon.Lookup(w, Hash64.Of(w), out _));
        Assert.Equal(HashOf("purchase"), HashOf("purchasing"));
        Assert.NotEqual(HashOf("purchase"), HashOf("bargain"));
    }
}
