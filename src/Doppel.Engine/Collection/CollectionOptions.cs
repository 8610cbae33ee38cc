using Doppel.Engine.Alignment;

namespace Doppel.Engine.Collection;

/// <summary>Parameters of collection mode (all-against-all). Documented in docs/collection.md.</summary>
public sealed record CollectionOptions
{
    public static CollectionOptions Default { get; } = new();

    /// <summary>Fingerprints are hashes of this many consecutive content-word stems (stopwords skipped).</summary>
    public int FingerprintWords { get; init; } = 3;

    /// <summary>Also index sentence signatures (<see cref="Fingerprinter.Signatures"/>), so that copies whose word
    /// order or words were changed too much for word trigrams to survive still become candidates.</summary>
    public bool SentenceSignatures { get; init; } = true;

    /// <summary>A pair is aligned when the two documents share at least this many distinct fingerprints
    /// (frequent and excluded fingerprints aside).</summary>
    public int MinSharedFingerprints { get; init; } = 2;

    /// <summary>...and at least this share of the smaller document's distinct fingerprints. Chance matches grow
    /// with document length while a copied passage's do not, so long documents need more shared evidence.</summary>
    public double MinSharedShare { get; init; } = 0.004;

    /// <summary>...but never more than this many: a short passage copied into a long document keeps the same
    /// few fingerprints however long the document is.</summary>
    public int MaxSharedRequired { get; init; } = 8;

    /// <summary>Fingerprints held by more documents than this are not used to propose candidates: they are
    /// stock phrases of the genre, not evidence of copying (they still take part in alignment). The limit is
    /// the larger of this floor and <see cref="CandidateMaxShare"/> of the collection.</summary>
    public int CandidateMaxDocsFloor { get; init; } = 25;
    public double CandidateMaxShare { get; init; } = 0.002;

    /// <summary>Text whose fingerprints occur in more than this share of the documents is common material
    /// (boilerplate, the prompt pasted by everyone): reported, never counted as reuse.</summary>
    public double CommonShare { get; init; } = 0.5;

    /// <summary>...and in at least this many documents, so that in a tiny collection one copied pair is not
    /// mistaken for common material.</summary>
    public int CommonMinDocs { get; init; } = 5;

    /// <summary>A passage counts only when it holds at least this many words on both sides once template and
    /// common material are taken out.</summary>
    public int MinWords { get; init; } = 15;

    /// <summary>A summary passage (one text condensing the other as a whole) counts only when its condensed side
    /// is at most this share of the other side's length: two essays of similar length that are merely close as
    /// wholes (one assignment, one vocabulary) are not summaries of each other.</summary>
    public double SummaryMaxLengthRatio { get; init; } = 0.75;

    /// <summary>Aligner settings for pairs of ordinary length: the general-purpose defaults. Passages must also
    /// pass the word minimum (<see cref="MinWords"/>) once template and common words are left out.</summary>
    public AlignmentOptions Alignment { get; init; } = AlignmentOptions.Default;

    /// <summary>Short-text profile: when the shorter document of a pair has fewer words than this (short answers,
    /// abstracts), <see cref="ShortTextAlignment"/> is used. A short answer reworded sentence by sentence keeps less
    /// of each sentence's vocabulary than a long PAN document does, so seeding is a little more lenient; measured
    /// on the Clough-Stevenson short answers (docs/collection.md). Synonym matching is off here: short answers to
    /// one question share their topic's vocabulary, and with lenient seeds, synonyms made same-topic answers look
    /// copied (Clough-Stevenson AUC cut+light vs non 0.886 with synonyms, 0.970 without). A short answer that
    /// condenses its source as a whole is the expected shape here, so the summary detector takes it at its usual
    /// threshold (the general profile asks more of a short document: AUCs 0.956 / 0.969 with that). A heavily revised
    /// answer scatters its matches, so passages keep the wider gap of the shape decision (heavy vs non AUC 0.969 with
    /// the general profile's gap of 3, 0.997 with 4). Phrase seeds are off: a short answer's sentences already seed
    /// leniently, and answers to one question share its stock phrases, so a phrase seed mostly chains a heavily
    /// revised answer's scattered matches into a cluster that fails validation (heavy vs non 0.970 with them).</summary>
    public int ShortTextWords { get; init; } = 600;
    public AlignmentOptions ShortTextAlignment { get; init; } = AlignmentOptions.Default with
    {
        SeedCosine = 0.3, SeedDice = 0.25, Synonyms = false, SummaryWholeCosine = AlignmentOptions.Default.SummaryCosine,
        PassageMaxGap = AlignmentOptions.Default.MaxGap, PhraseSeeds = 0,
    };

    /// <summary>Pairs aligned at once; 0 = one per processor.</summary>
    public int MaxParallelism { get; init; }
}
