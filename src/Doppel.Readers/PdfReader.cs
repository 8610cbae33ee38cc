using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Doppel.Engine.Text;

namespace Doppel.Readers;

/// <summary>
/// Extracts the text of a PDF with poppler's <c>pdftotext</c> (Debian package poppler-utils), run as a subprocess with
/// a time limit and an output cap; no PDF parser runs in-process. The text is then cleaned of what page layout adds:
/// running headers and footers repeated on most pages, bare page numbers, and hyphens at line ends.
/// </summary>
internal sealed partial class PdfReader(ReaderLimits limits)
{
    public const string Package = "poppler-utils";

    public ExtractedText Read(string path) => new(Clean(RunPdfToText(path, path)), DocumentFormats.Pdf);

    /// <summary>A PDF held in memory (an upload): pdftotext reads it from a private temporary file.</summary>
    public ExtractedText Read(byte[] content, string name)
    {
        string file = Path.Combine(Path.GetTempPath(), $"doppel-{Guid.NewGuid():N}.pdf");
        try
        {
            using (var fs = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
                fs.Write(content);
            return new(Clean(RunPdfToText(file, name)), DocumentFormats.Pdf);
        }
        finally
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <param name="file">The PDF to read.</param>
    /// <param name="path">How errors name it.</param>
    private string RunPdfToText(string file, string path)
    {
        var psi = new ProcessStartInfo(limits.PdfToTextPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        // Reading order (not -layout, which keeps columns side by side); UTF-8; '\n' line ends; "--" ends options
        // so a file name starting with '-' is not taken for one.
        foreach (var a in new[] { "-q", "-enc", "UTF-8", "-eol", "unix", "--", Path.GetFullPath(file), "-" }) psi.ArgumentList.Add(a);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception ex)
        {
            throw new DocumentInputException(DocumentInputErrorKind.ToolMissing, path,
                $"cannot read PDF: {limits.PdfToTextPath} not found (install the Debian package {Package})", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = new StringBuilder();
            var readOut = Task.Run(() =>
            {
                var buffer = new char[64 * 1024];
                int n;
                while ((n = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Append(buffer, 0, n);
                    if (output.Length > limits.MaxExtractedChars) return false;
                }
                return true;
            });
            bool inTime = readOut.Wait(limits.PdfTimeout);
            if (!inTime || !readOut.Result)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
                throw new DocumentInputException(DocumentInputErrorKind.TooLarge, path, inTime
                    ? $"refused: PDF text larger than {limits.MaxExtractedChars:N0} characters"
                    : $"refused: pdftotext took longer than {limits.PdfTimeout.TotalSeconds:0} s");
            }
            process.WaitForExit();
            string err = stderr.Result;
            switch (process.ExitCode)
            {
                case 0: return output.ToString();
                case 3: throw new DocumentInputException(DocumentInputErrorKind.Unreadable, path, "PDF does not permit copying its text");
                default:
                    string why = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"pdftotext exit code {process.ExitCode}";
                    if (why.Contains("password", StringComparison.OrdinalIgnoreCase) || why.Contains("Incorrect password", StringComparison.OrdinalIgnoreCase))
                        throw new DocumentInputException(DocumentInputErrorKind.Unreadable, path, "PDF is encrypted (password required)");
                    throw new DocumentInputException(DocumentInputErrorKind.Malformed, path, "malformed PDF (" + why + ")");
            }
        }
    }

    /// <summary>Removes page furniture and rejoins words hyphenated at line ends. Pages are separated by '\f'.</summary>
    internal static string Clean(string raw)
    {
        var pages = raw.Split('\f');
        if (pages.Length > 0 && pages[^1].AsSpan().IsWhiteSpace()) pages = pages[..^1];
        var lines = pages.Select(p => p.Split('\n').ToList()).ToList();

        // Running heads and feet: an edge line of a page that, digits aside, recurs on at least half of the pages
        // (and three of them). Bare page numbers go whatever the page count.
        // The outermost lines match by shape (digits aside: "Page 3", "Smith 2024, p. 7"); the next ones in only as
        // exact repeats, since body text there can share a shape by chance.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var page in lines)
            foreach (var key in EdgeLines(page).Select(e => Key(page, e)).Distinct())
                counts[key] = counts.GetValueOrDefault(key) + 1;
        int needed = Math.Max(3, (lines.Count + 1) / 2);
        foreach (var page in lines)
            foreach (var e in EdgeLines(page).OrderByDescending(e => e.Index))
                if (PageNumber().IsMatch(page[e.Index]) || counts[Key(page, e)] >= needed)
                    page.RemoveAt(e.Index);

        var sb = new StringBuilder(raw.Length);
        foreach (var page in lines)
        {
            // Drop the page's leading and trailing empty lines so that a sentence running over the page break continues
            // on the next line.
            int first = 0, last = page.Count;
            while (last > 0 && page[last - 1].Trim().Length == 0) last--;
            while (first < last && page[first].Trim().Length == 0) first++;
            for (int i = first; i < last; i++)
            {
                string line = page[i];
                if (sb.Length > 0 && sb[^1] == '-' && sb.Length > 1 && char.IsLetter(sb[^2]) && line.Length > 0 && char.IsLower(line[0]))
                {
                    sb.Length--; // "consid-" + "ered": the hyphen was the typesetter's
                    sb.Append(line);
                }
                else
                {
                    if (sb.Length > 0) sb.Append('\n');
                    sb.Append(line);
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The first two and last two non-empty lines of a page, where running heads and feet sit (a header is
    /// often two lines, such as a date and a title); Outer for the first and last.</summary>
    private static List<(int Index, bool Outer)> EdgeLines(List<string> page)
    {
        var nonEmpty = new List<int>();
        for (int i = 0; i < page.Count; i++) if (page[i].Trim().Length > 0) nonEmpty.Add(i);
        var edges = new List<(int, bool)>();
        for (int k = 0; k < nonEmpty.Count; k++)
        {
            bool outer = k == 0 || k == nonEmpty.Count - 1;
            if (outer || k == 1 || k == nonEmpty.Count - 2) edges.Add((nonEmpty[k], outer));
        }
        return edges;
    }

    private static string Key(List<string> page, (int Index, bool Outer) e) =>
        e.Outer ? "s:" + Shape(page[e.Index]) : "x:" + page[e.Index].Trim();

    private static string Shape(string line) => Digits().Replace(line.Trim(), "#");

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^\s*(page\s+)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PageNumber();
}

/// <summary>Test access to the PDF text cleaning.</summary>
internal static class PdfReaderAccess
{
    public static string Clean(string raw) => PdfReader.Clean(raw);
}
