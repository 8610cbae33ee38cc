using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Text;

public class ScholarlyMarkupTests
{
    internal static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "papers", name));

    private static string[] Texts(string text, MarkupAnalysis m, MarkupKind kind) =>
        m.Spans.Where(s => s.Kind == kind).Select(s => text[s.Start..s.End]).ToArray();

    [Fact]
    public void Latex_math_and_commands_are_found_with_exact_offsets()
    {
        const string text = "We set $x_{1}=0$ and \\(y\\) here. Then\n\\[\n\\sum_i a_i\n\\]\nholds, and \\begin{align}a&=b\\end{align} (12)\n"
            + "also $$\\int f$$ with \\mathbb{R}^{n} and \\cite{smith20} but \\emph{two words} stay text.";
        var m = ScholarlyMarkup.Find(text);
        Assert.False(m.IsPaper);
        Assert.Equal(["$x_{1}=0$", "\\(y\\)", "\\[\n\\sum_i a_i\n\\]", "\\begin{align}a&=b\\end{align}", "$$\\int f$$"], Texts(text, m, MarkupKind.Math));
        Assert.Equal(["(12)"], Texts(text, m, MarkupKind.EquationNumber));
        Assert.Equal(["\\mathbb{R}^{n}", "\\cite{smith20}", "\\emph"], Texts(text, m, MarkupKind.Command));
    }

    [Fact]
    public void Dollar_amounts_are_not_math()
    {
        var m = ScholarlyMarkup.Find("The ticket costs $5 and the meal $10, so $15 in all.\n");
        Assert.Empty(m.Spans);
    }

    [Fact]
    public void A_latex_paper_has_citations_headings_references_and_front_matter()
    {
        string text = Fixture("paper-a.txt");
        var m = ScholarlyMarkup.Find(text);
        Assert.True(m.IsPaper);
        var front = Assert.Single(m.Spans, s => s.Kind == MarkupKind.FrontMatter);
        Assert.Equal(0, front.Start);
        Assert.EndsWith("Abstract", text[front.Start..front.End]);
        var refs = Assert.Single(m.Spans, s => s.Kind == MarkupKind.References);
        Assert.StartsWith("References\n\nFeige and Ofek [2005]", text[refs.Start..]);
        Assert.Equal(text.Length, refs.End);
        Assert.Contains("Feige and Ofek [2005]", Texts(text, m, MarkupKind.Citation));
        Assert.Contains("( Krivelevich and Sudakov [2003] )", Texts(text, m, MarkupKind.Citation));
        Assert.Equal(["1 Introduction", "2 Main Result"], Texts(text, m, MarkupKind.SectionHeading));
        Assert.Contains("(3)", Texts(text, m, MarkupKind.EquationNumber));
    }

    [Fact]
    public void A_plain_text_with_a_bibliography_is_not_a_paper()
    {
        string text = "Abstract\n\nA short essay on rivers and the towns along them, as told by " + string.Concat(Enumerable.Repeat("travellers (Smith, 2001) ", 6))
            + ".\n\nReferences\n\nSmith, J. 2001. Rivers. London.\n";
        Assert.False(ScholarlyMarkup.Find(text).IsPaper);
    }

    [Fact]
    public void The_analysed_document_marks_markup_tokens_in_original_offsets()
    {
        string text = Fixture("paper-a.txt");
        var d = DocumentAnalyzer.Analyze(text, "paper-a.txt");
        Assert.True(d.IsPaper);
        Assert.True(d.MarkupTokenCount > 0);
        int formula = text.IndexOf("\\lambda_{1}(A)\\leq", StringComparison.Ordinal);
        var (t0, t1) = d.TokenRange(formula, formula + 18);
        Assert.True(t1 > t0);
        for (int t = t0; t < t1; t++) Assert.True(d.IsMarkup[t]);
        int prose = text.IndexOf("Our argument counts", StringComparison.Ordinal);
        var (p0, p1) = d.TokenRange(prose, prose + 19);
        for (int t = p0; t < p1; t++) Assert.False(d.IsMarkup[t]);
        Assert.Equal(d.TokenCount - d.MarkupTokenCount, d.ProseTokens(0, d.TokenCount));
        foreach (var s in d.MarkupSpans) Assert.InRange(s.End, s.Start, text.Length);
    }
}
