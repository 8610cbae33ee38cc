using System.Text;
namespace Doppel.Engine.Text;
// STUB
public readonly record struct DecodedText(string Text, string EncodingName);
public static class TextDecoder
{
    public const long DefaultMaxBytes = 64L * 1024 * 1024;
    public static DecodedText Decode(ReadOnlySpan<byte> bytes) => new(Encoding.UTF8.GetString(bytes.StartsWith((byte[])[0xEF,0xBB,0xBF]) ? bytes[3..] : bytes), "utf-8");
    public static DecodedText ReadFile(string path, long maxBytes)
    {
        if (Directory.Exists(path)) throw new DocumentInputException($"{path}: is a directory", DocumentInputErrorKind.IsDirectory);
        if (!File.Exists(path)) throw new DocumentInputException($"{path}: no such file", DocumentInputErrorKind.NotFound);
        return Decode(File.ReadAllBytes(path));
    }
}
