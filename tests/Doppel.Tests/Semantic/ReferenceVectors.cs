using Doppel.Engine.Semantic;
using Xunit;

namespace Doppel.Tests.Semantic;

/// <summary>Checks an encoder against a committed reference: each vector of unit length, its first 8 dimensions, and
/// the cosines between the sentences, all within <c>tolerance</c>.</summary>
internal static class ReferenceVectors
{
    /// <summary>The sentences of both encoders' references (a curly apostrophe and an accent on purpose).</summary>
    public static readonly string[] Sentences =
    [
        "The cat sat on the mat.",
        "A cat was sitting on the rug.",
        "Stock markets fell sharply after the central bank raised interest rates.",
        "He didn’t think the café would open before noon.",
        "Photosynthesis converts light energy into chemical energy stored in glucose.",
    ];

    public static void AssertMatch(ISentenceEncoder encoder, string[] sentences, float[][] first8,
        (int A, int B, float Cosine)[] cosines, float tolerance, float normTolerance)
    {
        int dim = encoder.Dimension;
        var v = encoder.Encode(sentences);
        Assert.Equal(sentences.Length * dim, v.Length);
        for (int i = 0; i < sentences.Length; i++)
        {
            var row = SentenceVectors.Row(v, dim, i);
            Assert.Equal(1f, SentenceVectors.Cosine(row, row), normTolerance);
            for (int d = 0; d < 8; d++) Assert.Equal(first8[i][d], row[d], tolerance);
        }
        foreach (var (a, b, c) in cosines)
            Assert.Equal(c, SentenceVectors.Cosine(SentenceVectors.Row(v, dim, a), SentenceVectors.Row(v, dim, b)), tolerance);
    }
}
