using System.CommandLine;
using System.Diagnostics;
using Doppel.Engine.Collection;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Collection;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel cross DIR_OR_FILES... [--exclude FILE...] [--min-words N] [--format html|json|csv] [-o OUT]</c>:
/// collection mode, every document against every other.</summary>
internal static class CrossCommand
{
    public static Command Create(CliContext ctx)
    {
        var inputs = new Argument<string[]>("DIR_OR_FILES")
        {
            Description = "The submissions: files and/or directories (searched recursively for *.txt, *.md, *.text and extensionless text files).",
            Arity = ArgumentArity.OneOrMore,
        };
        var exclude = new Option<string[]>("--exclude", "-x")
        {
            Description = "Template files (assignment prompt, provided reading): their text never counts as reuse.",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "FILE",
        };
        var minWords = new Option<int>("--min-words")
        {
            Description = "Shortest passage that counts, in words (template and common words left out).",
            DefaultValueFactory = _ => CollectionOptions.Default.MinWords,
            HelpName = "N",
        };
        minWords.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--min-words must be at least 1."); });
        var commonShare = new Option<double>("--common-share")
        {
            Description = "Text found in more than this share of the documents is common material, reported and not counted.",
            DefaultValueFactory = _ => CollectionOptions.Default.CommonShare,
            HelpName = "SHARE",
        };
        commonShare.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (> 0 and <= 1)) r.AddError("--common-share must be in (0, 1]."); });
        var pages = new Option<int>("--pages")
        {
            Description = "HTML: write side-by-side pages for this many top pairs.",
            DefaultValueFactory = _ => 500,
            HelpName = "N",
        };
        pages.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--pages must be 0 or more."); });
        var format = CommonOptions.Format("html", "json", "csv");
        var output = new Option<string>("--output", "-o")
        {
            Description = "html: the report folder (default doppel-cross-report); json, csv: the file (default standard output).",
            HelpName = "OUT",
        };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("cross", "Compare every document of a collection with every other: pairs that share reused passages, clusters, common material.")
        {
            inputs, exclude, minWords, commonShare, format, output, pages, quiet,
        };
        cmd.SetAction(r => Run(ctx, new Request(r.GetValue(inputs)!, r.GetValue(exclude) ?? [], r.GetValue(minWords), r.GetValue(commonShare),
            r.GetValue(format)!, r.GetValue(output), r.GetValue(pages), r.GetValue(quiet), ctx.MaxBytes(r))));
        return cmd;
    }

    private sealed record Request(string[] Inputs, string[] Exclude, int MinWords, double CommonShare, string Format, string? Output, int Pages, bool Quiet, long MaxBytes);

    private static int Run(CliContext ctx, Request q)
    {
        using var progress = new StageProgress(ctx, q.Quiet);
        var inputs = new Inputs(q.MaxBytes);
        var templates = new List<AnalyzedDocument>();
        foreach (var path in q.Exclude)
        {
            try { templates.Add(inputs.LoadOrThrow(path)); }
            catch (DocumentInputException e) { return ctx.Fail(ExitCodes.InputError, $"{Output.OneLine(e.Message)} (--exclude)"); }
        }
        var excluded = q.Exclude.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var files = InputFiles.Discover(q.Inputs).Where(f => !excluded.Contains(Path.GetFullPath(f.Path))).ToList();
        UniqueNames(files);
        if (files.Count == 0)
            return ctx.Fail(ExitCodes.InputError, $"{string.Join(", ", q.Inputs)}: no documents found");

        var load = Stopwatch.StartNew();
        var loaded = new DocumentLoader.LoadResult[files.Count];
        int read = 0;
        Parallel.For(0, files.Count, i =>
        {
            loaded[i] = inputs.Load(files[i].Path, files[i].Name);
            progress.Report("files read", Interlocked.Increment(ref read), files.Count);
        });
        var docs = new List<CollectionInput>(files.Count);
        var skipped = new List<SkippedInput>();
        for (int i = 0; i < files.Count; i++)
        {
            if (loaded[i].Document is { } d)
            {
                docs.Add(new CollectionInput(files[i].Name, files[i].Path, d));
                continue;
            }
            string message = Output.OneLine(loaded[i].Error!.Message);
            ctx.Err.WriteLine($"doppel: {message} (skipped)");
            skipped.Add(new SkippedInput { Path = files[i].Path, Kind = ReportBuilder.KindName(loaded[i].Error!.Kind), Message = message });
        }
        double loadSeconds = load.Elapsed.TotalSeconds;
        if (docs.Count < 2)
            return ctx.Fail(ExitCodes.InputError, $"cross needs at least two usable documents; found {docs.Count} of {files.Count}");

        var options = CollectionOptions.Default with { MinWords = q.MinWords, CommonShare = q.CommonShare };
        var result = CollectionAnalyzer.Run(docs, templates, options, p =>
        {
            switch (p.Stage)
            {
                case CollectionStage.Fingerprinting: progress.Report("documents fingerprinted", p.Done, p.Total); break;
                case CollectionStage.Candidates: progress.Report("documents searched for candidates", p.Done, p.Total); break;
                case CollectionStage.Aligning: progress.Report("candidate pairs aligned", p.Done, p.Total); break;
            }
        });
        result = WithLoadTime(result, loadSeconds);
        foreach (var f in result.Failures)
            ctx.Err.WriteLine($"doppel: internal error aligning {docs[f.A].Path} with {docs[f.B].Path}: {f.Message} (pair skipped)");
        var report = CollectionReportBuilder.Build(result, skipped, q.Exclude);

        int code = q.Format switch
        {
            "json" => Output.Write(ctx, q.Output == null ? null : new FileInfo(q.Output), report.ToJson() + "\n"),
            "csv" => Output.Write(ctx, q.Output == null ? null : new FileInfo(q.Output), CollectionCsv.Write(report)),
            _ => WriteHtml(ctx, q.Output ?? "doppel-cross-report", report, result, q.Pages),
        };
        if (code != ExitCodes.Success) return code;
        if (!q.Quiet)
        {
            var s = report.Summary;
            ctx.Err.WriteLine($"doppel: {s.Documents} documents, {s.CandidatePairs} candidate pairs aligned, {s.Pairs} pairs share text in {s.Clusters} clusters ({s.Seconds.Total + s.Seconds.Load:0.0} s)"
                + (q.Format == "html" ? $"; report: {Path.Combine(q.Output ?? "doppel-cross-report", "index.html")}" : ""));
        }
        return skipped.Count > 0 || result.Failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    private static CollectionResult WithLoadTime(CollectionResult r, double load) => new()
    {
        Documents = r.Documents, DocumentStats = r.DocumentStats, Pairs = r.Pairs, Clusters = r.Clusters, Common = r.Common,
        CandidatePairs = r.CandidatePairs, CommonFingerprints = r.CommonFingerprints, TemplateFingerprints = r.TemplateFingerprints,
        Options = r.Options, Masks = r.Masks, Failures = r.Failures, Timings = r.Timings with { LoadSeconds = load },
    };

    /// <summary>Two directories may hold files of the same relative name: those documents are named by their path.</summary>
    private static void UniqueNames(List<SourceFile> files)
    {
        var dup = files.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++)
            if (dup.Contains(files[i].Name)) files[i] = files[i] with { Name = files[i].Path.Replace(Path.DirectorySeparatorChar, '/') };
    }

    private static int WriteHtml(CliContext ctx, string dir, CollectionReport report, CollectionResult result, int pages)
    {
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "pairs"));
            foreach (var (path, content) in CollectionHtml.Render(report, result, pages))
                File.WriteAllText(Path.Combine(dir, path), content);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return ctx.Fail(ExitCodes.OutputError, $"{dir}: cannot write: {Output.OneLine(e.Message)}");
        }
    }

    /// <summary>One progress display per stage (reading, fingerprinting, candidates, aligning): a bar on a terminal,
    /// a line every two seconds in logs. Stages report from parallel workers.</summary>
    private sealed class StageProgress(CliContext ctx, bool quiet) : IDisposable
    {
        private readonly Lock _lock = new();
        private string? _stage;
        private Progress? _current;

        public void Report(string stage, int done, int total)
        {
            var p = Volatile.Read(ref _current);
            if (!ReferenceEquals(Volatile.Read(ref _stage), stage))
            {
                lock (_lock)
                {
                    if (!ReferenceEquals(_stage, stage))
                    {
                        _current?.Dispose();
                        _current = Progress.Start(ctx, quiet, total, stage, TimeSpan.FromSeconds(1), logEvery: TimeSpan.FromSeconds(2));
                        _stage = stage;
                    }
                    p = _current;
                }
            }
            p!.Report(done);
        }

        public void Dispose() => _current?.Dispose();
    }
}
