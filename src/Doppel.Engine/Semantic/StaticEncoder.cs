using System.Collections.Concurrent;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using Doppel.Engine.Text;
using FastBertTokenizer;

namespace Doppel.Engine.Semantic;

/// <summary>
/// A static sentence encoder distilled from all-MiniLM-L6-v2 (Model2Vec-style; tools/Doppel.StaticEmbeddings): one
/// vector per WordPiece vocabulary entry, made by running the entry alone through the transformer, reduced by PCA and
/// weighted down by frequency (SIF weight a/(a+p) with p from the entry's Zipf rank, so "the" and "," weigh little).
/// A sentence's vector is the mean of its pieces' vectors, L2-normalised: no network, thousands of times faster than
/// the transformer and somewhat weaker (bench/results.md). The table (int8, one scale a row) and the vocabulary are a
/// resource of the engine assembly, <c>Semantic/Data/static-minilm.bin.gz</c> (licence: Semantic/Data/MODEL-LICENSE).
/// Tokenisation is the transformer's: the same vocabulary, FastBertTokenizer, the same <see cref="TransformerEncoder.Prepare"/>.
/// </summary>
public sealed class StaticEncoder : ISentenceEncoder
{
    internal const string Resource = "Doppel.Engine.Semantic.Data.static-minilm.bin.gz";
    internal const uint Magic = 0x31455344; // "DSE1"
    /// <summary>Longer sentences are cut here (far beyond any unit the aligner compares).</summary>
    public const int MaxTokens = 2048;

    private readonly float[] _table; // vocabulary size × Dimension, dequantised once at load
    private readonly string _vocabulary;
    private readonly ThreadLocal<BertTokenizer> _tokenizers;

    public string Name => "static all-MiniLM-L6-v2";
    public int Dimension { get; }
    public int VocabularySize { get; }

