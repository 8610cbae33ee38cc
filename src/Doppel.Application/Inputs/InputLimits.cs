using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>How large an input may be, and what a refusal for size tells the user to do about it (the command line
/// names its <c>--max-file-size</c> option; a server its upload setting).</summary>
public sealed record InputLimits(long MaxBytes = TextDecoder.DefaultMaxBytes, string? SizeHint = null)
{
    public static readonly InputLimits Default = new();
}
