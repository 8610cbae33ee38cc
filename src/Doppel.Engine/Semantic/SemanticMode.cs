using Doppel.Engine.Alignment;

namespace Doppel.Engine.Semantic;

/// <summary>Whether the aligner uses sentence-encoder evidence (issue 11; docs/cli.md, <c>--semantic</c>).</summary>
public enum SemanticMode
{
    /// <summary>Lexical evidence only (tf-isf cosine, Dice, exact runs): the default for now.</summary>
    Off,
    /// <summary>The encoder where it is available and the run can afford it; lexical only otherwise.</summary>
    Auto,
    /// <summary>Always the encoder; an error when its model cannot be loaded.</summary>
    On,
}

/// <summary>The process-wide encoder behind <see cref="SemanticMode"/>: loaded once, on first use (about 90 MB of model
/// and a second of start-up, so never for <see cref="SemanticMode.Off"/>).</summary>
public static class SemanticEncoders
{
    private static readonly Lazy<TransformerEncoder> Shared = new(() => new TransformerEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The encoder for <paramref name="mode"/>: none when off, or when auto and the model is missing.
    /// Throws <see cref="SentenceEncoderUnavailableException"/> when on and the model cannot be loaded.</summary>
    public static ISentenceEncoder? For(SemanticMode mode) => mode switch
    {
        SemanticMode.Off => null,
        SemanticMode.Auto when !TransformerEncoder.IsAvailable() => null,
        _ => Shared.Value,
    };

    /// <summary>Parses an option value: off, auto or on (any case).</summary>
    public static bool TryParse(string? value, out SemanticMode mode)
    {
        mode = SemanticMode.Off;
        switch (value?.Trim().ToLowerInvariant())
        {
            case "off": mode = SemanticMode.Off; return true;
            case "auto": mode = SemanticMode.Auto; return true;
            case "on": mode = SemanticMode.On; return true;
            default: return false;
        }
    }

    /// <summary>The transformer, loaded when first asked to encode: auto mode needs it only for pairs with candidates.</summary>
    private static readonly LazyEncoder LazyShared = new(() => Shared.Value);

    /// <summary><paramref name="options"/> with <paramref name="mode"/> and its encoders set: for auto, the static
    /// encoder finds candidates and the transformer (loaded on first use) confirms them.</summary>
    public static AlignmentOptions WithSemantic(this AlignmentOptions options, SemanticMode mode) => mode switch
    {
        SemanticMode.Auto when TransformerEncoder.IsAvailable() => options with { Semantic = mode, Encoder = LazyShared, CandidateEncoder = StaticEncoder.Shared },
        _ => options with { Semantic = mode, Encoder = For(mode), CandidateEncoder = null },
    };

    /// <summary>An encoder created on first use.</summary>
    private sealed class LazyEncoder(Func<ISentenceEncoder> create) : ISentenceEncoder
    {
        private readonly Lazy<ISentenceEncoder> _inner = new(create, LazyThreadSafetyMode.ExecutionAndPublication);
        public string Name => _inner.Value.Name;
        public int Dimension => _inner.Value.Dimension;
        public float[] Encode(IReadOnlyList<string> sentences, CancellationToken cancellationToken = default) => _inner.Value.Encode(sentences, cancellationToken);
        public void Dispose() { } // the shared instance lives as long as the process
    }
}
