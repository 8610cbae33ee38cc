using System.Text;

namespace Doppel.CollectionBench;

/// <summary>
/// Deterministic synthetic essay collection with planted copying. Words come from a seeded model: a Zipf-
/// distributed vocabulary of pronounceable pseudo-words, real English function words between them, and a per-
/// essay topic vocabulary (essays of one assignment share words, so chance overlaps are realistic). Copying is
/// planted as chains (each essay copies passages of the previous one, so text travels down the chain) and stars
/// (several essays copy from one), with light edits. The assignment prompt is pasted at the top of 70% of the
/// essays: common material that must not count. Every sentence carries the id of the sentence it descends from,
/// which gives the truth: two essays share reuse when they hold sentences of the same origin.
/// </summary>
internal sealed class Generator(int documents, int seed, int words)
{
    private static readonly string[] FunctionWords =
        ("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they " +
         "were you one all their has been there we its would can more when who will if so than into other some what only " +
         "also these them may then could about most such through many over after between where those while both each").Split(' ');

    private const int Vocabulary = 30000, Topics = 40, TopicWords = 300;
    private readonly Random _rng = new(seed);
    private string[] _vocab = [];
    private double[] _cumulative = [];
    private int[][] _topics = [];

    private sealed record Sentence(long Origin, string[] Words);

    public void Write(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        BuildVocabulary();
        var essays = new List<Sentence>[documents];
        long next = 0;
        for (int d = 0; d < documents; d++)
        {
            int topic = _rng.Next(Topics);
            var list = new List<Sentence>();
            int count = 0;
            while (count < words)
            {
                var s = MakeSentence(topic);
                list.Add(new Sentence(next++, s));
                count += s.Length;
            }
            essays[d] = list;
        }

        // Planted copying: about 15% of the essays take part, in chains of 2-5 and stars of 3-6.
        var order = Enumerable.Range(0, documents).OrderBy(_ => _rng.Next()).ToArray();
        int at = 0, budget = Math.Max(6, documents * 15 / 100);
        var groups = new List<(string Kind, int[] Docs)>();
        while (at < budget && at + 6 <= order.Length)
        {
            bool chain = _rng.NextDouble() < 0.6;
            int size = chain ? 2 + _rng.Next(4) : 3 + _rng.Next(4);
            var g = order[at..(at + size)];
            at += size;
            groups.Add((chain ? "chain" : "star", g));
            for (int k = 1; k < g.Length; k++)
            {
                int from = chain ? g[k - 1] : g[0];
                int passages = 1 + _rng.Next(3);
                for (int p = 0; p < passages; p++) CopyPassage(essays[from], essays[g[k]]);
            }
        }

        var prompt = MakePrompt();
        File.WriteAllText(Path.Combine(dir, "prompt.txt"), Render(prompt));
        for (int d = 0; d < documents; d++)
        {
            var text = new StringBuilder();
            if (_rng.NextDouble() < 0.7) text.Append(Render(prompt)).Append("\n\n");
            text.Append(Render(essays[d]));
            File.WriteAllText(Path.Combine(dir, "docs", Name(d)), text.ToString());
        }
        WriteTruth(dir, essays, groups);
    }

    public static string Name(int d) => $"essay-{d:D6}.txt";

    private void BuildVocabulary()
    {
        string[] onset = ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cr", "st", "tr", "pl", "gr"];
        string[] vowel = ["a", "e", "i", "o", "u", "ea", "io", "ou"];
        string[] coda = ["", "n", "r", "s", "l", "t", "m", "nd", "st", "x"];
        var seen = new HashSet<string>(FunctionWords);
        var vocab = new List<string>(Vocabulary);
        while (vocab.Count < Vocabulary)
        {
            int syl = 1 + _rng.Next(3);
            var w = new StringBuilder();
            for (int s = 0; s < syl; s++) w.Append(onset[_rng.Next(onset.Length)]).Append(vowel[_rng.Next(vowel.Length)]).Append(coda[_rng.Next(coda.Length)]);
            if (w.Length >= 4 && seen.Add(w.ToString())) vocab.Add(w.ToString());
        }
        _vocab = vocab.ToArray();
        _cumulative = new double[Vocabulary];
        double sum = 0;
        for (int i = 0; i < Vocabulary; i++) { sum += 1.0 / Math.Pow(i + 1, 1.05); _cumulative[i] = sum; }
        for (int i = 0; i < Vocabulary; i++) _cumulative[i] /= sum;
        _topics = new int[Topics][];
        for (int t = 0; t < Topics; t++)
            _topics[t] = Enumerable.Range(0, TopicWords).Select(_ => 200 + _rng.Next(5000)).ToArray();
    }

