// Porter2 ("Snowball English") stemmer, following the published algorithm at
// https://snowballstem.org/algorithms/english/stemmer.html (the classic form with the
// gener/commun/arsen R1 prefixes and the proceed/exceed/succeed invariants).
// Hand-written because no stemmer package is available on our NuGet mirror, and because the
// tokenizer hot loop needs a span-in/span-out API that never allocates.

namespace Doppel.Engine.Language;

public static class EnglishStemmer
{
    /// <summary>
    /// Writes the stem of <paramref name="word"/> (already lowercased) into
    /// <paramref name="destination"/> and returns its length. Porter2 never lengthens a word,
    /// so a destination as long as the input always suffices. Does not allocate.
    /// </summary>
    public static int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
            throw new ArgumentException("Destination must be at least as long as the word.", nameof(destination));

        // The whole algorithm runs in place in the destination: every rule only shortens the
        // word or rewrites letters, so no scratch buffer is needed.
        word.CopyTo(destination);
        int len = word.Length;
        if (len <= 2)
            return len;

        int exception = Exception1(word, destination);
        if (exception >= 0)
            return exception;

        Span<char> w = destination;

        if (w[0] == '\'')
        {
            w.Slice(1, len - 1).CopyTo(w);
            len--;
        }

        // Marking consonantal y as 'Y' keeps it out of the vowel tests below; left-to-right so
        // that a freshly marked Y counts as a consonant for the next letter ("sayyid").
        bool anyY = false;
        if (len > 0 && w[0] == 'y')
        {
            w[0] = 'Y';
            anyY = true;
        }
        for (int i = 1; i < len; i++)
        {
            if (w[i] == 'y' && IsVowel(w[i - 1]))
            {
                w[i] = 'Y';
                anyY = true;
            }
        }

        ReadOnlySpan<char> marked = w[..len];
        int p1;
        if (marked.StartsWith("gener") || marked.StartsWith("arsen"))
            p1 = 5;
        else if (marked.StartsWith("commun"))
            p1 = 6;
        else
            p1 = AfterVowelConsonant(marked, 0);
        int p2 = AfterVowelConsonant(marked, p1);

        len = Step1a(w, len);

        if (!IsException2(w[..len]))
        {
            len = Step1b(w, len, p1);
            len = Step1c(w, len);
            len = Step2(w, len, p1);
            len = Step3(w, len, p1, p2);
            len = Step4(w, len, p2);
            len = Step5(w, len, p1, p2);
        }

        if (anyY)
        {
            for (int i = 0; i < len; i++)
            {
                if (w[i] == 'Y')
                    w[i] = 'y';
            }
        }

