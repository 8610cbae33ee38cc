using System.CommandLine;
using Doppel.Application;
using Doppel.Engine.Alignment;
using Doppel.Engine.Evaluation;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Html;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel compare SUSPICIOUS SOURCE [--format text|json|html|pan] [-o FILE] [--no-color] [exclusions]</c>.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext ctx)
    {
        var susp = new Argument<string>("SUSPICIOUS") { Description = "The document that may reuse text." };
        var src = new Argument<string>("SOURCE") { Description = "The document it may reuse text from." };
        var format = CommonOptions.Format("text", "json", "html", "pan");
        var output = CommonOptions.OutputFile();
        var noColor = CommonOptions.NoColor();
        var links = CommonOptions.Links();
        var quiet = CommonOptions.Quiet();
        var semantic = CommonOptions.Semantic();
        var reportOptions = new ReportOptionSet();
        var cmd = new Command("compare", "Find the passages of SUSPICIOUS reused from SOURCE, with their offsets.")
        {
            susp, src, format, output, noColor, links, quiet, semantic,
        };
        reportOptions.AddTo(cmd);
        cmd.SetAction(r => Run(ctx, r.GetValue(susp)!, r.GetValue(src)!, r.GetValue(format)!, r.GetValue(output),
            r.GetValue(noColor), r.GetValue(links), r.GetValue(quiet), ctx.Limits(r), reportOptions.Read(r, r.GetValue(format)!), r.GetValue(semantic)));
        return cmd;
    }

    private static int Run(CliContext ctx, string suspPath, string srcPath, string format, FileInfo? output, bool noColor, bool links, bool quiet,
        InputLimits limits, ReportOptions reportOptions, string? semantic)
    {
        if (!CommonOptions.TryApplySemantic(semantic, AlignmentOptions.Default, out var alignment, out var error))
            return ctx.Fail(ExitCodes.InternalError, Output.OneLine(error!));
        CheckedDocument pair;
        try
        {
            using var display = new ProgressDisplay(ctx, quiet);
            pair = new CheckService(limits).Compare(DocumentSource.FromFile(suspPath), DocumentSource.FromFile(srcPath), display, alignment);
        }
        catch (DocumentInputException e)
        {
            return ctx.Fail(ExitCodes.InputError, Output.OneLine(e.Message));
        }
        var src = pair.Sources[0];
        string content = format switch
        {
            "pan" => PanXmlFor(pair.Input.Name, src.Name, pair.Document.Text, src.Document.Text, src.Passages),
            "json" => pair.BuildReport(reportOptions).ToJson() + "\n",
            "html" => HtmlReportRenderer.Render(pair.BuildReport(reportOptions)),
            _ => TextReport.Compare(pair.BuildReport(reportOptions), Output.UseColor(ctx, output, noColor), ctx.TerminalWidth, links),
        };
        return Output.Write(ctx, output, content);
    }

    /// <summary>PAN detection XML for one pair; PAN offsets count code points, not UTF-16 units.</summary>
    internal static string PanXmlFor(string suspName, string srcName, string suspText, string srcText, IReadOnlyList<AlignedPassage> passages)
    {
        var annotations = passages.Select(p =>
        {
            var (to, tl) = Offsets.ToCodePoints(suspText, p.SuspiciousStart, p.SuspiciousLength);
            var (so, sl) = Offsets.ToCodePoints(srcText, p.SourceStart, p.SourceLength);
            return new PanAnnotation(suspName, to, tl, srcName, so, sl, null);
        });
        var sw = new StringWriter();
        PanXml.WriteDetections(sw, suspName, annotations);
        return sw.ToString();
    }
}
