using System.CommandLine;
using Doppel.Application;
using Doppel.Engine.Collection;
using Doppel.Engine.Reports.Collection;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel cross DIR_OR_FILES... [--exclude FILE...] [--min-words N] [--format html|json|csv] [-o OUT]</c>:
/// collection mode, every document against every other.</summary>
internal static class CrossCommand
{
    public static Command Create(CliContext ctx)
    {
        var inputs = new Argument<string[]>("DIR_OR_FILES")
        {
            Description = $"The submissions: files and/or directories ({CommonOptions.SearchedFor}).",
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
        minWords.WholeNumber(min: 1);
        var commonShare = new Option<double>("--common-share")
        {
            Description = "Text found in more than this share of the documents is common material, reported and not counted.",
            DefaultValueFactory = _ => CollectionOptions.Default.CommonShare,
            HelpName = "SHARE",
        };
        commonShare.Number(v => v is > 0 and <= 1, "--common-share must be in (0, 1].");
        var pages = new Option<int>("--pages")
        {
            Description = "HTML: write side-by-side pages for this many top pairs.",
            DefaultValueFactory = _ => 500,
            HelpName = "N",
        };
        pages.WholeNumber(min: 0);
        var format = CommonOptions.Format("html", "json", "csv");
        var output = new Option<string>("--output", "-o")
        {
            Description = "html: the report folder (default doppel-cross-report); json, csv: the file (default standard output).",
            HelpName = "OUT",
        };
        var quiet = CommonOptions.Quiet();
        var semantic = CommonOptions.Semantic();
        var cmd = new Command("cross", "Compare every document of a collection with every other: pairs that share reused passages, clusters, common material.")
        {
            inputs, exclude, minWords, commonShare, format, output, pages, quiet, semantic,
        };
        cmd.SetAction(r => Run(ctx, new Request(r.GetValue(inputs)!, r.GetValue(exclude) ?? [], r.GetValue(minWords), r.GetValue(commonShare),
            r.GetValue(format)!, r.GetValue(output), r.GetValue(pages), r.GetValue(quiet), ctx.Limits(r), r.GetValue(semantic))));
        return cmd;
    }

    private sealed record Request(string[] Inputs, string[] Exclude, int MinWords, double CommonShare, string Format, string? Output, int Pages, bool Quiet, InputLimits Limits, string? Semantic = null);

    private static int Run(CliContext ctx, Request q)
    {
        var service = new CollectionService(q.Limits);
        var options = CollectionOptions.Default with { MinWords = q.MinWords, CommonShare = q.CommonShare };
        if (!CommonOptions.TryApplySemantic(q.Semantic, options.Alignment, out var alignment, out var error)
            || !CommonOptions.TryApplySemantic(q.Semantic, options.ShortTextAlignment, out var shortAlignment, out error))
            return ctx.Fail(ExitCodes.InternalError, Output.OneLine(error!));
        options = options with { Alignment = alignment, ShortTextAlignment = shortAlignment };
        CollectionRun run;
        try
        {
            using var display = new ProgressDisplay(ctx, q.Quiet);
            run = service.CrossPaths(q.Inputs, q.Exclude, options, display);
        }
        catch (ServiceException e)
        {
            return ctx.Fail(ExitCodes.InputError, e.Role == InputRole.Template ? $"{e.Message} (--exclude)" : e.Message);
        }
        var docs = run.Documents;
        foreach (var f in run.Result.Failures)
            ctx.Err.WriteLine($"doppel: internal error aligning {docs[f.A].Path} with {docs[f.B].Path}: {f.Message} (pair skipped)");
        var report = run.Report;

        int code = q.Format switch
        {
            "json" => Output.Write(ctx, q.Output == null ? null : new FileInfo(q.Output), report.ToJson() + "\n"),
            "csv" => Output.Write(ctx, q.Output == null ? null : new FileInfo(q.Output), CollectionCsv.Write(report)),
            _ => WriteHtml(ctx, q.Output ?? "doppel-cross-report", report, run.Result, q.Pages),
        };
        if (code != ExitCodes.Success) return code;
        if (!q.Quiet)
        {
            var s = report.Summary;
            ctx.Err.WriteLine($"doppel: {s.Documents} documents, {s.CandidatePairs} candidate pairs aligned, {s.Pairs} pairs share text in {s.Clusters} clusters ({s.Seconds.Total + s.Seconds.Load:0.0} s)"
                + (q.Format == "html" ? $"; report: {Path.Combine(q.Output ?? "doppel-cross-report", "index.html")}" : ""));
        }
        return run.Partial ? ExitCodes.PartialFailure : ExitCodes.Success;
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
}
