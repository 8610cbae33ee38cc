using Doppel.Engine.Semantic;
using Xunit;

namespace Doppel.Tests.Semantic;

/// <summary>The static encoder against a reference computed once with it (bench/sentence/Doppel.SentenceBench
/// --static-reference) and committed here: the first 8 dimensions of 5 sentences and every cosine between them, to
/// 1e-5. The table is committed, so only the order of float additions (vector width of the machine) can move these;
/// a changed table, tokenisation or pooling moves them by far more.</summary>
public sealed class StaticEncoderTests
{
    private const float Tolerance = 1e-5f;
    private static StaticEncoder Encoder => StaticEncoder.Shared;

    private static readonly string[] Sentences = ReferenceVectors.Sentences;

    private static readonly float[][] First8 =
    [
        [-0.03552791f, -0.07647592f, -0.07895013f, 0.1146864f, 0.122224785f, 0.071770504f, -0.09532205f, -0.03495932f],
        [0.007262787f, -0.13559064f, 0.089172274f, 0.13881922f, 0.031613864f, 0.17251015f, 0.0016743968f, -0.025657116f],
        [-0.1408572f, -0.19295534f, -0.34187722f, -0.003879157f, -0.08402204f, 0.047762685f, 0.047608033f, -0.025912112f],
        [0.048253916f, -0.16929321f, -0.26907548f, 0.24263383f, -0.22869648f, -0.080360815f, 0.0073982175f, 0.10074426f],
        [-0.09427084f, -0.24569932f, 0.040660717f, -0.09256153f, 0.20324464f, 0.17688115f, -0.23596105f, -0.07251785f],
    ];

    private static readonly (int A, int B, float Cosine)[] Cosines =
    [
        (0, 1, 0.60444945f), (0, 2, 0.03715171f), (0, 3, 0.09046879f), (0, 4, 0.057170026f), (1, 2, -0.022790272f),
        (1, 3, 0.14356048f), (1, 4, 0.1217205f), (2, 3, 0.20730442f), (2, 4, 0.050008774f), (3, 4, 0.024160122f),
    ];

    [Fact]
    public void Vectors_match_the_committed_reference()
    {
        Assert.Equal(256, Encoder.Dimension);
        Assert.Equal(30522, Encoder.VocabularySize);
        ReferenceVectors.AssertMatch(Encoder, Sentences, First8, Cosines, Tolerance, normTolerance: 1e-5f);
    }

    [Fact]
    public void A_paraphrase_is_closer_than_an_unrelated_sentence()
    {
        var v = Encoder.Encode([
            "The committee approved the new budget after a long debate.",
            "After lengthy discussion, the panel passed the new spending plan.",
            "Penguins live mostly in the southern hemisphere.",
        ]);
        float paraphrase = SentenceVectors.Cosine(SentenceVectors.Row(v, 256, 0), SentenceVectors.Row(v, 256, 1));
        float unrelated = SentenceVectors.Cosine(SentenceVectors.Row(v, 256, 0), SentenceVectors.Row(v, 256, 2));
        Assert.True(paraphrase > unrelated + 0.2f, $"paraphrase {paraphrase}, unrelated {unrelated}");
    }

    [Fact]
    public void Empty_and_unknown_text_give_zero_vectors()
    {
        var v = Encoder.Encode(["", "   "]);
        Assert.All(v, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Curly_apostrophes_and_accents_tokenise_like_their_ascii_forms()
    {
        var v = Encoder.Encode(["He didn’t like the café.", "He didn't like the cafe."]);
        Assert.Equal(1f, SentenceVectors.Cosine(SentenceVectors.Row(v, 256, 0), SentenceVectors.Row(v, 256, 1)), 1e-5f);
    }

    [Fact]
    public void Encoding_is_the_same_on_parallel_threads()
    {
        var one = Encoder.Encode(Sentences);
        var results = new float[8][];
        Parallel.For(0, results.Length, k => results[k] = Encoder.Encode(Sentences));
        foreach (var r in results) Assert.Equal(one, r);
    }
}
