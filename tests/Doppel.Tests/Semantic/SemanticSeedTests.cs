using Doppel.Engine.Alignment;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Semantic;

/// <summary>Encoder seeds (SemanticSeeder): a rewrite that keeps the meaning but few of the words is found with
/// <see cref="SemanticMode.On"/> and not by lexical evidence alone.</summary>
public sealed class SemanticSeedTests
{
    private const string Source =
        "The committee postponed its decision on the new stadium until the budget review is finished next spring. " +
        "Heavy rainfall during the night caused the river to overflow and flood several villages in the valley. " +
        "Researchers found that children who read every evening develop a much larger vocabulary than their peers. " +
        "The company announced that it will cut about two thousand jobs because sales have fallen sharply this year.";

    private const string Rewrite =
        "The panel delayed its ruling on the planned stadium until the budget audit concludes next spring. " +
        "Torrential overnight rain made the river burst its banks, flooding a number of villages in the valley. " +
        "A study showed that kids with a nightly reading habit acquire far more words than other youngsters. " +
        "The firm said it is cutting roughly two thousand jobs as its sales dropped steeply this year.";

    [Fact]
    public void A_low_overlap_paraphrase_is_found_with_semantic_on_and_not_off()
    {
        var susp = DocumentAnalyzer.Analyze(Rewrite);
        var src = DocumentAnalyzer.Analyze(Source);
        Assert.Empty(PairAligner.Align(susp, src));

        var on = PairAligner.Align(susp, src, AlignmentOptions.Default.WithSemantic(SemanticMode.On));
        var p = Assert.Single(on);
        Assert.Equal(PassageKind.Paraphrase, p.Kind);
        Assert.True(p.SuspiciousLength >= Rewrite.Length / 2, $"covers {p.SuspiciousLength} of {Rewrite.Length}");
        // Links carry the encoder's cosine, which is at least the seeding threshold.
        Assert.Contains(p.Links, l => l.Similarity >= AlignmentOptions.Default.SemanticSeedSimilarity);
    }

    [Fact]
    public void Auto_finds_the_same_rewrite_encoding_only_candidate_units_with_the_transformer()
    {
        var susp = DocumentAnalyzer.Analyze(Rewrite + " " + Unrelated);
        var src = DocumentAnalyzer.Analyze(Source);
        using var counting = new CountingEncoder(SemanticEncoders.For(SemanticMode.On)!);
        var auto = AlignmentOptions.Default with { Semantic = SemanticMode.Auto, Encoder = counting, CandidateEncoder = StaticEncoder.Shared };
        var p = Assert.Single(PairAligner.Align(susp, src, auto));
        Assert.Equal(PassageKind.Paraphrase, p.Kind);
        Assert.True(p.SuspiciousLength >= Rewrite.Length / 2, $"covers {p.SuspiciousLength} of {Rewrite.Length}");
        // On mode would encode all 4 + 6 units; auto only the two sides of each confirmed-or-not candidate.
        Assert.InRange(counting.Sentences, 2, 8);
    }

    [Fact]
    public void The_confirmation_budget_bounds_the_transformer_work_of_a_pair()
    {
        var susp = DocumentAnalyzer.Analyze(Rewrite);
        var src = DocumentAnalyzer.Analyze(Source);
        using var counting = new CountingEncoder(SemanticEncoders.For(SemanticMode.On)!);
        var auto = AlignmentOptions.Default with
        {
            Semantic = SemanticMode.Auto, Encoder = counting, CandidateEncoder = StaticEncoder.Shared, SemanticConfirmBudget = 2,
        };
        PairAligner.Align(susp, src, auto);
        Assert.InRange(counting.Sentences, 1, 2);
        counting.Sentences = 0;
        PairAligner.Align(susp, src, auto with { SemanticConfirmBudget = 0 });
        Assert.Equal(0, counting.Sentences);
    }

    private const string Unrelated =
        "Penguins spend most of their lives at sea and come ashore only to breed and moult. " +
        "The recipe calls for two cups of flour, a pinch of salt and three eggs beaten until pale.";

    private sealed class CountingEncoder(ISentenceEncoder inner) : ISentenceEncoder
    {
        public int Sentences;
        public string Name => inner.Name;
        public int Dimension => inner.Dimension;
        public float[] Encode(IReadOnlyList<string> sentences, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref Sentences, sentences.Count);
            return inner.Encode(sentences, cancellationToken);
        }
        public void Dispose() { }
    }
}
