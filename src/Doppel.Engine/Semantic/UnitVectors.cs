using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Doppel.Engine.Text;

namespace Doppel.Engine.Semantic;

/// <summary>
/// The encoder vectors of one document's prose units (<see cref="SemanticUnits"/>): which units, and one unit-length
/// row of <see cref="Dimension"/> floats per unit. Tagged with the encoder and the unit-selection rule that made them,
/// so vectors stored by an older or another encoder (or rule) are never compared with fresh ones.
/// </summary>
public sealed class UnitVectors
{
    public required string Encoder { get; init; }
    public required string Rule { get; init; }
    /// <summary>The units encoded, ascending.</summary>
    public required int[] Units { get; init; }
    public required int Dimension { get; init; }
    /// <summary>Row after row, <c>Units.Length * Dimension</c> floats.</summary>
    public required float[] Values { get; init; }

    public int Count => Units.Length;

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Dimension, Dimension);

    /// <summary>The tag stored beside the vectors: encoder name and unit rule.</summary>
    public string Tag => SemanticUnits.Tag(Encoder, Rule);
}

/// <summary>Which units of a document the encoder sees (docs/algorithm.md, "Semantic evidence"): those with at least
/// a minimum of prose (non-markup) words; a unit of formulas, citations or headings says nothing worth comparing.</summary>
public static class SemanticUnits
{
    /// <summary>The unit-selection rule as a tag: a change to it (or to how units are cut) must change this string,
    /// so that vectors stored under the old rule are re-encoded instead of being matched to the wrong units.</summary>
    public static string Rule(int minProseWords) => $"prose-units/1/min-words={minProseWords}";

    public static string Tag(string encoder, string rule) => $"{encoder}|{rule}";

    public static int[] Select(AnalyzedDocument d, int minProseWords)
    {
        var units = new List<int>();
        for (int u = 0; u < d.UnitCount; u++)
            if (d.ProseTokens(d.UnitTokenStart[u], d.UnitTokenStart[u + 1]) >= minProseWords) units.Add(u);
        return [.. units];
    }

    /// <summary>The text of unit <paramref name="unit"/> of <paramref name="d"/>, as the encoder reads it.</summary>
    public static string Text(AnalyzedDocument d, int unit) => d.Text[d.UnitCharStart[unit]..d.UnitCharEnd[unit]];

    private static string[] Text(AnalyzedDocument d, int[] units) => Array.ConvertAll(units, u => Text(d, u));

    /// <summary>Encodes the selected units of <paramref name="d"/> (one batch; the static table from the document's
    /// own words, as the auto mode's candidate search does), counting the work in <see cref="EncoderWork"/>.</summary>
    public static UnitVectors Encode(AnalyzedDocument d, ISentenceEncoder encoder, int minProseWords, CancellationToken cancellationToken = default)
    {
        var units = Select(d, minProseWords);
        long start = Stopwatch.GetTimestamp();
        float[] values = units.Length == 0 ? [] : encoder is StaticEncoder table ? table.EncodeUnits(d, units) : encoder.Encode(Text(d, units), cancellationToken);
        EncoderWork.Add(units.Length, Stopwatch.GetTimestamp() - start);
        return new UnitVectors { Encoder = encoder.Name, Rule = Rule(minProseWords), Units = units, Dimension = encoder.Dimension, Values = values };
    }
}

/// <summary>Sentences encoded and time spent in the encoder, process-wide (benchmarks report where the time goes).</summary>
public static class EncoderWork
{
    private static long _sentences, _ticks, _calls;

    public static long Sentences => Interlocked.Read(ref _sentences);
    public static long Calls => Interlocked.Read(ref _calls);
    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    internal static void Add(int sentences, long ticks)
    {
        Interlocked.Add(ref _sentences, sentences);
        Interlocked.Add(ref _ticks, ticks);
        Interlocked.Increment(ref _calls);
    }

    public static void Reset()
    {
        Interlocked.Exchange(ref _sentences, 0);
        Interlocked.Exchange(ref _ticks, 0);
        Interlocked.Exchange(ref _calls, 0);
    }
}

