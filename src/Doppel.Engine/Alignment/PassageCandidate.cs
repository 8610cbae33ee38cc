namespace Doppel.Engine.Alignment;

/// <summary>A candidate passage while it is extended and refined: its unit ranges on both sides (suspicious [S0, S1],
/// source [R0, R1]), the tf-isf cosine of those ranges, and the seeds it rests on.</summary>
internal sealed class PassageCandidate
{
    public int S0, S1, R0, R1;
    public double Similarity;
    public List<Seed> Seeds = null!;
}