    private string ContentWord(int topic)
    {
        if (_rng.NextDouble() < 0.25) return _vocab[_topics[topic][_rng.Next(TopicWords)]];
        int i = Array.BinarySearch(_cumulative, _rng.NextDouble());
        return _vocab[Math.Min(Vocabulary - 1, i < 0 ? ~i : i)];
    }

    private string[] MakeSentence(int topic)
    {
        int n = 8 + _rng.Next(21);
        var w = new string[n];
        for (int i = 0; i < n; i++) w[i] = _rng.NextDouble() < 0.45 ? FunctionWords[_rng.Next(FunctionWords.Length)] : ContentWord(topic);
        return w;
    }

    private List<Sentence> MakePrompt()
    {
        var list = new List<Sentence>();
        for (int i = 0; i < 3; i++) list.Add(new Sentence(-1, MakeSentence(0)));
        return list;
    }

    /// <summary>Copies 3-8 consecutive sentences of one essay over a stretch of another, lightly edited:
    /// about 8% of words replaced, 4% dropped, 4% function words inserted, an occasional swap.</summary>
    private void CopyPassage(List<Sentence> from, List<Sentence> to)
    {
        int len = 3 + _rng.Next(6);
        if (from.Count <= len || to.Count <= len) return;
        int s = _rng.Next(from.Count - len), t = _rng.Next(to.Count - len);
        for (int k = 0; k < len; k++)
        {
            var src = from[s + k];
            var edited = new List<string>(src.Words.Length + 2);
            foreach (var word in src.Words)
            {
                double x = _rng.NextDouble();
                if (x < 0.04) continue;
                if (x < 0.12) edited.Add(ContentWord(0));
                else edited.Add(word);
                if (_rng.NextDouble() < 0.04) edited.Add(FunctionWords[_rng.Next(FunctionWords.Length)]);
            }
            if (edited.Count > 3 && _rng.NextDouble() < 0.3)
            {
                int i = _rng.Next(edited.Count - 1);
                (edited[i], edited[i + 1]) = (edited[i + 1], edited[i]);
            }
            to[t + k] = new Sentence(src.Origin, edited.ToArray());
        }
    }

    private static string Render(List<Sentence> sentences)
    {
        var sb = new StringBuilder();
        int inParagraph = 0;
        foreach (var s in sentences)
        {
            if (s.Words.Length == 0) continue;
            if (inParagraph > 0) sb.Append(' ');
            sb.Append(char.ToUpperInvariant(s.Words[0][0])).Append(s.Words[0].AsSpan(1));
            for (int i = 1; i < s.Words.Length; i++) sb.Append(' ').Append(s.Words[i]);
            sb.Append('.');
            if (++inParagraph == 6) { sb.Append("\n\n"); inParagraph = 0; }
        }
        return sb.ToString().TrimEnd() + "\n";
    }

    /// <summary>truth.csv: every pair of essays sharing sentences of one origin, with how many; groups.csv: the planted groups.</summary>
    private void WriteTruth(string dir, List<Sentence>[] essays, List<(string Kind, int[] Docs)> groups)
    {
        var truth = new StringBuilder("doc_a,doc_b,shared_sentences\n");
        var g = new StringBuilder("kind,documents\n");
        foreach (var (kind, docs) in groups)
        {
            g.Append(kind).Append(',').Append(string.Join(' ', docs.Select(Name))).Append('\n');
            var sorted = docs.OrderBy(d => d).ToArray();
            for (int i = 0; i < sorted.Length; i++)
                for (int j = i + 1; j < sorted.Length; j++)
                {
                    var a = essays[sorted[i]].Select(s => s.Origin).ToHashSet();
                    int shared = essays[sorted[j]].Select(s => s.Origin).Distinct().Count(a.Contains);
                    if (shared > 0) truth.Append(Name(sorted[i])).Append(',').Append(Name(sorted[j])).Append(',').Append(shared).Append('\n');
                }
        }
        File.WriteAllText(Path.Combine(dir, "truth.csv"), truth.ToString());
        File.WriteAllText(Path.Combine(dir, "groups.csv"), g.ToString());
    }
}
