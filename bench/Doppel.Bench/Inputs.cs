using System.Text;

namespace Doppel.Bench;

/// <summary>
/// The fixed inputs of every benchmark, named so that runs on different commits stay comparable. Do not change
/// these without noting it in bench/results.md.
/// </summary>
public static class Inputs
{
    /// <summary>~101 KB, pure ASCII: the largest suspicious document of pan13-train.</summary>
    public const string Ascii100K = "suspicious-document00562.txt";

    /// <summary>~104 KB with non-ASCII text (no-break spaces, curly quotes, dashes, bullets): these two documents
    /// joined by a blank line. Used for the UTF-8 vs cp1252 decode comparison and as a second normalise input.</summary>
    public const string MixedSusp = "suspicious-document00654.txt";
    public const string MixedSrc = "source-document01822.txt";

    /// <summary>One realistic pair per pan13-train folder (keyed by a short form of the folder name, e.g. 03-random for
    /// 03-random-obfuscation): both sides over 10 KB where the folder has such pairs
    /// (summary sources are short), with at least one plagiarism case, near the folder's median total size.</summary>
    public static readonly IReadOnlyDictionary<string, (string Susp, string Src)> Pairs = new Dictionary<string, (string, string)>
    {
        ["01-noplag"] = ("suspicious-document01659.txt", "source-document01821.txt"),
        ["02-none"] = ("suspicious-document01193.txt", "source-document01719.txt"),
        ["03-random"] = ("suspicious-document01160.txt", "source-document02551.txt"),
        ["04-transl"] = ("suspicious-document00850.txt", "source-document02241.txt"),
        ["05-summary"] = ("suspicious-document01290.txt", "source-document03029.txt"),
    };

    public static string AsciiText() => File.ReadAllText(Corpus.Susp(Ascii100K), Encoding.UTF8);

    public static string MixedText() =>
        File.ReadAllText(Corpus.Susp(MixedSusp), Encoding.UTF8) + "\n\n" + File.ReadAllText(Corpus.Src(MixedSrc), Encoding.UTF8);

    public static Encoding Cp1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
