using Doppel.Engine.Alignment;
using Doppel.Engine.Index;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;
using Doppel.Tests.Index;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Doppel.Tests.Semantic;

/// <summary>Sentence vectors encoded once per document (<see cref="SentenceVectorCache"/>), quantised
/// (<see cref="UnitVectorCodec"/>) and stored in the index at add time, so that a corpus check encodes only the query.</summary>
public sealed class StoredVectorTests : IndexTestBase
{
    /// <summary>Counts what it encodes; otherwise the shared transformer (same name, so stored tags match).</summary>
    private sealed class CountingEncoder(ISentenceEncoder inner) : ISentenceEncoder
    {
        private int _sentences;
        public int Sentences => _sentences;
        public string Name => inner.Name;
        public int Dimension => inner.Dimension;

        public float[] Encode(IReadOnlyList<string> sentences, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _sentences, sentences.Count);
            return inner.Encode(sentences, cancellationToken);
        }

        public void Dispose() { }
    }

    private static readonly int MinWords = AlignmentOptions.Default.SemanticMinProseWords;

    private static CountingEncoder Counting() => new(SemanticEncoders.For(SemanticMode.On)!);

    private static UnitVectors RandomVectors(int count, int dim, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count * dim];
        for (int i = 0; i < count; i++)
        {
            double norm = 0;
            for (int k = 0; k < dim; k++)
            {
                // Gaussian-ish components, a few large ones, as encoder vectors have.
                float x = (float)(rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5) * (k % 37 == 0 ? 4 : 1);
                values[i * dim + k] = x;
                norm += x * x;
            }
            for (int k = 0; k < dim; k++) values[i * dim + k] /= (float)Math.Sqrt(norm);
        }
        return new UnitVectors
        {
            Encoder = "test-encoder", Rule = SemanticUnits.Rule(MinWords), Dimension = dim, Values = values,
            Units = Enumerable.Range(0, count).Select(i => 3 * i + (i % 2)).ToArray(),
        };
    }

    /// <summary>The stated bound: each component is off by at most half its vector's scale (largest magnitude / 127)
    /// before renormalising, so a cosine moves by at most sqrt(d) * scale (twice the vector's displacement).</summary>
    [Fact]
    public void Quantised_vectors_round_trip_within_the_stated_error_bound()
    {
        const int Dim = 384;
        var v = RandomVectors(40, Dim, seed: 7);
        byte[] data = UnitVectorCodec.Encode(v);
        Assert.True(data.Length < v.Count * (Dim + 4) + 64, $"{data.Length} bytes: one byte per component and a scale per vector");
        var back = UnitVectorCodec.Decode(data, v.Tag);
        Assert.Equal(v.Encoder, back.Encoder);
        Assert.Equal(v.Rule, back.Rule);
        Assert.Equal(v.Units, back.Units);
        Assert.Equal(Dim, back.Dimension);
        double worst = 0, worstBound = double.MaxValue;
        for (int i = 0; i < v.Count; i++)
        {
            float scale = 0;
            foreach (float x in v.Row(i)) scale = Math.Max(scale, Math.Abs(x) / 127);
            double bound = Math.Sqrt(Dim) * scale;
            Assert.InRange(SentenceVectors.Cosine(back.Row(i), back.Row(i)), 0.9999f, 1.0001f);
            for (int j = 0; j < v.Count; j++)
            {
                double err = Math.Abs(SentenceVectors.Cosine(back.Row(i), back.Row(j)) - SentenceVectors.Cosine(v.Row(i), v.Row(j)));
                Assert.True(err <= bound, $"cosine {i},{j} off by {err}, bound {bound}");
                worst = Math.Max(worst, err);
            }
            worstBound = Math.Min(worstBound, bound);
        }
        // In practice far inside the bound.
        Assert.True(worst < 0.01, $"worst cosine error {worst}");
    }

    /// <summary>On the encoder's own vectors (the example essay's and web page's units, all pairs) the error is far
    /// inside the bound (measured: at most 0.00196 over 59 units).</summary>
    [Fact]
    public void Quantising_real_encoder_vectors_moves_cosines_by_less_than_0_005()
    {
        var v = SemanticUnits.Encode(DocumentAnalyzer.Analyze(Example("essay.txt") + " " + Example("web-page.txt")), SemanticEncoders.For(SemanticMode.On)!, MinWords);
        var back = UnitVectorCodec.Decode(UnitVectorCodec.Encode(v), v.Tag);
        double worst = 0;
        for (int i = 0; i < v.Count; i++)
            for (int j = 0; j < v.Count; j++)
                worst = Math.Max(worst, Math.Abs(SentenceVectors.Cosine(back.Row(i), back.Row(j)) - SentenceVectors.Cosine(v.Row(i), v.Row(j))));
        Assert.True(v.Count > 20, $"{v.Count} units");
        Assert.True(worst < 0.005, $"worst cosine error {worst:F5} over {v.Count} units");
    }

    [Fact]
    public void Malformed_vector_data_is_refused()
    {
        byte[] data = UnitVectorCodec.Encode(RandomVectors(3, 16, seed: 1));
        Assert.Throws<InvalidDataException>(() => UnitVectorCodec.Decode(data.AsSpan(0, data.Length - 1), "e|r"));
        Assert.Throws<InvalidDataException>(() => UnitVectorCodec.Decode([9, 1, 1], "e|r"));
        Assert.Throws<InvalidDataException>(() => UnitVectorCodec.Decode(data, "no-rule"));
    }

    [Fact]
    public void Stored_vectors_round_trip_through_the_index_are_verified_and_go_with_their_document()
    {
        var v = RandomVectors(5, 32, seed: 3);
        var stored = new StoredVectors(v.Tag, UnitVectorCodec.Encode(v));
        using var index = SqliteReferenceIndex.Open(IndexDir, create: true);
        index.AddBatch([Doc("a.txt", Filler(1)) with { Vectors = stored }, Doc("b.txt", Filler(2))]);
        Assert.True(index.StoresVectors);
        Assert.Equal(SqliteReferenceIndex.FormatVersion, index.Stats().FormatVersion);
        Assert.Equal(1, index.Stats().VectorDocuments);
        Assert.Equal(stored.Data.Length, index.Stats().VectorBytes);
        var a = index.List().Single(d => d.Id == "a.txt");
        var b = index.List().Single(d => d.Id == "b.txt");
        using (var snap = index.OpenSnapshot())
        {
            var back = snap.ReadVectors(a.Number)!;
            Assert.Equal(stored.Tag, back.Tag);
            Assert.Equal(stored.Data, back.Data);
            Assert.Null(snap.ReadVectors(b.Number));
        }
        Assert.Empty(index.Verify());

        // Added again unchanged with vectors: b's are filled in; a's stay as they were.
        index.AddBatch([Doc("b.txt", Filler(2)) with { Vectors = stored }]);
        using (var snap = index.OpenSnapshot()) Assert.Equal(stored.Data, snap.ReadVectors(b.Number)!.Data);

        // A changed byte fails the row's checksum, on read and in verify.
        Sql($"UPDATE vectors SET data = zeroblob(length(data)) WHERE doc = {a.Number}");
        using (var snap = index.OpenSnapshot())
            Assert.Equal(IndexErrorKind.Damaged, Assert.Throws<IndexException>(() => snap.ReadVectors(a.Number)).Kind);
        Assert.Contains(index.Verify(), p => p.Contains($"vectors of document {a.Number}"));

        // Removed with its document.
        index.Remove(["a.txt", "b.txt"]);
        Assert.Equal(0, index.Stats().VectorDocuments);
        Assert.Empty(index.Verify());
    }

    /// <summary>A version-2 index (no vectors table) opens, checks with the encoder (its candidates encoded at check),
    /// and becomes version 3 with its first write.</summary>
    [Fact]
    public void A_version_2_index_still_opens_checks_and_is_upgraded_by_the_first_write()
    {
        Directory.CreateDirectory(IndexDir);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "index-v2", SqliteReferenceIndex.FileName), Path.Combine(IndexDir, SqliteReferenceIndex.FileName));
        using var index = SqliteReferenceIndex.Open(IndexDir, create: false);
        Assert.Equal(2, index.Stats().FormatVersion);
        Assert.Empty(index.Verify());
        var encoder = Counting();
        var options = AlignmentOptions.Default with { Semantic = SemanticMode.On, Encoder = encoder };
        var query = DocumentAnalyzer.Analyze(Example("essay-paraphrased.txt"));
        using (var snap = index.OpenSnapshot())
        {
            var essay = index.List().Single(d => d.Id == "essay.txt");
            Assert.Null(snap.ReadVectors(essay.Number));
            var matches = CorpusChecker.Check(snap, query, top: 5, options);
            Assert.Contains(matches, m => m.Document.Id == "essay.txt" && m.Passages.Count > 0);
        }
        Assert.True(encoder.Sentences > SemanticUnits.Select(query, MinWords).Length, "the candidates were encoded at check");

        index.AddBatch([Doc("new.txt", Filler(9))]);
        Assert.Equal(SqliteReferenceIndex.FormatVersion, index.Stats().FormatVersion);
        Assert.Empty(index.Verify());
    }

    /// <summary>Corpus check with vectors stored at add gives the passages a check that encodes everything gives,
    /// and encodes only the query.</summary>
    [Fact]
    public void Check_with_stored_vectors_gives_the_same_passages_and_encodes_only_the_query()
    {
        var shared = SemanticEncoders.For(SemanticMode.On)!;
        var texts = new List<(string Id, string Text)> { ("essay.txt", Example("essay.txt")), ("web-page.txt", Example("web-page.txt")) };
        for (int i = 0; i < 5; i++) texts.Add(($"filler{i}.txt", Filler(40 + i)));
        PreparedDocument Prepare((string Id, string Text) t, bool vectors)
        {
            var analyzed = DocumentAnalyzer.Analyze(t.Text, t.Id);
            var doc = DocumentPreparer.Prepare(analyzed, t.Id);
            if (!vectors) return doc;
            var v = SemanticUnits.Encode(analyzed, shared, MinWords);
            return doc with { Vectors = new StoredVectors(v.Tag, UnitVectorCodec.Encode(v)) };
        }
        string withDir = Path.Combine(Dir, "with"), withoutDir = Path.Combine(Dir, "without");
        using var with = SqliteReferenceIndex.Open(withDir, create: true);
        using var without = SqliteReferenceIndex.Open(withoutDir, create: true);
        with.AddBatch(texts.Select(t => Prepare(t, vectors: true)).ToList());
        without.AddBatch(texts.Select(t => Prepare(t, vectors: false)).ToList());

        IReadOnlyList<CorpusMatch> Check(SqliteReferenceIndex index, CountingEncoder encoder, out AnalyzedDocument query)
        {
            query = DocumentAnalyzer.Analyze(Example("essay-paraphrased.txt"));
            using var snap = index.OpenSnapshot();
            return CorpusChecker.Check(snap, query, top: 5, AlignmentOptions.Default with { Semantic = SemanticMode.On, Encoder = encoder });
        }
        var countWith = Counting();
        var countWithout = Counting();
        var a = Check(with, countWith, out var q);
        var b = Check(without, countWithout, out _);
        string Show(IReadOnlyList<CorpusMatch> ms) => string.Join("\n", ms.OrderBy(m => m.Document.Id).SelectMany(m =>
            m.Passages.Select(p => $"{m.Document.Id} {p.SuspiciousStart}+{p.SuspiciousLength} {p.SourceStart}+{p.SourceLength} {p.Kind}")));
        Assert.NotEmpty(a.SelectMany(m => m.Passages));
        Assert.Equal(Show(b), Show(a));
        Assert.Equal(SemanticUnits.Select(q, MinWords).Length, countWith.Sentences);
        Assert.True(countWithout.Sentences > countWith.Sentences, "without stored vectors the candidates are encoded");
    }

    /// <summary><c>index add --semantic on</c> (the service with an encoder) stores every document's vectors, tagged
    /// for the check's encoder and rule.</summary>
    [Fact]
    public void Index_add_with_an_encoder_stores_every_documents_vectors()
    {
        var encoder = Counting();
        var service = new Doppel.Application.IndexService(IndexDir);
        string[] files = [Path.Combine(Examples, "essay.txt"), Path.Combine(Examples, "web-page.txt")];
        var added = service.AddPaths(files, new Doppel.Application.IndexAddOptions { Encoder = encoder });
        Assert.Equal(2, added.Encoded);
        Assert.False(added.VectorsIgnored);
        Assert.Equal(2, service.Stats().VectorDocuments);
        using var index = SqliteReferenceIndex.Open(IndexDir, create: false);
        using var snap = index.OpenSnapshot();
        var essay = index.List().Single(d => d.Id == "essay.txt");
        var v = UnitVectorCodec.Decode(snap.ReadVectors(essay.Number)!.Data, snap.ReadVectors(essay.Number)!.Tag);
        Assert.Equal(SemanticUnits.Tag(encoder.Name, SemanticUnits.Rule(MinWords)), v.Tag);
        Assert.Equal(SemanticUnits.Select(DocumentAnalyzer.Analyze(Example("essay.txt")), MinWords), v.Units);
    }

    /// <summary>A document in many pairs is encoded once; vectors handed in for other units are not used.</summary>
    [Fact]
    public void A_document_is_encoded_once_for_all_its_pairs_and_mismatched_vectors_are_ignored()
    {
        var encoder = Counting();
        var options = AlignmentOptions.Default with { Semantic = SemanticMode.On, Encoder = encoder };
        var susp = DocumentAnalyzer.Analyze(Example("essay-paraphrased.txt"));
        var sources = Enumerable.Range(0, 4).Select(i => DocumentAnalyzer.Analyze(Example("essay.txt") + " " + Filler(i, 2))).ToArray();
        Parallel.ForEach(sources, s => PairAligner.Align(susp, s, options));
        int expected = SemanticUnits.Select(susp, MinWords).Length + sources.Sum(s => SemanticUnits.Select(s, MinWords).Length);
        Assert.Equal(expected, encoder.Sentences);

        var other = DocumentAnalyzer.Analyze(Example("web-page.txt"));
        var wrong = RandomVectors(2, encoder.Dimension, seed: 5);
        Assert.False(SentenceVectorCache.Provide(other, wrong, MinWords));
        var v = SentenceVectorCache.Get(other, encoder, MinWords);
        Assert.Equal(SemanticUnits.Select(other, MinWords), v.Units);
    }

    private void Sql(string sql)
    {
        using var conn = new SqliteConnection($"Data Source={Path.Combine(IndexDir, SqliteReferenceIndex.FileName)};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
