using Doppel.Engine.Alignment;
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

        // The snapshot serves one thread: read the texts first, then analyse and align in parallel.
        var loaded = new List<(IndexedDocument Info, string Text, Candidate Candidate, int Rank)>();
        foreach (var c in candidates)
        {
            if (loaded.Count == top) break;
            var info = index.Get(c.Number);
            if (info == null || info.ContentHash == selfHash) continue;
            string? text = index.ReadText(c.Number);
            if (text == null) continue;
            loaded.Add((info, text, c, loaded.Count + 1));
        }
        var matches = new CorpusMatch[loaded.Count];
        Parallel.For(0, loaded.Count, i =>
        {
            var (info, text, c, rank) = loaded[i];
            var analyzed = DocumentAnalyzer.Analyze(text, info.Id);
            matches[i] = new CorpusMatch(info, analyzed, c, rank, PairAligner.Align(doc, analyzed, alignment));
        });
        return matches;
    }
}
