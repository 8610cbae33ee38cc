namespace Doppel.Engine.Language.WordNet;

/// <summary>
/// Builds the word-level synonym table the aligner ships with: for each single-word lemma, the other lemmas of its
/// synsets and of the adjective synsets "similar to" it. Those are the substitutions that synonym spinners and the
/// PAN random obfuscation make ("sheet" for "slip", "x" for "letter"). Hypernyms and hyponyms were tried too
/// (pan13-train): they raise recall further but make texts that merely share a topic look reused.
/// The output is one line per word: "word&lt;TAB&gt;related related ...", sorted, so the file diffs cleanly.
/// </summary>
public static class SynonymTableBuilder
{
    private static readonly HashSet<string> Steps = ["&"];

    public static SortedDictionary<string, SortedSet<string>> Build(IEnumerable<Synset> synsets)
    {
        var byKey = new Dictionary<string, Synset>();
        foreach (var s in synsets) byKey[s.Key] = s;

        var table = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var s in byKey.Values)
        {
            if (s.Lemmas.Length == 0) continue;
            var related = new List<string>(s.Lemmas);
            foreach (var (symbol, target) in s.Pointers)
                if (Steps.Contains(symbol) && byKey.TryGetValue(target, out var t)) related.AddRange(t.Lemmas);
            foreach (var word in s.Lemmas)
            {
                if (!IsPlainWord(word)) continue;
                if (!table.TryGetValue(word, out var set)) table[word] = set = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var r in related)
                    if (r != word && IsPlainWord(r)) set.Add(r);
            }
        }
        foreach (var k in table.Where(kv => kv.Value.Count == 0).Select(kv => kv.Key).ToList()) table.Remove(k);
        return table;
    }

    /// <summary>Letters (and inner hyphens or apostrophes) only: numbers and codes are never synonyms.</summary>
    private static bool IsPlainWord(string w) =>
        w.Length > 0 && char.IsLetter(w[0]) && char.IsLetter(w[^1]) && w.All(c => char.IsLetter(c) || c is '-' or '\'');

    public static void Write(SortedDictionary<string, SortedSet<string>> table, TextWriter writer)
    {
        foreach (var (word, related) in table)
        {
            writer.Write(word);
            writer.Write('\t');
            writer.WriteLine(string.Join(' ', related));
        }
    }
}
