namespace Doppel.Engine.Alignment;

/// <summary>A pair of units (suspicious unit S, source unit R) judged similar enough to start a passage. A
/// <paramref name="Semantic"/> seed comes from the sentence encoder (<see cref="SemanticSeeder"/>) and its similarity is
/// the encoder's cosine, not a lexical one.</summary>
internal readonly record struct Seed(int S, int R, float Similarity, bool Semantic = false);

/// <summary>An exact run of equal words: suspicious token S, source token R, Length tokens.</summary>
internal readonly record struct VerbatimRun(int S, int R, int Length);

/// <summary>Exact runs chained along one diagonal with small gaps: token ranges [S, SEnd) and [R, REnd), with
/// Covered tokens actually equal.</summary>
internal readonly record struct VerbatimBlock(int S, int SEnd, int R, int REnd, int Covered);
