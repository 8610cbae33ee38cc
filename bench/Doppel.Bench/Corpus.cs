namespace Doppel.Bench;

/// <summary>
/// Finds the shared evaluation corpora. The rule is "../shared from the repository root"; a git worktree (e.g.
/// /work/wt/bench) has no ../shared beside it, so the main checkout's ../shared is tried next (found through the
/// worktree's .git file). DOPPEL_SHARED overrides both.
/// </summary>
public static class Corpus
{
    private static string? _pan13;

    /// <summary>Root of the repository: the first folder above the executable that holds Doppel.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Doppel.slnx"))) return dir.FullName;
        throw new CorpusNotFoundException(
            $"cannot find the repository root (a folder holding Doppel.slnx) above {AppContext.BaseDirectory}");
    }

    /// <summary>Candidate shared/ folders, in the order they are tried.</summary>
    public static IEnumerable<string> SharedCandidates()
    {
        var env = Environment.GetEnvironmentVariable("DOPPEL_SHARED");
        if (!string.IsNullOrEmpty(env)) yield return Path.GetFullPath(env);
        string root = RepositoryRoot();
        yield return Path.GetFullPath(Path.Combine(root, "..", "shared"));
        string? main = MainCheckout(root);
        if (main != null) yield return Path.GetFullPath(Path.Combine(main, "..", "shared"));
    }

    /// <summary>For a git worktree, the main checkout's root (parent of the common .git directory).</summary>
    private static string? MainCheckout(string root)
    {
        string gitFile = Path.Combine(root, ".git");
        if (!System.IO.File.Exists(gitFile)) return null; // a normal checkout has a .git directory
        string line = System.IO.File.ReadAllText(gitFile).Trim();
        if (!line.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
        string gitDir = Path.GetFullPath(line["gitdir:".Length..].Trim(), root);
        string commonFile = Path.Combine(gitDir, "commondir");
        string common = System.IO.File.Exists(commonFile)
            ? Path.GetFullPath(System.IO.File.ReadAllText(commonFile).Trim(), gitDir)
            : gitDir;
        return Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(common));
    }

    /// <summary>The pan13-train folder, or a <see cref="CorpusNotFoundException"/> naming every place tried.</summary>
    public static string Pan13Train()
    {
        if (_pan13 != null) return _pan13;
        var tried = new List<string>();
        foreach (var shared in SharedCandidates())
        {
            string p = Path.Combine(shared, "corpora", "pan13-train");
            tried.Add(p);
            if (Directory.Exists(Path.Combine(p, "susp")) && Directory.Exists(Path.Combine(p, "src")))
                return _pan13 = p;
        }
        throw new CorpusNotFoundException(
            "the PAN 2013 training corpus is absent. The benchmarks read fixed documents from " +
            "../shared/corpora/pan13-train (relative to the repository root). Tried:\n  " + string.Join("\n  ", tried) +
            "\nSet DOPPEL_SHARED to the folder that holds corpora/ to use another location.");
    }

    public static string Susp(string name) => Existing(Path.Combine(Pan13Train(), "susp", name));
    public static string Src(string name) => Existing(Path.Combine(Pan13Train(), "src", name));

    private static string Existing(string path) =>
        System.IO.File.Exists(path) ? path : throw new CorpusNotFoundException($"{path}: benchmark input missing from the corpus");
}

public sealed class CorpusNotFoundException(string message) : Exception(message);
