using Doppel.Engine.Alignment;
using Doppel.Engine.Exclusions;
using Doppel.Engine.Reports;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Exclusions;

public class ExclusionTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "exclusions", name);

    private static List<string> Quotes(string text) =>
        ExclusionFinder.Find(text).Where(s => s.Kind == ExcludedKind.Quote).Select(s => text.Substring(s.Start, s.Length)).ToList();

    [Theory]
    [InlineData("He said \"the end is near\" and left.", "\"the end is near\"")]
    [InlineData("He said “the end is near” and left.", "“the end is near”")]
    [InlineData("Er sagte „das Ende ist nah“ und ging.", "„das Ende ist nah“")]
    [InlineData("Il a dit « la fin est proche » et il est parti.", "« la fin est proche »")]
    [InlineData("Er sagte »das Ende ist nah« und ging.", "»das Ende ist nah«")]
    [InlineData("She called it ‘a narrow escape’ in her memoir.", "‘a narrow escape’")]
    [InlineData("She called it 'a narrow escape' in her memoir.", "'a narrow escape'")]
    public void Quotations_in_every_style_are_found(string text, string quote) =>
        Assert.Equal([quote], Quotes(text));

    [Theory]
    [InlineData("Kennedy’s aides didn’t know; the 12\" guns and the 1960s’ mood were not quotes.")]
    [InlineData("An opening \" that never closes\n\nand a new paragraph with \"text.")]
    [InlineData("It's the students' essays' topic, isn't it?")]
    public void Apostrophes_inches_and_unclosed_marks_are_not_quotations(string text) => Assert.Empty(Quotes(text));

    [Fact]
    public void Markdown_block_quotes_and_reader_regions_are_block_quotations()
    {
        string text = "Intro line.\n> quoted line one\n> quoted line two\nAfter.";
        var span = Assert.Single(ExclusionFinder.Find(text), s => s.Kind == ExcludedKind.BlockQuote);
        Assert.Equal("> quoted line one\n> quoted line two", text.Substring(span.Start, span.Length));

        var fromReader = ExclusionFinder.Find("abc def ghi", [new TextRegion(4, 3, TextRegionKind.BlockQuote)]);
        Assert.Contains(new ExcludedSpan(4, 3, ExcludedKind.BlockQuote), fromReader);
    }

    [Theory]
    [InlineData("References")]
    [InlineData("## Bibliography")]
    [InlineData("7. Works Cited")]
    [InlineData("LITERATURE CITED:")]
    public void Bibliography_is_found_by_its_heading_and_ends_at_an_appendix(string heading)
    {
        string text = $"Body text of the essay.\n\n{heading}\nSome entry without a year\nAnother entry\n\nAppendix A\nTables.";
        var span = Assert.Single(ExclusionFinder.Find(text), s => s.Kind == ExcludedKind.Bibliography);
        string found = text.Substring(span.Start, span.Length);
        Assert.StartsWith(heading, found);
        Assert.EndsWith("Another entry", found);
    }

    [Fact]
    public void Reference_lines_without_a_heading_are_found_by_their_shape_but_prose_with_years_is_not()
    {
        string refs = "Smith, J. (2019). A study of things. Journal of Tests, 4(2), pp. 1-20.\n"
            + "[2] Jones, A. and Brown, B. (2020). Another study. Oxford University Press.\n"
            + "van der Berg, K. (2018). Title of a book. doi:10.1000/xyz123\n";
        string prose = "In 1962 the world held its breath. By 1963 a hotline was installed. In 1964 Khrushchev fell from power.\n";
        string text = prose + "\n" + refs;
        var span = Assert.Single(ExclusionFinder.Find(text), s => s.Kind == ExcludedKind.Bibliography);
        Assert.StartsWith("Smith, J.", text[span.Start..]);
        Assert.False(ExclusionFinder.LooksLikeReference(prose.Split('\n')[0]));
    }

    [Fact]
    public void Quoted_and_referenced_source_counts_with_exclusions_off_and_not_with_them_on()
    {
        var susp = DocumentAnalyzer.Analyze(File.ReadAllText(Fixture("quoting-essay.txt")), "quoting-essay.txt");
        var src = DocumentAnalyzer.Analyze(File.ReadAllText(Fixture("quoted-source.txt")), "quoted-source.txt");
        var passages = PairAligner.Align(susp, src);
        AlignedSource[] sources = [new(src, "quoted-source.txt", "quoted-source.txt", passages)];

        var off = ReportBuilder.Build(susp, "quoting-essay.txt", "quoting-essay.txt", sources);
        // Off: the quotation and the shared reference list are reuse like any other (each about a fifth of the essay).
        Assert.Equal(2, off.Sources[0].Passages.Count);
        Assert.All(off.Sources[0].Passages, p => Assert.Null(p.Excluded));
        Assert.InRange(off.Coverage, 0.4, 0.7);

        var on = ReportBuilder.Build(susp, "quoting-essay.txt", "quoting-essay.txt", sources, options: new ReportOptions
        {
            Exclusions = new ExclusionOptions { Quotes = true, Bibliography = true },
        });
        Assert.Equal(0, on.CoveredLength);
        Assert.Equal(0, on.Sources[0].CoveredLength);
        Assert.Equal(["quote", "bibliography"], on.Sources[0].Passages.Select(p => p.Excluded));
        // The evidence stays in the report with its offsets.
        Assert.Equal(off.Sources[0].Passages.Select(p => p.Suspicious.Start), on.Sources[0].Passages.Select(p => p.Suspicious.Start));

        // One exclusion at a time removes just its part.
        var quotesOnly = ReportBuilder.Build(susp, "s", "s", sources, options: new ReportOptions { Exclusions = new ExclusionOptions { Quotes = true } });
        int quoteLength = off.Sources[0].Passages[0].Suspicious.Length;
        Assert.Equal(off.CoveredLength - quoteLength, quotesOnly.CoveredLength);
    }

    [Fact]
    public void Partly_quoted_passages_count_only_outside_the_quotation_and_min_words_drops_short_ones()
    {
        string text = "Own words here. \"Quoted words inside marks\" then seven more words of the passage end.";
        var spans = ExclusionFinder.Find(text);
        var filter = new ExclusionFilter(text, spans, new ExclusionOptions { Quotes = true });
        var passage = new AlignedPassage(0, text.Length, 0, text.Length, 1, PassageKind.Verbatim, []);
        var pieces = new List<(int Start, int End)>();
        Assert.Null(filter.Classify(passage, false, pieces));
        Assert.Equal(text.Length - "\"Quoted words inside marks\"".Length, pieces.Sum(p => p.End - p.Start));

        var strict = new ExclusionFilter(text, spans, new ExclusionOptions { Quotes = true, MinMatchWords = 20 });
        Assert.Equal("short", strict.Classify(passage, false, pieces));
        Assert.Empty(pieces);
        Assert.Equal("source", filter.Classify(passage, true, pieces));
    }

    [Theory]
    [InlineData("essay.txt", "essay.txt", true)]
    [InlineData("ESSAY.TXT", "essay.txt", true)]
    [InlineData("*.txt", "essay.txt", true)]
    [InlineData("wiki/*", "wiki/cuba.txt", true)]
    [InlineData("ess?y.txt", "essay.txt", true)]
    [InlineData("essay", "essay.txt", false)]
    public void Named_sources_match_by_name_path_or_wildcard(string pattern, string name, bool excluded) =>
        Assert.Equal(excluded, new ExclusionOptions { Sources = [pattern] }.ExcludesSource(name, "corpus/" + name));
}
