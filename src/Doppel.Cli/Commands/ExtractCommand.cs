using System.CommandLine;
using Doppel.Application;
using System.Text.Json;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel extract FILE [--format text|json] [-o FILE]</c>: the text Doppel reads from a document, exactly:
/// the offsets of every report on an HTML, DOCX or PDF file refer to this text.</summary>
internal static class ExtractCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("FILE") { Description = "A text, Markdown, HTML, DOCX or PDF document." };
        var format = CommonOptions.Format("text", "json");
        var output = CommonOptions.OutputFile();
        var cmd = new Command("extract", "Print the text Doppel reads from a document (report offsets refer to it).") { file, format, output };
        cmd.SetAction(r =>
        {
            string path = r.GetValue(file)!;
            var loaded = new DocumentInputs(ctx.Limits(r)).Load(path);
            if (loaded.Error is { } e) return ctx.Fail(ExitCodes.InputError, Output.OneLine(e.Message));
            if (loaded.Warning is { } warning) ctx.Err.WriteLine(ProgressDisplay.WarningLine(path, warning));
            var doc = loaded.Document!;
            string content = r.GetValue(format) == "json" ? Json(doc) : doc.Text;
            return Output.Write(ctx, r.GetValue(output), content);
        });
        return cmd;
    }

    private static string Json(AnalyzedDocument doc)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", doc.Format);
            w.WriteNumber("length", doc.Text.Length);
            w.WriteStartArray("regions");
            foreach (var region in doc.Regions)
            {
                w.WriteStartObject();
                w.WriteString("kind", region.Kind switch { TextRegionKind.Heading => "heading", TextRegionKind.BlockQuote => "blockQuote", _ => "footnote" });
                w.WriteNumber("start", region.Start);
                w.WriteNumber("length", region.Length);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("text", doc.Text);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
