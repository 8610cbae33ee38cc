using Doppel.Engine.Alignment;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

namespace Doppel.Engine.Index;

/// <summary>One retrieved source after alignment.</summary>
public sealed record CorpusMatch(IndexedDocument Document, AnalyzedDocument Analyzed, Candidate Candidate, int Rank, IReadOnlyList<AlignedPassage> Passages);

/// <summary>
/// Corpus mode: retrieve candidates from the index, then align the document with the strongest ones (at most
/// <c>top</c>, and only those with enough evidence, see <see cref="RetrievalOptions.WorthAligning"/>), in parallel,
/// with the same <see cref="PairAligner"/> as pair mode. A candidate with the very same content as the document (the
/// document itself, already indexed) is not a source of itself and is skipped.
/// </summary>
public static class CorpusChecker
{
    public static IReadOnlyList<CorpusMatch> Check(IIndexSnapshot index, AnalyzedDocument doc, int top,
        AlignmentOptions? alignment = null, RetrievalOptions? retrieval = null)
    {
        var o = retrieval ?? RetrievalOptions.Default;
        var candidates = CandidateRetriever.Retrieve(index, doc, o).Candidates.Where(o.WorthAligning);
        string selfHash = Convert.ToHexStringLower(DocumentPreparer.ContentHash(doc.Text));

        // Stored sentence vectors are read only when the alignment will use them (semantic auto or on, with an encoder).
        var a = alignment ?? AlignmentOptions.Default;
        bool vectors = a.UnitEncoder != null;

        // The snapshot serves one thread: read the texts first, then analyse and align in parallel.
        var loaded = new List<(IndexedDocument Info, string Text, Candidate Candidate, int Rank, StoredVectors? Vectors)>();
        foreach (var c in candidates)
        {
            if (loaded.Count == top) break;
            var info = index.Get(c.Number);
            if (info == null || info.ContentHash == selfHash) continue;
            string? text = index.ReadText(c.Number);
            if (text == null) continue;
            loaded.Add((info, text, c, loaded.Count + 1, vectors ? index.ReadVectors(c.Number) : null));
        }
        var matches = new CorpusMatch[loaded.Count];
        Parallel.For(0, loaded.Count, i =>
        {
            var (info, text, c, rank, stored) = loaded[i];
            var analyzed = DocumentAnalyzer.Analyze(text, info.Id);
            if (stored != null) ProvideVectors(analyzed, stored, a, info);
            matches[i] = new CorpusMatch(info, analyzed, c, rank, PairAligner.Align(doc, analyzed, alignment));
        });
        return matches;
    }

    /// <summary>Hands a candidate its stored vectors when they are the encoder's and the rule's in use: then only the
    /// query document is encoded. Others (another encoder, an older rule) are left, and the candidate is encoded.</summary>
    private static void ProvideVectors(AnalyzedDocument analyzed, StoredVectors stored, AlignmentOptions a, IndexedDocument info)
    {
        var encoder = a.UnitEncoder!;
        if (stored.Tag != SemanticUnits.Tag(encoder.Name, SemanticUnits.Rule(a.SemanticMinProseWords))) return;
        UnitVectors v;
        try
        {
            v = UnitVectorCodec.Decode(stored.Data, stored.Tag);
        }
        catch (InvalidDataException e)
        {
            throw new IndexException(IndexErrorKind.Damaged, $"damaged index: vectors of document {info.Number} ('{info.Id}') cannot be decoded ({e.Message})", e);
        }
        if (v.Dimension == encoder.Dimension) SentenceVectorCache.Provide(analyzed, v, a.SemanticMinProseWords);
    }
}