        return len;
    }

    /// <summary>Convenience overload; returns the input instance when the stem is unchanged.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2)
            return word;

        Span<char> buffer = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        int n = Stem(word.AsSpan(), buffer);
        return n == word.Length && buffer[..n].SequenceEqual(word) ? word : new string(buffer[..n]);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    // Index just past the first non-vowel that follows a vowel, at or after 'start'.
    private static int AfterVowelConsonant(ReadOnlySpan<char> w, int start)
    {
        int i = start;
        while (i < w.Length && !IsVowel(w[i]))
            i++;
        while (i < w.Length && IsVowel(w[i]))
            i++;
        return i < w.Length ? i + 1 : w.Length;
    }

    private static bool ContainsVowel(ReadOnlySpan<char> w)
    {
        foreach (char c in w)
        {
            if (IsVowel(c))
                return true;
        }
        return false;
    }

    // Short syllable ending at 'end': (non-vowel, vowel, non-vowel other than w/x/Y), or
    // (vowel, non-vowel) at the very start of the word.
    private static bool EndsWithShortSyllable(ReadOnlySpan<char> w, int end)
    {
        if (end == 2)
            return IsVowel(w[0]) && !IsVowel(w[1]);
        if (end < 3)
            return false;
        char last = w[end - 1];
        return !IsVowel(last) && last != 'w' && last != 'x' && last != 'Y'
            && IsVowel(w[end - 2]) && !IsVowel(w[end - 3]);
    }

    private static bool EndsWith(Span<char> w, int len, string suffix) => w[..len].EndsWith(suffix);

    private static int Replace(Span<char> w, int len, int suffixLength, string replacement)
    {
        int start = len - suffixLength;
        replacement.CopyTo(w[start..]);
        return start + replacement.Length;
    }

    private static int Exception1(ReadOnlySpan<char> word, Span<char> w)
    {
        string? stem = word switch
        {
            "skis" => "ski",
            "skies" => "sky",
            "dying" => "die",
            "lying" => "lie",
            "tying" => "tie",
            "idly" => "idl",
            "gently" => "gentl",
            "ugly" => "ugli",
            "early" => "earli",
            "only" => "onli",
            "singly" => "singl",
            "sky" or "news" or "howe" or "atlas" or "cosmos" or "bias" or "andes" => "",
            _ => null,
        };
        if (stem is null)
            return -1;
        if (stem.Length == 0)
            return word.Length; // invariant: already copied into the destination
        stem.CopyTo(w);
        return stem.Length;
    }

    private static bool IsException2(ReadOnlySpan<char> w) =>
        w is "inning" or "outing" or "canning" or "herring" or "earring"
            or "proceed" or "exceed" or "succeed";

    private static int Step1a(Span<char> w, int len)
    {
        if (EndsWith(w, len, "'s'"))
            len -= 3;
        else if (EndsWith(w, len, "'s"))
            len -= 2;
        else if (EndsWith(w, len, "'"))
            len -= 1;

        if (EndsWith(w, len, "sses"))
            return len - 2;
        if (EndsWith(w, len, "ied") || EndsWith(w, len, "ies"))
            return len - 3 > 1 ? len - 2 : len - 1; // "cries" -> "cri" but "ties" -> "tie"
        if (EndsWith(w, len, "ss") || EndsWith(w, len, "us"))
            return len;
        // The letter right before the s does not count: "gas" and "this" keep their s.
        if (EndsWith(w, len, "s") && len >= 2 && ContainsVowel(w[..(len - 2)]))
            return len - 1;
        return len;
    }

    private static int Step1b(Span<char> w, int len, int p1)
    {
        // A matched -eed outside R1 blocks the -ed rule ("bleed" stays), hence the early returns.
        if (EndsWith(w, len, "eedly"))
            return len - 5 >= p1 ? len - 3 : len;
        if (EndsWith(w, len, "eed"))
            return len - 3 >= p1 ? len - 1 : len;

        int suffix = EndsWith(w, len, "ingly") ? 5
            : EndsWith(w, len, "edly") ? 4
            : EndsWith(w, len, "ing") ? 3
            : EndsWith(w, len, "ed") ? 2
            : 0;
        if (suffix == 0 || !ContainsVowel(w[..(len - suffix)]))
            return len;

        len -= suffix;
        if (EndsWith(w, len, "at") || EndsWith(w, len, "bl") || EndsWith(w, len, "iz"))
        {
            w[len] = 'e';
            return len + 1;
        }
        if (len >= 2 && w[len - 1] == w[len - 2] && w[len - 1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't')
            return len - 1;
        if (p1 >= len && EndsWithShortSyllable(w, len))
        {
            w[len] = 'e';
            return len + 1;
        }
        return len;
    }

    private static int Step1c(Span<char> w, int len)
    {
        if (len >= 3 && w[len - 1] is 'y' or 'Y' && !IsVowel(w[len - 2]))
            w[len - 1] = 'i';
        return len;
    }

    private static int Step2(Span<char> w, int len, int p1)
    {
        // Longest matching suffix wins; if it is not in R1 the step does nothing (no fallback
        // to a shorter suffix), as in the reference implementation.
        (int length, string replacement, char requiredBefore) rule =
            EndsWith(w, len, "ational") ? (7, "ate", '\0')
            : EndsWith(w, len, "ization") ? (7, "ize", '\0')
            : EndsWith(w, len, "fulness") ? (7, "ful", '\0')
            : EndsWith(w, len, "ousness") ? (7, "ous", '\0')
            : EndsWith(w, len, "iveness") ? (7, "ive", '\0')
            : EndsWith(w, len, "tional") ? (6, "tion", '\0')
            : EndsWith(w, len, "biliti") ? (6, "ble", '\0')
            : EndsWith(w, len, "lessli") ? (6, "less", '\0')
            : EndsWith(w, len, "entli") ? (5, "ent", '\0')
            : EndsWith(w, len, "ation") ? (5, "ate", '\0')
            : EndsWith(w, len, "alism") ? (5, "al", '\0')
            : EndsWith(w, len, "aliti") ? (5, "al", '\0')
            : EndsWith(w, len, "ousli") ? (5, "ous", '\0')
            : EndsWith(w, len, "iviti") ? (5, "ive", '\0')
            : EndsWith(w, len, "fulli") ? (5, "ful", '\0')
            : EndsWith(w, len, "enci") ? (4, "ence", '\0')
            : EndsWith(w, len, "anci") ? (4, "ance", '\0')
            : EndsWith(w, len, "abli") ? (4, "able", '\0')
            : EndsWith(w, len, "izer") ? (4, "ize", '\0')
            : EndsWith(w, len, "ator") ? (4, "ate", '\0')
            : EndsWith(w, len, "alli") ? (4, "al", '\0')
            : EndsWith(w, len, "bli") ? (3, "ble", '\0')
            : EndsWith(w, len, "ogi") ? (3, "og", 'l')
            : EndsWith(w, len, "li") ? (2, "", '*')
            : (0, "", '\0');

        int start = len - rule.length;
        if (rule.length == 0 || start < p1)
            return len;
        if (rule.requiredBefore == 'l' && (start == 0 || w[start - 1] != 'l'))
            return len;
        if (rule.requiredBefore == '*' && (start == 0 || !IsValidLiEnding(w[start - 1])))
            return len;
        return Replace(w, len, rule.length, rule.replacement);
    }

    private static bool IsValidLiEnding(char c) =>
        c is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't';

    private static int Step3(Span<char> w, int len, int p1, int p2)
    {
        (int length, string replacement, bool needsR2) rule =
            EndsWith(w, len, "ational") ? (7, "ate", false)
            : EndsWith(w, len, "tional") ? (6, "tion", false)
            : EndsWith(w, len, "alize") ? (5, "al", false)
            : EndsWith(w, len, "icate") ? (5, "ic", false)
            : EndsWith(w, len, "iciti") ? (5, "ic", false)
            : EndsWith(w, len, "ative") ? (5, "", true)
            : EndsWith(w, len, "ical") ? (4, "ic", false)
            : EndsWith(w, len, "ness") ? (4, "", false)
            : EndsWith(w, len, "ful") ? (3, "", false)
            : (0, "", false);

        int start = len - rule.length;
        if (rule.length == 0 || start < p1 || (rule.needsR2 && start < p2))
            return len;
        return Replace(w, len, rule.length, rule.replacement);
    }

    private static int Step4(Span<char> w, int len, int p2)
    {
        int suffix =
            EndsWith(w, len, "ement") ? 5
            : EndsWith(w, len, "ance") || EndsWith(w, len, "ence") || EndsWith(w, len, "able")
                || EndsWith(w, len, "ible") || EndsWith(w, len, "ment") ? 4
            : EndsWith(w, len, "ant") || EndsWith(w, len, "ent") || EndsWith(w, len, "ism")
                || EndsWith(w, len, "ate") || EndsWith(w, len, "iti") || EndsWith(w, len, "ous")
                || EndsWith(w, len, "ive") || EndsWith(w, len, "ize") ? 3
            : EndsWith(w, len, "ion") ? -3
            : EndsWith(w, len, "al") || EndsWith(w, len, "er") || EndsWith(w, len, "ic") ? 2
            : 0;

        if (suffix == -3)
        {
            int s = len - 3;
            return s >= p2 && s > 0 && w[s - 1] is 's' or 't' ? s : len;
        }
        return suffix > 0 && len - suffix >= p2 ? len - suffix : len;
    }

    private static int Step5(Span<char> w, int len, int p1, int p2)
    {
        if (len == 0)
            return len;
        int start = len - 1;
        if (w[start] == 'e')
        {
            if (start >= p2 || (start >= p1 && !EndsWithShortSyllable(w, start)))
                return start;
        }
        else if (w[start] == 'l')
        {
            if (start >= p2 && start > 0 && w[start - 1] == 'l')
                return start;
        }
        return len;
    }
}
