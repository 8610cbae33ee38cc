using System.CommandLine;
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
        var quiet = CommonOptions.Quiet();
        var reportOptions = new ReportOptionSet();
        var cmd = new Command("compare", "Find the passages of SUSPICIOUS reused from SOURCE, with their offsets.")
        {
            susp, src, format, output, noColor, quiet,
        };
        reportOptions.AddTo(cmd);
        cmd.SetAction(r => Run(ctx, r.GetValue(susp)!, r.GetValue(src)!, r.GetValue(format)!, r.GetValue(output),
            r.GetValue(noColor), ctx.MaxBytes(r), reportOptions.Read(r, r.GetValue(format)!)));
        return cmd;
    }

    private static int Run(CliContext ctx, string suspPath, string srcPath, string format, FileInfo? output, bool noColor, long maxBytes,
        ReportOptions reportOptions)
    {
        var inputs = new Inputs(maxBytes);
        AnalyzedDocument susp, src;
        try
        {
            susp = inputs.LoadOrThrow(suspPath);
            src = inputs.LoadOrThrow(srcPath);
        }
        catch (DocumentInputException e)
        {
            return ctx.Fail(ExitCodes.InputError, Output.OneLine(e.Message));
        }
        var passages = PairAligner.Align(susp, src);
        string content;
        if (format == "pan")
        {
            content = PanXmlFor(Path.GetFileName(suspPath), Path.GetFileName(srcPath), susp.Text, src.Text, passages);
        }
        else
        {
            var report = ReportBuilder.Build(susp, Path.GetFileName(suspPath), suspPath,
                [new AlignedSource(src, Path.GetFileName(srcPath), srcPath, passages)], options: reportOptions);
            content = format switch
            {
                "json" => report.ToJson() + "\n",
                "html" => HtmlReportRenderer.Render(report),
                _ => TextReport.Compare(report, Output.UseColor(ctx, output, noColor), ctx.TerminalWidth),
            };
        }
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
