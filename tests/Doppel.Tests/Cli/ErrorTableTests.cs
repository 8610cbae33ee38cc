using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Doppel.Tests.Cli;

/// <summary>Issue 14 item 10: the table of input errors in docs/cli.md says exactly what the program prints. Each
/// documented message is made happen for real (<c>doppel extract</c> on a crafted file) and compared; the few that
/// cannot be made here cheaply are listed, so a new row cannot go unchecked.</summary>
public class ErrorTableTests : CliHarness
{
    /// <summary>Messages no test here can produce: an I/O failure, limits far above what a test should build,
    /// PDFs that need tools we do not have (encryption), and permissions when the tests run as root.</summary>
    private static readonly HashSet<string> NotMadeHere =
    [
        "cannot read file (…)",
        "refused: an XML part of the Word document is larger than … characters",
        "PDF is encrypted (password required)",
        "PDF does not permit copying its text",
        "refused: PDF text larger than … characters (see --max-file-size)",
        "refused: pdftotext took longer than … s",
    ];

    /// <summary>A file of the repository (the folder holding Doppel.slnx above the test binaries).</summary>
    internal static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx"))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException("Doppel.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every message of the table (the backquoted texts of its second column).</summary>
    private static List<string> DocumentedMessages()
    {
        string doc = File.ReadAllText(RepositoryFile("docs/cli.md"));
        int start = doc.IndexOf("## Input errors", StringComparison.Ordinal);
        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var messages = new List<string>();
        foreach (var line in doc[start..end].Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| Problem")))
        {
            var cells = line.Split(" | ");
            foreach (Match m in Regex.Matches(cells[^1], "`([^`]+)`")) messages.Add(m.Groups[1].Value);
        }
        return messages;
    }

    private string Zip(string name, params (string Entry, string Content)[] entries)
    {
        string path = Path.Combine(Temp, name);
        using var z = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content) in entries)
        {
            using var w = new StreamWriter(z.CreateEntry(entry).Open());
            w.Write(content);
        }
        return path;
    }

    private const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private const string Types = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

    /// <summary>For each message that can be made here: a file that gives it, and extra arguments or environment.</summary>
    private Dictionary<string, Func<(string Path, string[] Args, Dictionary<string, string?>? Env)>> Cases() => new()
    {
        ["file not found"] = () => (Path.Combine(Temp, "missing.txt"), [], null),
        ["is a directory, not a file"] = () => (Directory.CreateDirectory(Path.Combine(Temp, "dir.txt")).FullName, [], null),
        ["not a regular file (…)"] = () => ("/dev/null", [], null),
        ["file too large (… MB; limit is … MB) (see --max-file-size)"] = () =>
            (TempFile("large.txt", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("All work and no play. ", 100_000)))), ["--max-file-size", "1"], null),
        // The one size limit bounds the text too: a Word document holds more text than its file size.
        ["extracted text too large (… characters; limit is …) (see --max-file-size)"] = () =>
        {
            string docx = Path.Combine(Temp, "long.docx");
            Doppel.Tests.Readers.DocumentBuilders.Docx(docx, string.Join("\n", Enumerable.Repeat("A sentence of the body that repeats itself.", 4000)));
            return (docx, ["--max-file-size", "0.05"], null);
        },
        ["file is empty"] = () => (TempFile("empty.txt", []), [], null),
        ["file contains only whitespace"] = () => (TempFile("blank.txt", " \n\t\n"u8.ToArray()), [], null),
        ["not a text file (binary content)"] = () => (TempFile("binary.txt", BinaryBytes()), [], null),
        ["permission denied"] = () =>
        {
            string p = TempFile("secret.txt", "top secret text"u8.ToArray());
            File.SetUnixFileMode(p, UnixFileMode.None);
            return (p, [], null);
        },
        ["malformed … text (invalid byte sequence near byte …)"] = () => (TempFile("bom.txt", [0xEF, 0xBB, 0xBF, .. "hello "u8, 0xC3, 0x28, .. " world"u8]), [], null),
        ["malformed Word document (…)"] = () => (Zip("badxml.docx", ("[Content_Types].xml", Types), ("word/document.xml", "<w:document><unclosed")), [], null),
        ["malformed zip archive (…)"] = () => (TempFile("truncated.docx", [.. "PK\u0003\u0004"u8, .. new byte[40]]), [], null),
        ["malformed PDF (…)"] = () => (TempFile("broken.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref\n"u8.ToArray()), [], null),
        ["unsupported format: legacy Office file (Word 97-2003 .doc or similar): save it as .docx or PDF"] = () =>
            (TempFile("old.doc", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3, 4]), [], null),
        ["unsupported format: RTF is not supported: save it as .docx or PDF"] = () => (TempFile("doc.rtf", "{\\rtf1\\ansi hello}"u8.ToArray()), [], null),
        ["unsupported format: …"] = () => (Zip("sheet.xlsx", ("[Content_Types].xml", Types), ("xl/workbook.xml", "<workbook/>")), [], null),
        ["OpenDocument file (save it as .docx or PDF)"] = () => (Zip("essay.odt", ("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")), [], null),
        ["Excel workbook"] = () => (Zip("book.xlsx", ("[Content_Types].xml", Types), ("xl/workbook.xml", "<workbook/>")), [], null),
        ["PowerPoint presentation"] = () => (Zip("talk.pptx", ("[Content_Types].xml", Types), ("ppt/presentation.xml", "<p/>")), [], null),
        ["Office file that is not a Word document"] = () => (Zip("other.docx", ("[Content_Types].xml", Types), ("custom/part.xml", "<p/>")), [], null),
        ["zip archive, not a document"] = () => (Zip("notes.zip", ("notes.txt", "hello")), [], null),
        ["refused: archive too large to unpack safely (…)"] = () =>
        {
            string bomb = Path.Combine(Temp, "bomb.docx");
            using (var z = ZipFile.Open(bomb, ZipArchiveMode.Create))
            {
                using (var w = new StreamWriter(z.CreateEntry("[Content_Types].xml").Open())) w.Write(Types);
                using var s = z.CreateEntry("word/document.xml", CompressionLevel.Optimal).Open();
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 16; i++) s.Write(zeros);
            }
            return (bomb, [], null);
        },
        ["refused: XML part … is nested more than … levels deep"] = () =>
        {
            string body = string.Concat(Enumerable.Repeat("<w:sdt><w:sdtContent>", 600)) + "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
                + string.Concat(Enumerable.Repeat("</w:sdtContent></w:sdt>", 600));
            return (Zip("deep.docx", ("[Content_Types].xml", Types), ("word/document.xml", $"<w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>")), [], null);
        },
        ["refused: HTML nested … levels deep (limit …)"] = () =>
            (TempFile("deep.html", Encoding.ASCII.GetBytes("<html><body>" + string.Concat(Enumerable.Repeat("<div>", 6000)) + "text</body></html>")), [], null),
        ["web page has no main text"] = () =>
            (TempFile("menu.html", "<!DOCTYPE html><html><body><nav><a href=/a>Home</a> <a href=/b>About</a></nav></body></html>"u8.ToArray()), [], null),
        ["Word document contains no text"] = () =>
        {
            string docx = Path.Combine(Temp, "blank.docx");
            Doppel.Tests.Readers.DocumentBuilders.Docx(docx, "");
            return (docx, [], null);
        },
        ["PDF has no text layer (a scan? run OCR first)"] = () =>
        {
            string pdf = Path.Combine(Temp, "scan.pdf");
            Doppel.Tests.Readers.DocumentBuilders.Pdf(pdf, "", Temp);
            return (pdf, [], null);
        },
        ["cannot read PDF: pdftotext not found (install the Debian package poppler-utils)"] = () =>
            (TempFile("paper.pdf", "%PDF-1.4\n"u8.ToArray()), [], new() { ["PATH"] = "/nonexistent" }),
    };

    private static Regex Pattern(string documented) =>
        new("^" + Regex.Escape(documented).Replace("…", ".+?") + "$");

    [Fact]
    public void Every_message_of_the_table_is_what_the_program_prints()
    {
        var documented = DocumentedMessages();
        Assert.True(documented.Count >= 25, $"{documented.Count} messages found in the table");
        var cases = Cases();
        bool root = Environment.UserName == "root";
        foreach (var message in documented)
        {
            if (NotMadeHere.Contains(message) || (root && message == "permission denied")) continue;
            Assert.True(cases.ContainsKey(message), $"no case makes the documented message '{message}': add one, or list it as not made here");
            var (path, args, env) = cases[message]();
            var r = env == null ? Run(["extract", path, .. args]) : RunProcess(TimeSpan.FromSeconds(20), env, ["extract", path, .. args]);
            Assert.Equal(InputError, r.Code);
            string line = Assert.Single(r.ErrLines);
            string prefix = $"doppel: {path}: ";
            Assert.StartsWith(prefix, line);
            string printed = line[prefix.Length..];
            // A sub-message (the kinds of unsupported file) is the tail of the message it details.
            bool ok = Pattern(message).IsMatch(printed) || printed == "unsupported format: " + message;
            Assert.True(ok, $"documented '{message}', printed '{printed}'");
        }
        // And every case is documented: a message changed in the program shows here.
        foreach (var key in cases.Keys) Assert.Contains(key, documented);
    }
}
