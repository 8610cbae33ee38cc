using System.Diagnostics;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Doppel.Tests.Readers;

/// <summary>Builds real DOCX (OpenXml) and PDF (Chromium's print to PDF, as a person would save a page) test files.</summary>
internal static class DocumentBuilders
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>A Word document with one paragraph per line of <paramref name="text"/>; lines starting "# " become
    /// Heading 1 paragraphs, lines starting "> " Quote paragraphs.</summary>
    public static void Docx(string path, string text, Action<Body, MainDocumentPart>? extra = null)
    {
        using var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new Style(new StyleName { Val = "heading 1" }, new StyleParagraphProperties(new OutlineLevel { Val = 0 })) { Type = StyleValues.Paragraph, StyleId = "Heading1" },
            new Style(new StyleName { Val = "Quote" }) { Type = StyleValues.Paragraph, StyleId = "Quote" });
        var body = new Body();
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            string? style = line.StartsWith("# ") ? "Heading1" : line.StartsWith("> ") ? "Quote" : null;
            string content = style == null ? line : line[2..];
            var p = new Paragraph();
            if (style != null) p.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
            // Two runs per paragraph, as Word writes them, to check runs are joined without a gap.
            int half = content.Length / 2;
            p.Append(new Run(new W.Text(content[..half]) { Space = SpaceProcessingModeValues.Preserve }));
            p.Append(new Run(new W.Text(content[half..]) { Space = SpaceProcessingModeValues.Preserve }));
            body.Append(p);
        }
        extra?.Invoke(body, main);
        main.Document = new Document(body);
        main.Document.Save();
    }

    /// <summary>A PDF of <paramref name="text"/> (one paragraph per line, A4, serif, justified), printed by headless Chromium.</summary>
    public static void Pdf(string path, string text, string dir, bool headerFooter = false, string fontSize = "12pt")
    {
        string html = Path.Combine(dir, Path.GetFileNameWithoutExtension(path) + "-print.html");
        var paragraphs = text.Replace("\r\n", "\n").Split('\n').Where(l => l.Trim().Length > 0)
            .Select(l => "<p>" + System.Net.WebUtility.HtmlEncode(l) + "</p>");
        File.WriteAllText(html, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Printed essay</title><style>body{font:" + fontSize + "/1.5 'Liberation Serif',serif;margin:2cm;text-align:justify}</style></head><body>"
            + string.Join("\n", paragraphs) + "</body></html>");
        var psi = new ProcessStartInfo(Chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--user-data-dir=" + Path.Combine(dir, "chromium-profile"), "--print-to-pdf=" + path, new Uri(html).AbsoluteUri })
            psi.ArgumentList.Add(a);
        // Browsers print the date and title at the top of each page and the address and "n/N" at the bottom.
        if (!headerFooter) psi.ArgumentList.Insert(0, "--no-pdf-header-footer");
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("chromium --print-to-pdf timed out"); }
        if (!File.Exists(path)) throw new InvalidOperationException($"chromium did not print {path} (exit {p.ExitCode}); run .ci/setup");
    }
}
