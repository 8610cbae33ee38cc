using System.Text;
using Doppel.Engine.Text;
using Xunit;

namespace Doppel.Tests.Text;

public class MojibakeTests
{
    [Fact]
    public void Repairs_ApostropheInExampleText()
    {
        // This exact string occurs in examples/essay-paraphrased.txt.
        Assert.Equal("Kennedy’s ability", Mojibake.Repair("Kennedyâ€™s ability"));
    }

    [Theory]
    [InlineData("Ã©", "é")]
    [InlineData("â€œquotedâ€\u009D", "“quoted”")]    // 0x9D is undefined in cp1252: shows up as the C1 char
    [InlineData("â€”", "—")]
    [InlineData("â‚¬5", "€5")]
    [InlineData("Â\u00A0", "\u00A0")]
    [InlineData("Â ", "\u00A0")]                      // the NBSP often degrades to a plain space on the way
    [InlineData("ðŸ˜€", "😀")]                        // 4-byte sequence -> non-BMP rune (surrogate pair)
    [InlineData("naÃ¯ve cafÃ©", "naïve café")]
    public void Repairs_CommonSequences(string broken, string expected)
    {
        Assert.Equal(expected, Mojibake.Repair(broken));
    }

    [Fact]
    public void NormalAccentedText_IsUnchanged()
    {
        const string text = "café résumé naïve Ångström — “fine” Ölçü Ærø ÀÉÎÕÜ";
        Assert.Same(text, Mojibake.Repair(text));
    }

    [Fact]
    public void FrenchNoBreakSpaceBeforePunctuation_IsNotRepaired()
    {
        // é (E9) + NBSP (A0) + » (BB) is valid UTF-8 for U+983B, but here it is French typography.
        const string text = "un café\u00A0» et « thé\u00A0»";
        Assert.Same(text, Mojibake.Repair(text));
        Assert.Equal("à la", Mojibake.Repair("Ã\u00A0 la")); // a 2-byte sequence with NBSP is still a repair
        Assert.Equal("DÛ\u00A0!", Mojibake.Repair("DÛ\u00A0!"));   // ...but only when it completes a Latin letter
    }

    [Fact]
    public void TryRepairAt_ReportsConsumedAndRune()
    {
        const string text = "Kennedyâ€™s";
        Assert.True(Mojibake.TryRepairAt(text, 7, out int consumed, out Rune rune));
        Assert.Equal(3, consumed);
        Assert.Equal(new Rune('’'), rune);
        Assert.False(Mojibake.TryRepairAt(text, 0, out _, out _));  // 'K' is not a possible lead
        Assert.False(Mojibake.TryRepairAt(text, 8, out _, out _));  // '€' is a continuation, not a lead
        Assert.False(Mojibake.TryRepairAt(text, 99, out _, out _)); // out of range is just "no"
    }

    [Theory]
    [InlineData("â€")]          // truncated 3-byte sequence
    [InlineData("à€€")]         // E0 80 80: overlong encoding of U+0000
    [InlineData("í\u00A0€")]    // ED A0 80: a UTF-16 surrogate, not a scalar value
    [InlineData("ô\u0090€€")]   // F4 90 80 80: beyond U+10FFFF
    [InlineData("Ãx")]          // continuation must map to 0x80..0xBF
    [InlineData("é ")]          // a real é followed by a space
    public void TryRepairAt_RejectsInvalidSequences(string text)
    {
        Assert.False(Mojibake.TryRepairAt(text, 0, out _, out _));
    }

    [Fact]
    public void RoundTrip_ThroughWindows1252AndLatin1()
    {
        // Any text, UTF-8 encoded and wrongly decoded as cp1252 (or Latin-1), must come back exactly.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        const string original = "“Quotes” ‘and’ dashes — – … € ™ œ Š é ü ñ ß Ω Ж 中文 😀 naïve";
        byte[] utf8 = Encoding.UTF8.GetBytes(original);
        Assert.Equal(original, Mojibake.Repair(Encoding.GetEncoding(1252).GetString(utf8)));
        Assert.Equal(original, Mojibake.Repair(Encoding.Latin1.GetString(utf8)));
    }
}
