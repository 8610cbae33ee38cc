namespace Doppel.Engine.Evaluation;

/// <summary>
/// One PAN text-alignment annotation: a plagiarism case (ground truth) or a detection.
/// It links the passage [<see cref="ThisOffset"/>, <see cref="ThisOffset"/> + <see cref="ThisLength"/>)
/// of the suspicious document to the passage [<see cref="SourceOffset"/>, <see cref="SourceOffset"/> + <see cref="SourceLength"/>)
/// of the source document. Offsets and lengths count characters.
/// </summary>
/// <param name="SuspiciousReference">The suspicious document, e.g. "suspicious-document00005.txt" (the <c>reference</c> of the XML's root).</param>
/// <param name="ThisOffset">Start of the passage in the suspicious document.</param>
/// <param name="ThisLength">Length of the passage in the suspicious document.</param>
/// <param name="SourceReference">The source document, e.g. "source-document01090.txt".</param>
/// <param name="SourceOffset">Start of the passage in the source document.</param>
/// <param name="SourceLength">Length of the passage in the source document.</param>
/// <param name="Obfuscation">The <c>obfuscation</c> attribute, or the <c>type</c> attribute when there is no
/// obfuscation attribute (e.g. "translation-chain"); null when neither is present. Not used by the measures.</param>
/// <param name="Llm">The <c>llm</c> attribute (PAN 2025: the model that rewrote the case), or null. Not used by the measures.</param>
public readonly record struct PanAnnotation(
    string SuspiciousReference,
    int ThisOffset,
    int ThisLength,
    string SourceReference,
    int SourceOffset,
    int SourceLength,
    string? Obfuscation = null,
    string? Llm = null)
{
    /// <summary>Exclusive end of the suspicious-side passage.</summary>
    public long ThisEnd => (long)ThisOffset + ThisLength;

    /// <summary>Exclusive end of the source-side passage.</summary>
    public long SourceEnd => (long)SourceOffset + SourceLength;
}
