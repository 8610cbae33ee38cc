using Doppel.Engine.Alignment;
using Doppel.Engine.Text;
using Doppel.Tests.Text;
using Xunit;

namespace Doppel.Tests.Alignment;

public class ScholarlyAlignmentTests
{
    [Fact]
    public void Two_papers_of_one_field_sharing_notation_formulas_and_references_but_no_sentence_give_no_passage()
    {
        var a = DocumentAnalyzer.Analyze(ScholarlyMarkupTests.Fixture("paper-a.txt"), "a");
        var b = DocumentAnalyzer.Analyze(ScholarlyMarkupTests.Fixture("paper-b.txt"), "b");
        Assert.True(a.IsPaper && b.IsPaper);
        Assert.Empty(PairAligner.Align(a, b));
        Assert.Empty(PairAligner.Align(b, a));
    }

    [Fact]
    public void A_formula_copied_inside_copied_prose_is_covered_by_the_passage()
    {
        string src = ScholarlyMarkupTests.Fixture("paper-a.txt");
        int from = src.IndexOf("Let $G=(V,E)$", StringComparison.Ordinal);
        int to = src.IndexOf("from the bulk.", StringComparison.Ordinal) + "from the bulk.".Length;
        string copied = src[from..to];
        string susp = ScholarlyMarkupTests.Fixture("paper-b.txt").Replace("We replace the adjacency matrix", copied + "\n\nWe replace the adjacency matrix");
        var passages = PairAligner.Align(DocumentAnalyzer.Analyze(susp, "s"), DocumentAnalyzer.Analyze(src, "a"));
        int formula = susp.IndexOf("\\[\n\\lambda", susp.IndexOf(copied, StringComparison.Ordinal), StringComparison.Ordinal);
        int srcFormula = src.IndexOf("\\[\n\\lambda", StringComparison.Ordinal);
        var p = Assert.Single(passages, p => p.SuspiciousStart <= formula && p.SuspiciousEnd > formula + 20);
        Assert.True(p.SourceStart <= srcFormula && p.SourceEnd > srcFormula + 20);
    }
}
