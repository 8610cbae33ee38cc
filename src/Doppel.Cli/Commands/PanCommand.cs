using System.CommandLine;
using Doppel.Application;
using System.Diagnostics;
using Doppel.Engine.Alignment;
using Doppel.Engine.Evaluation;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel pan PAIRS SRC_DIR SUSP_DIR OUT_DIR</c>: the PAN text-alignment task layout.</summary>
internal static class PanCommand
{
    public static Command Create(CliContext ctx)
    {
        var pairs = new Argument<FileInfo>("PAIRS") { Description = "File of lines 'suspicious-documentX.txt source-documentY.txt'." };
        var srcDir = new Argument<DirectoryInfo>("SRC_DIR") { Description = "Directory of source documents." };
        var suspDir = new Argument<DirectoryInfo>("SUSP_DIR") { Description = "Directory of suspicious documents." };
        var outDir = new Argument<DirectoryInfo>("OUT_DIR") { Description = "Directory for one SUSP-SRC.xml per pair (created if missing)." };
        var quiet = CommonOptions.Quiet();
        var semantic = CommonOptions.Semantic();
        var cmd = new Command("pan", "Align every pair of a PAN text-alignment pairs file and write PAN detection XML.")
        {
            pairs, srcDir, suspDir, outDir, quiet, semantic,
        };
        cmd.SetAction(r => Run(ctx, ctx.Limits(r), r.GetValue(pairs)!, r.GetValue(srcDir)!, r.GetValue(suspDir)!, r.GetValue(outDir)!, r.GetValue(quiet), r.GetValue(semantic)));
        return cmd;
    }

    private static int Run(CliContext ctx, InputLimits limits, FileInfo pairsFile, DirectoryInfo srcDir, DirectoryInfo suspDir, DirectoryInfo outDir, bool quiet, string? semantic = null)
    {
        if (!CommonOptions.TryApplySemantic(semantic, AlignmentOptions.Default, out var alignment, out var error))
            return ctx.Fail(ExitCodes.InternalError, Output.OneLine(error!));
        var sw = Stopwatch.StartNew();
        if (!pairsFile.Exists) return ctx.Fail(ExitCodes.InputError, $"{pairsFile.FullName}: no such pairs file");
        if (!srcDir.Exists) return ctx.Fail(ExitCodes.InputError, $"{srcDir.FullName}: no such directory");
        if (!suspDir.Exists) return ctx.Fail(ExitCodes.InputError, $"{suspDir.FullName}: no such directory");
        Directory.CreateDirectory(outDir.FullName);

        var list = new List<(string Susp, string Src)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(pairsFile.FullName))
        {
            lineNo++;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts.Length != 2)
                return ctx.Fail(ExitCodes.InputError, $"{pairsFile.Name}:{lineNo}: expected 'SUSPICIOUS SOURCE', got '{line.Trim()}'");
            list.Add((parts[0], parts[1]));
        }

        var loader = new DocumentInputs(limits);
        // Analyse every document once, in parallel, before aligning pairs.
        var docs = list.Select(p => Path.Combine(suspDir.FullName, p.Susp))
            .Concat(list.Select(p => Path.Combine(srcDir.FullName, p.Src)))
            .Distinct().ToArray();
        using (var progress = Progress.Start(ctx, quiet, docs.Length, "documents read"))
            Parallel.ForEach(docs, path => { loader.Load(path); progress.Advance(Path.GetFileName(path)); });

        // Pairs left per document: its sentence vectors are dropped after its last pair, so they do not pile up.
        var pairsLeft = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (susp, src) in list)
        {
            foreach (var path in (string[])[Path.Combine(suspDir.FullName, susp), Path.Combine(srcDir.FullName, src)])
                pairsLeft[path] = pairsLeft.GetValueOrDefault(path) + 1;
        }
        void Done(string path, AnalyzedDocument? doc)
        {
            int left;
            lock (pairsLeft) left = --pairsLeft[path];
            if (left == 0 && doc != null) SentenceVectorCache.Release(doc);
        }

        int failed = 0, done = 0;
        var errors = new string?[list.Count];
        using var pairsProgress = Progress.Start(ctx, quiet, list.Count, "pairs");
        Parallel.For(0, list.Count, i =>
        {
            using var _ = new OnExit(() => pairsProgress.Advance());
            var (suspName, srcName) = list[i];
            string suspPath = Path.Combine(suspDir.FullName, suspName), srcPath = Path.Combine(srcDir.FullName, srcName);
            var susp = loader.Load(suspPath);
            var src = loader.Load(srcPath);
            using var release = new OnExit(() => { Done(suspPath, susp.Document); Done(srcPath, src.Document); });
            if (susp.Error != null || src.Error != null)
            {
                errors[i] = (susp.Error ?? src.Error)!.Message;
                Interlocked.Increment(ref failed);
                return;
            }
            var passages = PairAligner.Align(susp.Document!, src.Document!, alignment);
            string file = Path.Combine(outDir.FullName, $"{Path.GetFileNameWithoutExtension(suspName)}-{Path.GetFileNameWithoutExtension(srcName)}.xml");
            WritePanXml(file, suspName, srcName, susp.Document!.Text, src.Document!.Text, passages);
            Interlocked.Increment(ref done);
        });
        pairsProgress.Dispose();
        foreach (var e in errors)
            if (e != null) ctx.Err.WriteLine($"doppel: {Output.OneLine(e)} (skipped)");
        if (!quiet)
            ctx.Err.WriteLine($"{done} pairs aligned, {failed} failed, {sw.Elapsed.TotalSeconds:F1} s");
        return failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    /// <summary>Runs an action however a pair's worker leaves (aligned or skipped): counting it done, releasing its
    /// documents' vectors.</summary>
    private readonly struct OnExit(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>Writes one pair's detections in PAN XML; PAN offsets count code points.</summary>
    internal static void WritePanXml(string file, string suspName, string srcName, string suspText, string srcText, IReadOnlyList<AlignedPassage> passages)
    {
        var annotations = passages.Select(p =>
        {
            var (to, tl) = Offsets.ToCodePoints(suspText, p.SuspiciousStart, p.SuspiciousLength);
            var (so, sl) = Offsets.ToCodePoints(srcText, p.SourceStart, p.SourceLength);
            return new PanAnnotation(suspName, to, tl, srcName, so, sl, null);
        });
        PanXml.WriteDetections(file, suspName, annotations);
    }

}
