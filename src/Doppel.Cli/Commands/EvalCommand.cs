using System.CommandLine;
using Doppel.Engine.Evaluation;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel eval TRUTH_DIR DETECTIONS_DIR [--micro]</c>: the PAN measures.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext ctx)
    {
        var truth = new Argument<DirectoryInfo>("TRUTH_DIR") { Description = "PAN truth XML files (searched recursively; subfolders are reported as obfuscation types)." };
        var detections = new Argument<DirectoryInfo>("DETECTIONS_DIR") { Description = "Detection XML files, one SUSP-SRC.xml per pair." };
        var micro = new Option<bool>("--micro") { Description = "Micro-averaged precision and recall (default: macro, as in PAN 2013-2015)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var cmd = new Command("eval", "Score detections against PAN truth: recall, precision, granularity and plagdet, per obfuscation type and over all.")
        {
            truth, detections, micro, json,
        };
        cmd.SetAction(r =>
        {
            var t = r.GetValue(truth)!;
            var d = r.GetValue(detections)!;
            if (!t.Exists) return ctx.Fail(ExitCodes.InputError, $"{t.FullName}: no such directory");
            if (!d.Exists) return ctx.Fail(ExitCodes.InputError, $"{d.FullName}: no such directory");
            try
            {
                var report = PanEvaluator.Evaluate(t.FullName, d.FullName, r.GetValue(micro));
                return Output.Write(ctx, null, r.GetValue(json) ? report.ToJson() + "\n" : report.ToText());
            }
            catch (PanFormatException e)
            {
                return ctx.Fail(ExitCodes.InputError, e.Message);
            }
        });
        return cmd;
    }
}
