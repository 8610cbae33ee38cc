namespace Doppel.Engine.Semantic;

/// <summary>
/// Turns sentences into fixed-length vectors whose dot product is their semantic similarity (cosine: every vector is
/// L2-normalised). Behind this interface so that another model, or a cheaper table, can be plugged in later.
/// Implementations are thread-safe.
/// </summary>
public interface ISentenceEncoder : IDisposable
{
    /// <summary>The model's name, as reports and benchmarks cite it.</summary>
    string Name { get; }

    /// <summary>Length of each vector.</summary>
    int Dimension { get; }

    /// <summary>Vectors of <paramref name="sentences"/>, row after row (<c>sentences.Count * Dimension</c> floats),
    /// each of unit length (all zero for an empty sentence).</summary>
    float[] Encode(IReadOnlyList<string> sentences, CancellationToken cancellationToken = default);
}

/// <summary>Similarity of encoder vectors.</summary>
public static class SentenceVectors
{
    /// <summary>Cosine of two unit vectors (their dot product).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors of different lengths");
        var acc = System.Numerics.Vector<float>.Zero;
        int w = System.Numerics.Vector<float>.Count, k = 0;
        for (; k + w <= a.Length; k += w)
            acc += new System.Numerics.Vector<float>(a[k..]) * new System.Numerics.Vector<float>(b[k..]);
        float s = System.Numerics.Vector.Sum(acc);
        for (; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }

    /// <summary>Row <paramref name="i"/> of a block of vectors returned by <see cref="ISentenceEncoder.Encode"/>.</summary>
    public static ReadOnlySpan<float> Row(float[] vectors, int dimension, int i) => vectors.AsSpan(i * dimension, dimension);
}

/// <summary>The encoder's model cannot be loaded (its package assembly is missing or damaged).</summary>
public sealed class SentenceEncoderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