/// <summary>
/// Each document's unit vectors, encoded once however many pairs it takes part in (pair mode aligns one document
/// with many in parallel, corpus mode the query with every candidate): one entry per encoder and rule, computed by
/// the first pair that asks while the others wait for it. The cache lives as long as the document (a weak table
/// keyed by it), or until <see cref="Release"/> when the caller knows no pair needs it any more. Vectors read from
/// an index are handed in with <see cref="Provide"/> and used when they cover the same units.
/// </summary>
public static class SentenceVectorCache
{
    private sealed class Entry
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<string, Lazy<UnitVectors>> ByTag = new(StringComparer.Ordinal);
        /// <summary>Single units encoded on demand (auto mode's confirmations), per encoder name.</summary>
        public readonly Dictionary<string, Dictionary<int, float[]>> Units = new(StringComparer.Ordinal);
    }

    private static readonly ConditionalWeakTable<AnalyzedDocument, Entry> Table = new();

    /// <summary>The vectors of <paramref name="doc"/>'s units under <paramref name="encoder"/>, encoded on first use.</summary>
    public static UnitVectors Get(AnalyzedDocument doc, ISentenceEncoder encoder, int minProseWords)
    {
        var entry = Table.GetValue(doc, _ => new Entry());
        string tag = SemanticUnits.Tag(encoder.Name, SemanticUnits.Rule(minProseWords));
        Lazy<UnitVectors> lazy;
        lock (entry.Gate)
        {
            if (!entry.ByTag.TryGetValue(tag, out lazy!))
                entry.ByTag[tag] = lazy = new(() => SemanticUnits.Encode(doc, encoder, minProseWords), LazyThreadSafetyMode.ExecutionAndPublication);
        }
        return lazy.Value;
    }

    /// <summary>The vectors of units <paramref name="unitsA"/> of <paramref name="a"/> and <paramref name="unitsB"/> of
    /// <paramref name="b"/> under <paramref name="encoder"/>, each unit encoded once per document (those not yet
    /// cached in one batch). Two pairs asking for the same unit at once may both encode it; either vector is kept.</summary>
    public static (float[][] A, float[][] B) GetUnits(AnalyzedDocument a, int[] unitsA, AnalyzedDocument b, int[] unitsB, ISentenceEncoder encoder)
    {
        var ca = Units(a, encoder.Name);
        var cb = Units(b, encoder.Name);
        var ra = new float[unitsA.Length][];
        var rb = new float[unitsB.Length][];
        var missing = new List<(AnalyzedDocument Doc, Dictionary<int, float[]> Cache, int Unit)>();
        void Look(AnalyzedDocument d, Dictionary<int, float[]> cache, int[] units, float[][] into)
        {
            lock (cache)
                for (int i = 0; i < units.Length; i++)
                    if (cache.TryGetValue(units[i], out var v)) into[i] = v;
                    else if (!missing.Exists(m => m.Cache == cache && m.Unit == units[i])) missing.Add((d, cache, units[i]));
        }
        Look(a, ca, unitsA, ra);
        Look(b, cb, unitsB, rb);
        if (missing.Count > 0)
        {
            var text = missing.ConvertAll(m => SemanticUnits.Text(m.Doc, m.Unit));
            long start = Stopwatch.GetTimestamp();
            float[] values = encoder.Encode(text);
            EncoderWork.Add(text.Count, Stopwatch.GetTimestamp() - start);
            int dim = encoder.Dimension;
            for (int k = 0; k < missing.Count; k++)
                lock (missing[k].Cache) missing[k].Cache.TryAdd(missing[k].Unit, values.AsSpan(k * dim, dim).ToArray());
            Look(a, ca, unitsA, ra);
            Look(b, cb, unitsB, rb);
        }
        return (ra, rb);
    }

    private static Dictionary<int, float[]> Units(AnalyzedDocument doc, string encoder)
    {
        var entry = Table.GetValue(doc, _ => new Entry());
        lock (entry.Gate)
        {
            if (!entry.Units.TryGetValue(encoder, out var units)) entry.Units[encoder] = units = [];
            return units;
        }
    }

    /// <summary>Gives <paramref name="doc"/> vectors computed elsewhere (stored in an index). They are used only when
    /// their rule is the one for <paramref name="minProseWords"/> and they cover exactly the units that rule selects
    /// in this analysis of the text; otherwise they are ignored and the document is encoded when asked. Returns
    /// whether they were taken.</summary>
    public static bool Provide(AnalyzedDocument doc, UnitVectors vectors, int minProseWords)
    {
        if (vectors.Rule != SemanticUnits.Rule(minProseWords)) return false;
        if (!vectors.Units.AsSpan().SequenceEqual(SemanticUnits.Select(doc, minProseWords))) return false;
        var entry = Table.GetValue(doc, _ => new Entry());
        lock (entry.Gate) entry.ByTag.TryAdd(vectors.Tag, new Lazy<UnitVectors>(vectors));
        return true;
    }

    /// <summary>Drops <paramref name="doc"/>'s vectors (its last pair is aligned): bounds memory over a large run.</summary>
    public static void Release(AnalyzedDocument doc) => Table.Remove(doc);
}

