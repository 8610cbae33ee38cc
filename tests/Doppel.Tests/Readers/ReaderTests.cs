using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Wordprocessing;
using W = DocumentFormat.OpenXml.Wordprocessing;
using Doppel.Engine.Alignment;
using Doppel.Engine.Text;
using Doppel.Readers;
using Xunit;

namespace Doppel.Tests.Readers;

public class ReaderTests : IDisposable
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "examples");
    private readonly string _temp = Directory.CreateTempSubdirectory("doppel-readers-").FullName;
    private readonly DocumentReader _reader = new();

    private string Temp(string name) => Path.Combine(_temp, name);
    private static string Example(string name) => Path.Combine(Examples, name);

    public void Dispose()
    {
        try { Directory.Delete(_temp, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    // ---- format detection ----

    [Theory]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3", null, DetectedFormat.Pdf)]
    [InlineData("<!DOCTYPE html><html><body><p>x</p></body></html>", null, DetectedFormat.Html)]
    [InlineData("<?xml version=\"1.0\"?>\n<!-- saved -->\n<html><body>x</body></html>", ".txt", DetectedFormat.Html)]
    [InlineData("<p>A fragment</p>", null, DetectedFormat.Html)]
    [InlineData("<b>bold</b> Markdown with inline HTML", ".md", DetectedFormat.Text)]
    [InlineData("# Title\n\nSome <em>Markdown</em>.", null, DetectedFormat.Text)]
    [InlineData("{\\rtf1\\ansi hello}", ".doc", DetectedFormat.Rtf)]
    public void Format_is_detected_by_content(string head, string? ext, DetectedFormat expected) =>
        Assert.Equal(expected, FormatDetector.Detect(Encoding.UTF8.GetBytes(head), ext));

    [Fact]
    public void A_docx_named_txt_and_a_pdf_without_extension_are_read_by_content()
    {
        string docx = Temp("essay.txt");
        DocumentBuilders.Docx(docx, "First paragraph of the essay.\nSecond paragraph.");
        var r = _reader.Read(docx, TextDecoder.DefaultMaxBytes);
        Assert.Equal(DocumentFormats.Docx, r.Format);
        Assert.Equal("First paragraph of the essay.\nSecond paragraph.", r.Text);
    }

    [Fact]
    public void Legacy_doc_and_other_zips_are_refused_as_unsupported()
    {
        string doc = Temp("old.doc");
        File.WriteAllBytes(doc, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3, 4]);
        var e = Assert.Throws<DocumentInputException>(() => _reader.Read(doc, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Unsupported, e.Kind);
        Assert.Contains(".docx or PDF", e.Message);

        string zip = Temp("notes.zip");
        using (var z = ZipFile.Open(zip, ZipArchiveMode.Create)) WriteEntry(z, "notes.txt", "hello");
        e = Assert.Throws<DocumentInputException>(() => _reader.Read(zip, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Unsupported, e.Kind);
        Assert.StartsWith(zip + ": unsupported format: zip archive", e.Message);
    }

    // ---- HTML ----

    [Fact]
    public void Example_web_page_keeps_the_article_and_drops_navigation_link_lists_newsletter_and_footer()
    {
        var r = _reader.Read(Example("web-page.html"), TextDecoder.DefaultMaxBytes);
        Assert.Equal(DocumentFormats.Html, r.Format);
        string text = r.Text;
        // Every paragraph of the article, word for word (the .txt is the page as a browser copied it).
        string txt = File.ReadAllText(Example("web-page.txt"));
        var paragraphs = txt.Split("\n\n").Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        int coldWar = paragraphs.FindIndex(p => p.StartsWith("Cold War"));
        foreach (var p in paragraphs.Take(coldWar))
            Assert.Contains(p, text);
        Assert.StartsWith("Cuban Missile Crisis: Resolution and analysis\n\nWho won the Cuban Missile Crisis?", text);
        Assert.EndsWith("came across as giving in to the Americans.", text);
        // Navigation, menus, breadcrumb, byline, the related-links list, the newsletter box, widgets and footer.
        foreach (var junk in new[] { "History on the Net", "World War Two", "GCSE History Revision", "Home »", "By Editor",
                     "Cold War\n", "Tehran, Yalta", "Berlin Wall", "Love Learning?", "Subscribe", "Newsletter", "Sign up",
                     "Popular posts", "Privacy Policy", "Copyright", "dataLayer", "Skip to content" })
            Assert.DoesNotContain(junk, text);
        Assert.Contains(r.Regions, g => g.Kind == TextRegionKind.Heading && text.Substring(g.Start, g.Length) == "Soviet Aims and Objectives:");
    }

    [Fact]
    public void Html_blockquotes_inline_quotes_entities_and_charset_are_handled()
    {
        string html = "<html><head><meta charset=\"iso-8859-1\"><title>T</title></head><body><article>"
            + "<h1>Caf\u00e9 culture</h1><p>The author writes that <q>coffee houses were the first public sphere</q> in Europe, and more text follows here to make it long enough.</p>"
            + "<blockquote><p>A long quotation set apart from the text, as essays do with more than forty words of a source.</p></blockquote>"
            + "<p>Back to the essay&nbsp;text with enough words to count as a paragraph of main text.</p></article></body></html>";
        string path = Temp("page.htm");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(html));
        var r = _reader.Read(path, TextDecoder.DefaultMaxBytes);
        Assert.StartsWith("Caf\u00e9 culture\n\n", r.Text);
        Assert.Contains("\u201Ccoffee houses were the first public sphere\u201D", r.Text);
        Assert.Contains("essay text with", r.Text);
        var quote = Assert.Single(r.Regions, g => g.Kind == TextRegionKind.BlockQuote);
        Assert.StartsWith("A long quotation", r.Text.Substring(quote.Start, quote.Length));
    }

    [Fact]
    public void Self_linked_headings_of_documentation_pages_are_kept_but_menus_are_not()
    {
        string html = "<!DOCTYPE html><html><body><div class=\"toc\"><ol><li><a href=\"/a\">Intro</a></li><li><a href=\"/b\">Usage</a></li><li><a href=\"/c\">Lints</a></li></ol></div>"
            + "<main><h1><a class=\"header\" href=\"#what\">What is it?</a></h1><p>The tool generates documentation for projects and takes a crate root or a Markdown file as its argument.</p>"
            + "<h2><a href=\"#usage\">Basic usage</a></h2><p>Create a new project with the package manager and run the tool on the root of the crate to see it work.</p></main></body></html>";
        string path = Temp("doc.html");
        File.WriteAllText(path, html);
        var r = _reader.Read(path, TextDecoder.DefaultMaxBytes);
        Assert.StartsWith("What is it?\n\nThe tool generates", r.Text);
        Assert.Contains("\n\nBasic usage\n\nCreate a new project", r.Text);
        Assert.DoesNotContain("Lints", r.Text);
    }

    // ---- DOCX ----

    [Fact]
    public void Docx_reads_body_tables_footnotes_and_leaves_out_deleted_text_and_field_codes()
    {
        string path = Temp("parts.docx");
        DocumentBuilders.Docx(path, "# Introduction\nBody paragraph one.\n> A quoted paragraph from a source.", (body, main) =>
        {
            body.Append(new Table(new TableRow(
                new TableCell(new Paragraph(new Run(new W.Text("cell one")))),
                new TableCell(new Paragraph(new Run(new W.Text("cell two")))))));
            body.Append(new Paragraph(
                new Run(new W.Text("Kept ") { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve }),
                new DeletedRun(new Run(new DeletedText("DELETED "))),
                new Run(new FieldCode(" PAGE ")),
                new Run(new W.Text("text.")),
                new Run(new FootnoteReference { Id = 1 })));
            var notes = main.AddNewPart<DocumentFormat.OpenXml.Packaging.FootnotesPart>();
            notes.Footnotes = new Footnotes(
                new Footnote(new Paragraph(new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 },
                new Footnote(new Paragraph(new Run(new W.Text("Smith, J. (2019). A footnote source.")))) { Id = 1 });
        });
        var r = _reader.Read(path, TextDecoder.DefaultMaxBytes);
        Assert.Equal("Introduction\nBody paragraph one.\nA quoted paragraph from a source.\ncell one\ncell two\nKept text.\nSmith, J. (2019). A footnote source.", r.Text);
        Assert.Contains(r.Regions, g => g.Kind == TextRegionKind.Heading && r.Text.Substring(g.Start, g.Length) == "Introduction");
        Assert.Contains(r.Regions, g => g.Kind == TextRegionKind.BlockQuote && r.Text.Substring(g.Start, g.Length) == "A quoted paragraph from a source.");
        Assert.Contains(r.Regions, g => g.Kind == TextRegionKind.Footnote && r.Text.Substring(g.Start, g.Length).StartsWith("Smith, J."));
    }

    [Fact]
    public void Example_pair_as_docx_gives_the_same_passages_at_the_same_words_as_the_txt()
    {
        var (txtPassages, txtSusp) = Align(Example("essay-paraphrased.txt"), Example("essay.txt"));
        string susp = Temp("essay-paraphrased.docx"), src = Temp("essay.docx");
        DocumentBuilders.Docx(susp, File.ReadAllText(Example("essay-paraphrased.txt")).TrimEnd('\n'));
        DocumentBuilders.Docx(src, File.ReadAllText(Example("essay.txt")).TrimEnd('\n'));
        var (docxPassages, docxSusp) = Align(susp, src);
        Assert.NotEmpty(txtPassages);
        Assert.Equal(txtPassages.Count, docxPassages.Count);
        for (int i = 0; i < txtPassages.Count; i++)
        {
            Assert.Equal(txtPassages[i].Kind, docxPassages[i].Kind);
            Assert.Equal(Words(txtSusp.Text, txtPassages[i]), Words(docxSusp.Text, docxPassages[i]));
        }
    }

    [Fact]
    public void Example_pair_as_pdf_gives_the_same_passages_mapped_to_the_same_words_as_the_txt()
    {
        var (txtPassages, txtSusp) = Align(Example("essay-paraphrased.txt"), Example("essay.txt"));
        string susp = Temp("essay-paraphrased.pdf"), src = Temp("essay.pdf");
        DocumentBuilders.Pdf(susp, File.ReadAllText(Example("essay-paraphrased.txt")), _temp);
        DocumentBuilders.Pdf(src, File.ReadAllText(Example("essay.txt")), _temp);
        var (pdfPassages, pdfSusp) = Align(susp, src);
        Assert.Equal(DocumentFormats.Pdf, pdfSusp.Format);
        Assert.Equal(txtPassages.Count, pdfPassages.Count);
        for (int i = 0; i < txtPassages.Count; i++)
        {
            Assert.Equal(txtPassages[i].Kind, pdfPassages[i].Kind);
            string[] expected = Words(txtSusp.Text, txtPassages[i]).Split(' ');
            string[] actual = Words(pdfSusp.Text, pdfPassages[i]).Split(' ');
            // The same words, start and end included: line breaks and page layout change only whitespace.
            Assert.Equal(expected.Take(5), actual.Take(5));
            Assert.Equal(expected.TakeLast(5), actual.TakeLast(5));
            Assert.InRange(Math.Abs(expected.Length - actual.Length), 0, expected.Length / 50 + 1);
        }
    }

    [Fact]
    public void Multi_page_pdf_with_browser_headers_and_footers_reads_as_its_text()
    {
        string txt = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pan13", "src", "source-document01801.txt");
        string pdf = Temp("printed.pdf");
        DocumentBuilders.Pdf(pdf, File.ReadAllText(txt), _temp, headerFooter: true, fontSize: "16pt");
        var r = _reader.Read(pdf, TextDecoder.DefaultMaxBytes);
        Assert.DoesNotContain("Printed essay", r.Text);
        Assert.DoesNotContain("file://", r.Text);
        Assert.DoesNotMatch(@"(?m)^\d+/\d+$", r.Text);
        // Word for word the text file, apart from whitespace.
        Assert.Equal(WordList(File.ReadAllText(txt)), WordList(r.Text));
    }

    private static string WordList(string s) =>
        string.Join(' ', Doppel.Engine.Reports.Html.WordDiff.Words(s).Select(w => s.Substring(w.Start, w.Length)));

    [Fact]
    public void Malformed_pdf_is_reported_and_a_missing_pdftotext_names_the_package()
    {
        string path = Temp("broken.pdf");
        File.WriteAllText(path, "%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref\n");
        var e = Assert.Throws<DocumentInputException>(() => _reader.Read(path, TextDecoder.DefaultMaxBytes));
        Assert.Contains(e.Kind, new[] { DocumentInputErrorKind.Malformed, DocumentInputErrorKind.Empty });
        Assert.DoesNotContain('\n', e.Message);

        var noTool = new DocumentReader(new ReaderLimits { PdfToTextPath = "/nonexistent/pdftotext" });
        e = Assert.Throws<DocumentInputException>(() => noTool.Read(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.ToolMissing, e.Kind);
        Assert.Contains("poppler-utils", e.Message);
    }

    [Fact]
    public void Pdf_cleaning_drops_running_heads_and_page_numbers_and_joins_hyphenated_words()
    {
        // A two-line head (date, title) and a two-line foot (address, "n/4") on every page, as browsers print them.
        string raw = string.Join("\f", Enumerable.Range(1, 4).Select(p =>
            $"21/11/2026, 06:17\nJournal of Tests, vol. 3\n\nBody text on page {p} is consid-\nered here, on page {p}.\nMore text of page {p}.\n\nfile:///essay.html\n{p}/4\n")) + "\f";
        string clean = PdfReaderAccess.Clean(raw);
        Assert.DoesNotContain("Journal of Tests", clean);
        Assert.DoesNotContain("2026", clean);
        Assert.DoesNotContain("file:", clean);
        Assert.DoesNotContain("/4", clean);
        Assert.Contains("Body text on page 1 is considered here, on page 1.\nMore text of page 1.\nBody text on page 2", clean);
    }

    // ---- hostile files ----

    [Fact]
    public void Zip_bomb_too_many_entries_and_huge_xml_parts_are_refused()
    {
        string bomb = Temp("bomb.docx");
        using (var z = ZipFile.Open(bomb, ZipArchiveMode.Create))
        {
            WriteEntry(z, "[Content_Types].xml", "<Types/>");
            var e = z.CreateEntry("word/document.xml", CompressionLevel.Optimal);
            using var s = e.Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) s.Write(zeros); // 16 MiB of zeros: about 1000 to 1
        }
        var ex = Assert.Throws<DocumentInputException>(() => _reader.Read(bomb, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.TooLarge, ex.Kind);
        Assert.Contains("compressed", ex.Message);

        string many = Temp("many.docx");
        using (var z = ZipFile.Open(many, ZipArchiveMode.Create))
        {
            WriteEntry(z, "word/document.xml", "<x/>");
            for (int i = 0; i < 60; i++) WriteEntry(z, $"word/media/{i}.bin", "x");
        }
        ex = Assert.Throws<DocumentInputException>(() => new DocumentReader(new ReaderLimits { MaxZipEntries = 50 }).Read(many, TextDecoder.DefaultMaxBytes));
        Assert.Contains("61 entries", ex.Message);

        string big = Temp("big.docx");
        DocumentBuilders.Docx(big, string.Join("\n", Enumerable.Repeat("A sentence of the document body that repeats.", 400)));
        ex = Assert.Throws<DocumentInputException>(() => new DocumentReader(new ReaderLimits { MaxXmlChars = 5_000 }).Read(big, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.TooLarge, ex.Kind);
        Assert.Contains("XML part", ex.Message);
    }

    [Fact]
    public void Html_nested_deeper_than_browsers_allow_is_refused_before_parsing()
    {
        string path = Temp("deep.html");
        File.WriteAllText(path, "<!DOCTYPE html><html><body>" + string.Concat(Enumerable.Repeat("<div>", 50_000)) + "text" + "</body></html>");
        var e = Assert.Throws<DocumentInputException>(() => _reader.Read(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.TooLarge, e.Kind);
        Assert.Contains("nested 50,002 levels deep", e.Message);
        // Unclosed paragraphs and void elements do not count as nesting.
        Assert.Equal(3, HtmlReaderAccess.NestingDepth("<html><body><div>" + string.Concat(Enumerable.Repeat("<p>para<br><img src=x>", 9000)) + "</div></body></html>"));
    }

    [Fact]
    public void Docx_nested_too_deeply_is_refused_before_the_parser_overflows_its_stack()
    {
        // Checked before OpenXml loads the part: its parser recurses per level, and a stack overflow ends the process.
        string deep = Temp("deep.docx");
        const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        string body = string.Concat(Enumerable.Repeat("<w:sdt><w:sdtContent>", 600)) + "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
            + string.Concat(Enumerable.Repeat("</w:sdtContent></w:sdt>", 600));
        using (var z = ZipFile.Open(deep, ZipArchiveMode.Create))
        {
            WriteEntry(z, "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            WriteEntry(z, "word/document.xml", $"<w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>");
        }
        var e = Assert.Throws<DocumentInputException>(() => _reader.Read(deep, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.TooLarge, e.Kind);
        Assert.Contains("nested more than 512 levels", e.Message);
    }

    [Fact]
    public void Malformed_docx_is_reported_in_one_line()
    {
        string bad = Temp("bad.docx");
        using (var z = ZipFile.Open(bad, ZipArchiveMode.Create))
        {
            WriteEntry(z, "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            WriteEntry(z, "word/document.xml", "<w:document><unclosed>");
        }
        var e = Assert.Throws<DocumentInputException>(() => _reader.Read(bad, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Malformed, e.Kind);
        Assert.DoesNotContain('\n', e.Message);

        string truncated = Temp("truncated.docx");
        DocumentBuilders.Docx(truncated, "Some text.");
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<DocumentInputException>(() => _reader.Read(truncated, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Malformed, e.Kind);
    }

    private static void WriteEntry(ZipArchive z, string name, string content)
    {
        using var s = z.CreateEntry(name).Open();
        s.Write(Encoding.UTF8.GetBytes(content));
    }

    private (List<AlignedPassage> Passages, AnalyzedDocument Susp) Align(string susp, string src)
    {
        var loader = new DocumentLoader(TextDecoder.DefaultMaxBytes, _reader);
        var s = loader.LoadOrThrow(susp);
        return (PairAligner.Align(s, loader.LoadOrThrow(src)).ToList(), s);
    }

    /// <summary>The words of a passage's suspicious span, lowercased, one space apart.</summary>
    private static string Words(string text, AlignedPassage p) =>
        string.Join(' ', Doppel.Engine.Reports.Html.WordDiff.Words(text.Substring(p.SuspiciousStart, p.SuspiciousLength))
            .Select(w => text.Substring(p.SuspiciousStart + w.Start, w.Length).ToLowerInvariant()));
}

public class ReaderEndToEndTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("doppel-readers-e2e-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_temp, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Word_essay_with_quote_style_and_bibliography_heading_counts_only_with_exclusions_off()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "exclusions");
        // The quotation as a Word "Quote" paragraph (no quotation marks) and the bibliography under a Heading 1.
        string essay = File.ReadAllText(Path.Combine(dir, "quoting-essay.txt"))
            .Replace("As one historian puts it, \"", "As one historian puts it:\n> ").Replace("from Turkey.\" This", "from Turkey.\nThis")
            .Replace("\nBibliography\n", "\n# Bibliography\n").TrimEnd('\n');
        Assert.DoesNotContain("\"", essay);
        string docx = Path.Combine(_temp, "essay.docx");
        DocumentBuilders.Docx(docx, essay);
        var loader = new DocumentLoader(TextDecoder.DefaultMaxBytes, new DocumentReader());
        var susp = loader.LoadOrThrow(docx);
        var src = loader.LoadOrThrow(Path.Combine(dir, "quoted-source.txt"));
        Doppel.Engine.Reports.AlignedSource[] sources = [new(src, "quoted-source.txt", "quoted-source.txt", PairAligner.Align(susp, src))];

        var off = Doppel.Engine.Reports.ReportBuilder.Build(susp, "essay.docx", docx, sources);
        Assert.InRange(off.Coverage, 0.4, 0.8);
        var on = Doppel.Engine.Reports.ReportBuilder.Build(susp, "essay.docx", docx, sources, options: new Doppel.Engine.Reports.ReportOptions
        {
            Exclusions = new Doppel.Engine.Exclusions.ExclusionOptions { Quotes = true, Bibliography = true },
        });
        Assert.Equal(0, on.CoveredLength);
        Assert.Contains(on.Exclusions.Spans, s => s.Kind == "blockQuote");
    }

    [Fact]
    public void Web_page_without_main_text_is_reported_empty()
    {
        string path = Path.Combine(_temp, "menu.html");
        File.WriteAllText(path, "<!DOCTYPE html><html><body><nav><a href=/a>Home</a> <a href=/b>About</a></nav><script>var x=1;</script></body></html>");
        var e = Assert.Throws<DocumentInputException>(() => new DocumentReader().Read(path, TextDecoder.DefaultMaxBytes));
        Assert.Equal(DocumentInputErrorKind.Empty, e.Kind);
        Assert.EndsWith("web page has no main text", e.Message);
    }

    [Fact]
    public void Only_office_zips_are_sniffed_as_documents()
    {
        var docx = new MemoryStream();
        using (var z = new ZipArchive(docx, ZipArchiveMode.Create, true)) z.CreateEntry("[Content_Types].xml");
        Assert.Equal(DocumentFormats.Docx, DocumentReader.Sniff(docx.ToArray(), null));
        var other = new MemoryStream();
        using (var z = new ZipArchive(other, ZipArchiveMode.Create, true)) z.CreateEntry("photos/1.jpg");
        Assert.Null(DocumentReader.Sniff(other.ToArray(), null));
    }
}
