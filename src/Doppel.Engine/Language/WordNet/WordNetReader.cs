namespace Doppel.Engine.Language.WordNet;

/// <summary>One WordNet synset: its single-word lemmas (lowercase; multi-word lemmas are left out because the
/// aligner compares single words) and the relations that leave it.</summary>
public sealed record Synset(string Key, string[] Lemmas, (string Symbol, string Target)[] Pointers);

/// <summary>
/// Reads the Princeton WordNet 3.0 database files (data.noun, data.verb, data.adj, data.adv, as installed by
/// Debian's wordnet-base in /usr/share/wordnet). Only what the synonym table needs: lemmas and pointers.
/// Format: "offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptr... | gloss", w_cnt in hex.
/// </summary>
public static class WordNetReader
{
    private static readonly (string File, char Pos)[] Parts = [("data.noun", 'n'), ("data.verb", 'v'), ("data.adj", 'a'), ("data.adv", 'r')];

    public static IEnumerable<Synset> ReadAll(string directory)
    {
        foreach (var (file, pos) in Parts)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found (install Debian's wordnet-base)", path);
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length == 0 || line[0] == ' ') continue; // licence header lines start with two spaces
                var s = Parse(line, pos);
                if (s != null) yield return s;
            }
        }
    }

    /// <summary>Parses one data line; null when it is not a synset line.</summary>
    public static Synset? Parse(string line, char pos)
    {
        int bar = line.IndexOf(" | ", StringComparison.Ordinal);
        var f = (bar >= 0 ? line[..bar] : line).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 4) return null;
        int words = Convert.ToInt32(f[3], 16);
        int i = 4;
        var lemmas = new List<string>(words);
        for (int w = 0; w < words && i + 1 < f.Length; w++, i += 2)
        {
            string lemma = f[i];
            int paren = lemma.IndexOf('(');           // adjective markers: "asleep(p)"
            if (paren > 0) lemma = lemma[..paren];
            if (lemma.Contains('_')) continue;
            lemmas.Add(lemma.ToLowerInvariant());
        }
        if (i >= f.Length) return new Synset(Key(f[0], pos), [.. lemmas], []);
        int pointers = int.Parse(f[i++]);
        var ptrs = new (string, string)[pointers];
        for (int p = 0; p < pointers && i + 3 < f.Length; p++, i += 4)
            ptrs[p] = (f[i], Key(f[i + 1], f[i + 2][0] == 's' ? 'a' : f[i + 2][0]));
        return new Synset(Key(f[0], pos), [.. lemmas], ptrs);
    }

    /// <summary>Synsets are addressed by offset within their part of speech; adjective satellites live in data.adj.</summary>
    private static string Key(string offset, char pos) => $"{pos}{offset}";
}
