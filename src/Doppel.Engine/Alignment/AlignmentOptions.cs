using Doppel.Engine.Semantic;

namespace Doppel.Engine.Alignment;

/// <summary>Parameters of the aligner. Defaults are the general-purpose settings documented in docs/algorithm.md.</summary>
public sealed record AlignmentOptions
{
    public static AlignmentOptions Default { get; } = new();

    /// <summary>Two units seed a match when both their tf-isf cosine and their Dice coefficient exceed these.</summary>
    public double SeedCosine { get; init; } = 0.36;
    public double SeedDice { get; init; } = 0.36;
    /// <summary>... or when their cosine exceeds <see cref="PhraseSeedCosine"/> and they share at least this many stem
    /// trigrams (0 turns phrase seeds off).</summary>
    public int PhraseSeeds { get; init; } = 4;
    public double PhraseSeedCosine { get; init; } = 0.25;

    /// <summary>A unit without a final stop (a heading or title) and with fewer content terms than this seeds nothing
    /// by similarity (exact runs still count): a shared topic name is not reuse. 0 turns the rule off.</summary>
    public int HeadingSeedMinTerms { get; init; } = 4;

    /// <summary>Match a word with a WordNet synonym the source uses instead (undoes synonym
    /// spinning). Off only for experiments.</summary>
    public bool Synonyms { get; init; } = true;

    /// <summary>A passage grows by a neighbouring sentence whose cosine with the source's neighbouring (or edge)
    /// sentence reaches this, up to <see cref="NeighbourSteps"/> sentences on each side. 0 turns growth off.</summary>
    public double NeighbourSimilarity { get; init; } = 0.25;
    public int NeighbourSteps { get; init; } = 1;
    /// <summary>Growth needs two sentence pairs or more, or one at least this similar.</summary>
    public double NeighbourSingleSeedSimilarity { get; init; } = 0.8;

    /// <summary>Largest gap, in units (sentences), allowed between seeds of one candidate when the pair's shape
    /// (summary or not) is decided.</summary>
    public int MaxGap { get; init; } = 4;

    /// <summary>Outside summary mode, passages are then clustered with this smaller gap: a copy keeps its sentences
    /// together, and a wider gap joins two nearby copies, with the text between them, into one passage.</summary>
    public int PassageMaxGap { get; init; } = 3;

    /// <summary>A passage survives when its tf-isf cosine over whole ranges reaches this; otherwise it is
    /// re-clustered with a smaller gap.</summary>
    public double PassageSimilarity { get; init; } = 0.38;

    /// <summary>Passages shorter than this (characters, on either side) are dropped.</summary>
    public int MinPassageChars { get; init; } = 150;

    /// <summary>Exact runs of at least this many words count as verbatim evidence.</summary>
    public int VerbatimMinWords { get; init; } = 8;

    /// <summary>Share of a passage covered by exact runs above which it is reported as verbatim, with
    /// boundaries taken from the runs themselves (character-exact).</summary>
    public double VerbatimCoverage { get; init; } = 0.5;

    /// <summary>Seeds at least this similar mark a sentence as reused in its own right.</summary>
    public double StrongSeed { get; init; } = 0.55;

    /// <summary>In a pair with word-for-word copies, a non-verbatim passage needs this many sentence links or this
    /// score to be kept.</summary>
    public int LooseNextToCopyLinks { get; init; } = 4;
    public double LooseNextToCopyScore { get; init; } = 0.7;
    /// <summary>... or every sentence link at least this similar (an edited copy), or an exact run inside it.</summary>
    public double LooseNextToCopyLinkSimilarity { get; init; } = 0.5;

    /// <summary>A passage resting on a single sentence pair must be at least this similar.</summary>
    public double SingleSeedSimilarity { get; init; } = 0.55;
    /// <summary>... or share at least this many stem trigrams (see <see cref="PhraseOverlap"/>).</summary>
    public int SingleSeedPhrases { get; init; } = 5;

    /// <summary>Largest share of a verbatim passage that strongly similar sentences without exact runs may take.</summary>
    public double VerbatimResidue { get; init; } = 0.1;

    /// <summary>Largest source gap in summary mode, where one sentence condenses several distant ones.</summary>
    public int SummaryMaxGap { get; init; } = 24;

    /// <summary>Non-verbatim pieces at most this many characters apart in the suspicious text are one passage.</summary>
    public int PieceMergeGap { get; init; } = 400;
    /// <summary>... unless both have at least this many sentence links and their source sides are more than
    /// <see cref="PieceSourceReach"/> characters apart.</summary>
    public int PieceStandaloneLinks { get; init; } = 3;
    public int PieceSourceReach { get; init; } = 1000;