/// <summary>
/// The stored form of <see cref="UnitVectors"/> (docs/index.md, "Sentence vectors"): each vector quantised to signed
/// bytes with its own scale (its largest magnitude / 127), so a 384-dimension vector takes 388 bytes instead of 1,536.
/// Dequantised vectors are scaled back to unit length. Error bound: each component is off by at most half its
/// vector's scale, so a vector moves by at most <c>sqrt(d) * scale / 2</c> (about 0.02 for MiniLM, whose largest
/// component is about 0.25) and a cosine by at most twice that; measured on MiniLM vectors of the example essay and
/// web page (59 units, all pairs) it is at most 0.002.
/// Layout: a version byte (1), dimension, count, the units as gaps (varints), the scales (float32, little endian),
/// then the bytes.
/// </summary>
public static class UnitVectorCodec
{
    private const byte Version = 1;

    public static byte[] Encode(UnitVectors v)
    {
        int dim = v.Dimension, count = v.Count;
        var o = new byte[21 + count * (10 + 4 + dim)];
        o[0] = Version;
        int at = Index.Varint.Write(o, 1, (ulong)dim);
        at = Index.Varint.Write(o, at, (ulong)count);
        int last = 0;
        foreach (int u in v.Units)
        {
            at = Index.Varint.Write(o, at, (ulong)(u - last));
            last = u;
        }
        int qAt = at + 4 * count;
        for (int i = 0; i < count; i++)
        {
            var row = v.Row(i);
            float max = 0;
            foreach (float x in row) max = Math.Max(max, Math.Abs(x));
            float scale = max / 127f;
            BinaryPrimitives.WriteSingleLittleEndian(o.AsSpan(at + 4 * i), scale);
            if (scale == 0) continue;
            for (int k = 0; k < dim; k++) o[qAt + i * dim + k] = (byte)(sbyte)Math.Clamp(MathF.Round(row[k] / scale), -127, 127);
        }
        return o.AsSpan(0, qAt + count * dim).ToArray();
    }

    /// <summary>Dequantises stored vectors; <paramref name="tag"/> is the stored <see cref="UnitVectors.Tag"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not vectors of this layout.</exception>
    public static UnitVectors Decode(ReadOnlySpan<byte> data, string tag)
    {
        int bar = tag.IndexOf('|');
        if (bar < 0) throw new InvalidDataException("vector tag has no rule");
        int at = 0;
        if (data.Length == 0 || data[at++] != Version) throw new InvalidDataException("unknown vector layout");
        int dim = (int)ReadVarint(data, ref at, 1 << 16), count = (int)ReadVarint(data, ref at, 1 << 24);
        var units = new int[count];
        long unit = 0;
        for (int i = 0; i < count; i++)
        {
            unit += (long)ReadVarint(data, ref at, int.MaxValue);
            if (unit > int.MaxValue || (i > 0 && unit <= units[i - 1])) throw new InvalidDataException("vector units out of order");
            units[i] = (int)unit;
        }
        if (data.Length - at != (long)count * (4 + dim)) throw new InvalidDataException("vector data has the wrong length");
        var values = new float[count * dim];
        int qAt = at + 4 * count;
        for (int i = 0; i < count; i++)
        {
            float scale = BinaryPrimitives.ReadSingleLittleEndian(data[(at + 4 * i)..]);
            if (!float.IsFinite(scale) || scale < 0) throw new InvalidDataException("vector scale out of range");
            double norm = 0;
            var row = values.AsSpan(i * dim, dim);
            for (int k = 0; k < dim; k++)
            {
                float x = (sbyte)data[qAt + i * dim + k] * scale;
                row[k] = x;
                norm += x * x;
            }
            if (norm > 0)
            {
                float inv = (float)(1 / Math.Sqrt(norm));
                for (int k = 0; k < dim; k++) row[k] *= inv;
            }
        }
        return new UnitVectors { Encoder = tag[..bar], Rule = tag[(bar + 1)..], Units = units, Dimension = dim, Values = values };
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at, long max)
    {
        at = Index.Varint.Read(data, at, out ulong v);
        return v <= (ulong)max ? v : throw new InvalidDataException("vector field out of range");
    }
}
