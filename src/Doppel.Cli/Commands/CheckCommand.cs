using System.CommandLine;
using Doppel.Application;
using Doppel.Engine.Alignment;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Html;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel check DOC... (--against FILE_OR_DIR... | --index DIR) [--top K] [--format text|json|html|pan] [-o OUT]</c>:
/// documents against many sources, ranked by how much of each document they cover. With <c>--against</c> every
/// source is aligned; with <c>--index</c> candidates are retrieved from the reference index and the top K aligned.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var docs = new Argument<string[]>("DOC") { Description = "The documents to check.", Arity = ArgumentArity.OneOrMore };
        var against = new Option<string[]>("--against", "-a")
        {
            Description = $"Source files or directories ({CommonOptions.SearchedFor}).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
            HelpName = "FILE_OR_DIR",
        };
        var indexOption = IndexOption.Create();
        indexOption.Description = "Check against the reference index in DIR, or on a Redis Cluster at redis://HOST:PORT[,...][/NAME] (see 'doppel index'); the default when --against is not given: " +
            $"${IndexLocation.EnvironmentVariable}, else ~/.local/share/doppel/index.";
        var top = new Option<int>("--top", "-k")
        {
            Description = "With an index: at most this many retrieved candidates are aligned with each document (those with enough evidence, strongest first).",
            DefaultValueFactory = _ => 50,
            HelpName = "K",
        };
        top.WholeNumber(min: 1, max: 1000);
        var format = CommonOptions.Format("text", "json", "html", "pan");
        var output = new Option<string>("--output", "-o")
        {
            Description = "Write the report to FILE instead of standard output; with --format pan, the directory for one SUSP-SRC.xml " +
                "per source with detections; with --format html and several documents, the directory for one DOC.html each.",
            HelpName = "OUT",
        };
        var noColor = CommonOptions.NoColor();
        var links = CommonOptions.Links();
        var quiet = CommonOptions.Quiet();
        var semantic = CommonOptions.Semantic();
        var reportOptions = new ReportOptionSet();
        var cmd = new Command("check", "Compare documents with every source (--against) or with the best candidates from a reference index (--index), " +
            "rank the sources by the share of each document they cover, and list the passages.")
        {
            docs, against, indexOption, top, format, output, noColor, links, quiet, semantic,
        };
        reportOptions.AddTo(cmd);
        cmd.Validators.Add(r =>
        {
            if (r.GetResult(against) != null && r.GetResult(indexOption) != null) r.AddError("Give either --against or --index, not both.");
            if (r.GetValue(format) == "pan" && string.IsNullOrEmpty(r.GetValue(output))) r.AddError("--format pan needs -o DIR.");
            if (r.GetValue(format) == "html" && r.GetValue(docs)!.Length > 1 && string.IsNullOrEmpty(r.GetValue(output)))
                r.AddError("--format html with several documents needs -o DIR.");
        });
        cmd.SetAction(r =>
        {
            var settings = new Settings(r.GetValue(format)!, r.GetValue(output), r.GetValue(noColor), r.GetValue(links), r.GetValue(quiet), reportOptions.Read(r, r.GetValue(format)!));
            if (!CommonOptions.TryApplySemantic(r.GetValue(semantic), AlignmentOptions.Default, out var alignment, out var error))
                return ctx.Fail(ExitCodes.InternalError, Output.OneLine(error!));
            var options = new CheckOptions { Report = settings.Report, KeepReports = settings.Format != "pan", Top = r.GetValue(top), Alignment = alignment };
            var service = new CheckService(ctx.Limits(r));
            var docPaths = r.GetValue(docs)!;
            if (r.GetResult(against) != null)
                return Run(ctx, settings, docPaths.Length, (observer, onChecked) => service.AgainstPaths(docPaths, r.GetValue(against)!, options, observer, onChecked));
            // Without either option, the default index is used only when there is one.
            string location;
            try
            {
                location = IndexLocation.Resolve(r.GetValue(indexOption));
            }
            catch (ServiceException e)
            {
                return ctx.Fail(ExitCodes.UsageError, $"check needs --against FILE_OR_DIR or --index DIR ({e.Message})");
            }
            var index = new IndexService(location, ctx.Limits(r));
            if (r.GetResult(indexOption) == null && !index.Exists)
                return ctx.Fail(ExitCodes.UsageError, $"check needs --against FILE_OR_DIR or --index DIR (there is no index at {index.Location})");
            return IndexCommand.WithIndex(ctx, () =>
            {
                using var idx = index.Open();
                var documents = docPaths.Select(p => DocumentSource.FromFile(p)).ToList();
                return Run(ctx, settings, docPaths.Length, (observer, onChecked) => service.AgainstIndex(idx, documents, options, observer, onChecked));
            });
        });
        return cmd;
    }

    private sealed record Settings(string Format, string? Output, bool NoColor, bool Links, bool Quiet, ReportOptions Report);

    /// <summary>Runs a check with progress on standard error, then writes its report: PAN files are written as each
    /// document is done, other formats once all are.</summary>
    private static int Run(CliContext ctx, Settings s, int documents, Func<IOperationObserver, Action<CheckedDocument>?, CheckResult> check)
    {
        int panCode = ExitCodes.Success;
        Action<CheckedDocument>? onChecked = s.Format != "pan" ? null : c =>
        {
            if (panCode == ExitCodes.Success) panCode = WritePan(ctx, c, s.Output!);
        };
        CheckResult result;
        try
        {
            using var display = new ProgressDisplay(ctx, s.Quiet, loneDocument: documents == 1);
            result = check(display, onChecked);
        }
        catch (ServiceException e)
        {
            return ctx.Fail(ExitCodes.InputError, e.Message);
        }
        if (result.Checked == 0) return ExitCodes.InputError; // each document's problem is reported already
        int code = s.Format == "pan" ? panCode : Write(ctx, result.Reports, s);
        return code != ExitCodes.Success ? code : result.Partial ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    private static int Write(CliContext ctx, IReadOnlyList<ComparisonReport> reports, Settings s)
    {
        if (s.Format == "html" && reports.Count > 1)
            return WriteHtmlPerDocument(ctx, reports, s.Output!);
        var file = s.Output == null ? null : new FileInfo(s.Output);
        string content;
        if (s.Format == "json")
            content = reports.Count == 1 ? reports[0].ToJson() + "\n" : "[\n" + string.Join(",\n", reports.Select(r => r.ToJson())) + "\n]\n";
        else if (s.Format == "html")
            content = HtmlReportRenderer.Render(reports[0]);
        else
            content = string.Join("\n", reports.Select(r => TextReport.Check(r, Output.UseColor(ctx, file, s.NoColor), ctx.TerminalWidth, s.Links)));
        return Output.Write(ctx, file, content);
    }

    /// <summary>Several documents as HTML: one self-contained report per document, DIR/NAME.html.</summary>
    private static int WriteHtmlPerDocument(CliContext ctx, IReadOnlyList<ComparisonReport> reports, string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var report in reports)
            {
                string name = Path.GetFileNameWithoutExtension(report.Suspicious.Name);
                string file = name;
                for (int n = 2; !used.Add(file); n++) file = $"{name}-{n}";
                File.WriteAllText(Path.Combine(dir, file + ".html"), HtmlReportRenderer.Render(report));
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Fail(ExitCodes.OutputError, $"{dir}: cannot write: {Output.OneLine(e.Message)}");
        }
    }

    /// <summary>PAN layout: one SUSP-SRC.xml per source with detections, references named by file name.</summary>
    private static int WritePan(CliContext ctx, CheckedDocument c, string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            {
                string suspName = Path.GetFileName(c.Input.Path);
                foreach (var src in c.Sources.Where(x => x.Passages.Count > 0))
                {
                    // Content indexed under several ids is reported under each: the file cannot tell which one is meant.
                    var names = c.Aliases.TryGetValue(src.Name, out var more) ? more.Prepend(src.Name) : [src.Name];
                    foreach (var name in names)
                    {
                        string srcName = Path.GetFileName(name);
                        string file = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(suspName)}-{Path.GetFileNameWithoutExtension(srcName)}.xml");
                        PanCommand.WritePanXml(file, suspName, srcName, c.Document.Text, src.Document.Text, src.Passages);
                    }
                }
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Fail(ExitCodes.OutputError, $"{dir}: cannot write: {Output.OneLine(e.Message)}");
        }
    }
}
