using System.CommandLine;
using Doppel.Engine.Alignment;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Html;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel check DOC --against FILE_OR_DIR... [--format text|json] [-o FILE]</c>: one document against
/// many sources, ranked by how much of DOC each covers.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var doc = new Argument<string>("DOC") { Description = "The document to check." };
        var against = new Option<string[]>("--against", "-a")
        {
            Description = "Source files or directories (searched recursively for text, Markdown, HTML, DOCX and PDF files).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
            HelpName = "FILE_OR_DIR",
        };
        var format = CommonOptions.Format("text", "json", "html");
        var output = CommonOptions.OutputFile();
        var noColor = CommonOptions.NoColor();
        var quiet = CommonOptions.Quiet();
        var reportOptions = new ReportOptionSet();
        var cmd = new Command("check", "Compare DOC with every source, rank the sources by the share of DOC they cover, and list the passages.")
        {
            doc, against, format, output, noColor, quiet,
        };
        reportOptions.AddTo(cmd);
        cmd.SetAction(r => Run(ctx, r.GetValue(doc)!, r.GetValue(against)!, r.GetValue(format)!, r.GetValue(output),
            r.GetValue(noColor), ctx.MaxBytes(r), reportOptions.Read(r, r.GetValue(format)!), r.GetValue(quiet)));
        return cmd;
    }


    private static int Run(CliContext ctx, string docPath, string[] against, string format, FileInfo? output, bool noColor, long maxBytes,
        ReportOptions reportOptions, bool quiet)
    {
        var inputs = new Inputs(maxBytes);
        AnalyzedDocument doc;
        try
        {
            doc = inputs.LoadOrThrow(docPath);
        }
        catch (DocumentInputException e)
        {
            return ctx.Fail(ExitCodes.InputError, Output.OneLine(e.Message));
        }

        var files = InputFiles.Discover(against, Path.GetFullPath(docPath));
        if (files.Count == 0)
            return ctx.Fail(ExitCodes.InputError, $"{string.Join(", ", against)}: no source documents found");

        // Each source is analysed and aligned independently: one parallel pass does both.
        var results = new (AlignedSource? Aligned, DocumentInputException? Error)[files.Count];
        using (var progress = Progress.Start(ctx, quiet, files.Count, "sources"))
        {
            Parallel.For(0, files.Count, i =>
            {
                var f = files[i];
                var loaded = inputs.Load(f.Path, f.Name);
                results[i] = loaded.Document == null
                    ? (null, loaded.Error)
                    : (new AlignedSource(loaded.Document, f.Name, f.Path, PairAligner.Align(doc, loaded.Document)), null);
                progress.Advance(f.Name);
            });
        }

        var skipped = new List<SkippedInput>();
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i].Error is not { } e) continue;
            string message = Output.OneLine(e.Message);
            ctx.Err.WriteLine($"doppel: {message} (skipped)");
            skipped.Add(new SkippedInput { Path = files[i].Path, Kind = ReportBuilder.KindName(e.Kind), Message = message });
        }
        var aligned = results.Where(x => x.Aligned != null).Select(x => x.Aligned!).ToList();
        if (aligned.Count == 0)
            return ctx.Fail(ExitCodes.InputError, "no usable source documents");

        var report = ReportBuilder.Build(doc, Path.GetFileName(docPath), docPath, aligned, skipped, reportOptions);
        string content = format switch
        {
            "json" => report.ToJson() + "\n",
            "html" => HtmlReportRenderer.Render(report),
            _ => TextReport.Check(report, Output.UseColor(ctx, output, noColor), ctx.TerminalWidth),
        };
        int code = Output.Write(ctx, output, content);
        return code != ExitCodes.Success ? code : skipped.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }
}
