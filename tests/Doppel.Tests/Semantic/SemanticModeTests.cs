using Doppel.Engine.Alignment;
using Doppel.Engine.Semantic;
using Xunit;

namespace Doppel.Tests.Semantic;

public sealed class SemanticModeTests
{
    [Theory]
    [InlineData("off", SemanticMode.Off)]
    [InlineData("AUTO", SemanticMode.Auto)]
    [InlineData(" on ", SemanticMode.On)]
    public void Option_values_parse(string value, SemanticMode expected)
    {
        Assert.True(SemanticEncoders.TryParse(value, out var mode));
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void Other_values_are_refused() => Assert.False(SemanticEncoders.TryParse("yes", out _));

    [Fact]
    public void Off_is_the_default_and_loads_no_encoder()
    {
        Assert.Equal(SemanticMode.Off, AlignmentOptions.Default.Semantic);
        Assert.Null(AlignmentOptions.Default.Encoder);
        var o = AlignmentOptions.Default.WithSemantic(SemanticMode.Off);
        Assert.Null(o.Encoder);
        Assert.Equal(AlignmentOptions.Default, o);
    }

    [Fact]
    public void On_gives_the_shared_encoder()
    {
        var o = AlignmentOptions.Default.WithSemantic(SemanticMode.On);
        Assert.Equal(SemanticMode.On, o.Semantic);
        Assert.NotNull(o.Encoder);
        Assert.Null(o.CandidateEncoder);
        Assert.Same(o.Encoder, AlignmentOptions.Default.WithSemantic(SemanticMode.On).Encoder);
    }

    [Fact]
    public void Auto_gives_the_static_table_for_candidates_and_the_transformer_to_confirm()
    {
        var o = AlignmentOptions.Default.WithSemantic(SemanticMode.Auto);
        Assert.Equal(SemanticMode.Auto, o.Semantic);
        Assert.Same(StaticEncoder.Shared, o.CandidateEncoder);
        Assert.NotNull(o.Encoder);
        Assert.Equal(AlignmentOptions.Default.WithSemantic(SemanticMode.On).Encoder!.Name, o.Encoder!.Name);
        Assert.True(o.SemanticCandidateSimilarity < o.SemanticSeedSimilarity);
    }
}