    private static readonly Lazy<StaticEncoder> SharedInstance = new(() => new StaticEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The process-wide instance (about 30 MB of table, loaded once).</summary>
    public static StaticEncoder Shared => SharedInstance.Value;

    public StaticEncoder() : this(OpenResource()) { }

    /// <summary>Reads a table in the format tools/Doppel.StaticEmbeddings writes (gzip-compressed).</summary>
    public StaticEncoder(Stream compressed)
    {
        using var gz = new GZipStream(compressed, CompressionMode.Decompress);
        using var r = new BinaryReader(gz);
        if (r.ReadUInt32() != Magic) throw new SentenceEncoderUnavailableException("the static encoder's table is damaged (bad header)");
        int count = r.ReadInt32(), dim = r.ReadInt32();
        _vocabulary = Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()));
        var scales = new float[count];
        for (int i = 0; i < count; i++) scales[i] = r.ReadSingle();
        var q = r.ReadBytes(count * dim);
        if (q.Length != count * dim) throw new SentenceEncoderUnavailableException("the static encoder's table is damaged (truncated)");
        _table = new float[count * dim];
        for (int i = 0; i < count; i++)
            for (int d = 0; d < dim; d++) _table[i * dim + d] = (sbyte)q[i * dim + d] * scales[i];
        VocabularySize = count;
        Dimension = dim;
        _tokenizers = new ThreadLocal<BertTokenizer>(() =>
        {
            var t = new BertTokenizer();
            using var reader = new StringReader(_vocabulary);
            t.LoadVocabulary(reader, convertInputToLowercase: true);
            return t;
        });
    }

    private static Stream OpenResource() =>
        typeof(StaticEncoder).Assembly.GetManifestResourceStream(Resource)
        ?? throw new SentenceEncoderUnavailableException($"the static encoder's table is not in the engine assembly ({Resource})");

    public float[] Encode(IReadOnlyList<string> sentences, CancellationToken cancellationToken = default)
    {
        int dim = Dimension;
        var result = new float[sentences.Count * dim];
        var tokenizer = _tokenizers.Value!;
        for (int i = 0; i < sentences.Count; i++)
        {
            if ((i & 255) == 255) cancellationToken.ThrowIfCancellationRequested();
            var (ids, _, _) = tokenizer.Encode(TransformerEncoder.Prepare(sentences[i]), MaxTokens);
            Pool(ids.Span, result.AsSpan(i * dim, dim));
        }
        return result;
    }

    /// <summary>The normalised sum of the pieces' rows, [CLS] and [SEP] (first and last) left out; the mean's 1/n
    /// cancels in the normalisation.</summary>
    private void Pool(ReadOnlySpan<long> ids, Span<float> dst)
    {
        int dim = Dimension, w = Vector<float>.Count;
        for (int t = 1; t < ids.Length - 1; t++)
        {
            long id = ids[t];
            if ((ulong)id >= (ulong)VocabularySize) continue;
            var row = _table.AsSpan((int)id * dim, dim);
            int k = 0;
            for (; k + w <= dim; k += w) (new Vector<float>(dst[k..]) + new Vector<float>(row[k..])).CopyTo(dst[k..]);
            for (; k < dim; k++) dst[k] += row[k];
        }
        Normalise(dst);
    }

    /// <summary>Word pieces of each distinct lowercased word (<see cref="AnalyzedDocument.WordHash"/>) met so far: a
    /// word tokenises the same wherever it occurs, so <see cref="EncodeUnits"/> runs the tokenizer once per word, not
    /// once per occurrence. Bounded: past <see cref="MaxCachedWords"/> words, new ones are tokenised every time.</summary>
    private readonly ConcurrentDictionary<ulong, int[]> _wordPieces = new();
    private const int MaxCachedWords = 1 << 20;

    /// <summary>Vectors of <paramref name="units"/> of an analysed document, row after row: the normalised sum of the
    /// pieces of the unit's words. The same as <see cref="Encode"/> of the unit's text except that punctuation between
    /// words (low-weighted pieces) is left out; several times faster on long documents, which repeat their words.</summary>
    public float[] EncodeUnits(AnalyzedDocument d, IReadOnlyList<int> units)
    {
        int dim = Dimension, w = Vector<float>.Count;
        var result = new float[units.Count * dim];
        for (int k = 0; k < units.Count; k++)
        {
            int u = units[k];
            var dst = result.AsSpan(k * dim, dim);
            for (int t = d.UnitTokenStart[u]; t < d.UnitTokenStart[u + 1]; t++)
            {
                foreach (int id in Pieces(d, t))
                {
                    var row = _table.AsSpan(id * dim, dim);
                    int c = 0;
                    for (; c + w <= dim; c += w) (new Vector<float>(dst[c..]) + new Vector<float>(row[c..])).CopyTo(dst[c..]);
                    for (; c < dim; c++) dst[c] += row[c];
                }
            }
            Normalise(dst);
        }
        return result;
    }

    private int[] Pieces(AnalyzedDocument d, int t)
    {
        ulong key = d.WordHash[t];
        if (_wordPieces.TryGetValue(key, out var cached)) return cached;
        var (ids, _, _) = _tokenizers.Value!.Encode(TransformerEncoder.Prepare(d.Text[d.TokenStart[t]..d.TokenEnd[t]]), MaxTokens);
        var span = ids.Span;
        int n = 0;
        var pieces = new int[Math.Max(0, span.Length - 2)];
        for (int i = 1; i < span.Length - 1; i++)
            if ((ulong)span[i] < (ulong)VocabularySize) pieces[n++] = (int)span[i];
        if (n < pieces.Length) pieces = pieces[..n];
        if (_wordPieces.Count < MaxCachedWords) _wordPieces.TryAdd(key, pieces);
        return pieces;
    }

    private static void Normalise(Span<float> v)
    {
        double norm = 0;
        foreach (float x in v) norm += (double)x * x;
        if (norm == 0) return;
        float inv = (float)(1 / Math.Sqrt(norm));
        for (int k = 0; k < v.Length; k++) v[k] *= inv;
    }

    public void Dispose() => _tokenizers.Dispose();
}
