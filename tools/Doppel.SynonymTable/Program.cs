// Regenerates the engine's synonym table from WordNet 3.0 (Debian: apt-get install wordnet-base).
// Usage: dotnet run --project tools/Doppel.SynonymTable -c Release -- [WORDNET_DIR] [OUT_FILE]
using System.IO.Compression;
using Doppel.Engine.Language.WordNet;

string dir = args.Length > 0 ? args[0] : "/usr/share/wordnet";
string output = args.Length > 1 ? args[1] : Path.Combine("src", "Doppel.Engine", "Language", "Data", "synonyms.tsv.gz");
try
{
    var table = SynonymTableBuilder.Build(WordNetReader.ReadAll(dir));
    using (var file = File.Create(output))
    using (var gz = new GZipStream(file, CompressionLevel.SmallestSize))
    using (var writer = new StreamWriter(gz) { NewLine = "\n" })
        SynonymTableBuilder.Write(table, writer);
    Console.WriteLine($"{output}: {table.Count} words, {table.Values.Sum(v => v.Count)} relations, {new FileInfo(output).Length} bytes");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
{
    Console.Error.WriteLine($"synonym-table: {e.Message}");
    return 1;
}