    /// <summary>Summary mode: window of suspicious units compared with the whole source, and the cosine it must reach.</summary>
    public int SummaryWindow { get; init; } = 5;
    public double SummaryCosine { get; init; } = 0.33;

    /// <summary>Summary mode: the best window must be at least this many times as similar to the source as the
    /// median window of the suspicious document (a summary stands out; a same-topic document does not).</summary>
    public double SummaryPeakRatio { get; init; } = 2.0;
    /// <summary>... in documents of at least this many windows; a shorter one may be a summary as a whole.</summary>
    public int SummaryPeakMinWindows { get; init; } = 4;
    /// <summary>... and such a short document, with no rest to stand out from, must reach this cosine instead.</summary>
    public double SummaryWholeCosine { get; init; } = 0.45;

    /// <summary>Summary mode: a detected block's source side narrows to the part it matches when that part is this
    /// many times as similar as the whole source (a loosely rewritten excerpt, not a summary).</summary>
    public double SummaryLocalGain { get; init; } = 1.3;
    /// <summary>Summary mode: a regular summary passage stays, instead of the detector's block, when the detector's
    /// cosine with the whole source is below this share of the passage's own score (the part it matches explains it
    /// far better than the whole source: an excerpt, not a summary).</summary>
    public double SummaryKeepsShare { get; init; } = 0.7;

    /// <summary>A paraphrase passage at most <see cref="WholeSourceRatio"/> of its source's length whose cosine with
    /// the whole source is at least <see cref="WholeSourceShare"/> of its cosine with the part it matches best is a
    /// summary of the whole source.</summary>
    public double WholeSourceRatio { get; init; } = 0.3;
    public double WholeSourceShare { get; init; } = 0.9;

    /// <summary>Refining a paraphrase passage's edges: leading (trailing) words of its edge units are cut when those
    /// without a counterpart on the other side outnumber those with one, each of which counts
    /// <see cref="EdgeTrimMatchWeight"/>, by at least <see cref="EdgeTrimMinWords"/>. 0 turns trimming off.</summary>
    public int EdgeTrimMinWords { get; init; } = 3;
    public double EdgeTrimMatchWeight { get; init; } = 2;

    /// <summary>Largest ratio of a passage's source side to its suspicious side (see <see cref="CondensationBound"/>);
    /// 0 turns the bound off.</summary>
    public double MaxCondensation { get; init; } = 25;

    /// <summary>A pair is treated as a summary when its reused text is at most this share of the source text it draws on.</summary>
    public double SummaryRatio { get; init; } = 0.5;

    /// <summary>Sentence-encoder evidence (Semantic/; docs/algorithm.md): off by default. With
    /// <see cref="SemanticMode.Off"/>, or without an <see cref="Encoder"/>, alignment is lexical only.</summary>
    public SemanticMode Semantic { get; init; } = SemanticMode.Off;
    public ISentenceEncoder? Encoder { get; init; }
    /// <summary>Encoder cosine at which a suspicious sentence and its best source sentence seed a passage
    /// (<see cref="SemanticSeeder"/>; calibrated in docs/algorithm.md, "Semantic evidence").</summary>
    public double SemanticSeedSimilarity { get; init; } = 0.86;
    /// <summary>Prose (non-markup) words a unit needs to be encoded at all.</summary>
    public int SemanticMinProseWords { get; init; } = 6;
    /// <summary>With <see cref="SemanticMode.Auto"/>: the cheap encoder that finds candidate unit pairs for
    /// <see cref="Encoder"/> to confirm (<see cref="StaticEncoder"/>); without one, auto encodes like on.</summary>
    public ISentenceEncoder? CandidateEncoder { get; init; }

    /// <summary>The encoder whose vectors are compared across every prose unit of a pair (the static table in auto
    /// mode, the transformer when on; none when off): the vectors a reference index stores at <c>index add</c>.</summary>
    public ISentenceEncoder? UnitEncoder => Semantic switch
    {
        SemanticMode.Off => null,
        SemanticMode.Auto when CandidateEncoder != null => CandidateEncoder,
        _ => Encoder,
    };
    /// <summary>Static cosine at which a mutual-best unit pair becomes a candidate for the transformer to confirm
    /// (calibrated in docs/algorithm.md, "Semantic evidence").</summary>
    public double SemanticCandidateSimilarity { get; init; } = 0.80;
    /// <summary>Most units (both sides together) the transformer encodes for one pair in auto mode: the
    /// best-scoring candidates first, so a pathological pair costs at most this many transformer sentences.</summary>
    public int SemanticConfirmBudget { get; init; } = 128;
}
