using System.Diagnostics;
using System.Text;
using Doppel.Engine.Alignment;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Html;
using Doppel.Engine.Text;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Doppel.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Doppel.Bench -- report-load [OUT_DIR]</c>: builds the evidence report of
/// a 50-page document (about 150,000 characters) against 30 sources of pan13-train, each source contributing two
/// passages by default (one verbatim, one with every seventh word dropped; a third argument sets how many) between
/// unrelated filler text, then opens it in
/// headless Chromium five times and prints the file size and load times. Not a test: figures go to bench/results.md.
/// </summary>
public static class ReportLoadBench
{
    private const int Pages = 50, CharsPerPage = 3000, SourceCount = 30;

    public static int Run(string[] args)
    {
        string outDir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "doppel-report-bench");
        int perSource = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
        Directory.CreateDirectory(outDir);
        string srcDir = Path.Combine(Corpus.Pan13Train(), "src");
        var files = Directory.GetFiles(srcDir, "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToList();
        var sources = files.Where(f => new FileInfo(f).Length is > 8_000 and < 60_000).Take(SourceCount).ToList();
        var filler = files.Where(f => new FileInfo(f).Length > 8_000).Except(sources).Skip(100).Take(40).ToList();

        var clock = Stopwatch.StartNew();
        var rng = new Random(7);
        var susp = new StringBuilder();
        int fillerAt = 0;
        var fillerTexts = filler.Select(f => Sentences(File.ReadAllText(f))).Where(t => t.Count > 0).ToList();
        var chunks = new List<string>();
        foreach (var s in sources)
        {
            var sentences = Sentences(File.ReadAllText(s));
            int take = perSource <= 2 ? 7 : 4;
            for (int k = 0; k < perSource; k++)
            {
                // Disjoint slices of the source, alternately verbatim and with every seventh word dropped.
                int slice = Math.Max(1, sentences.Count / perSource);
                int a = k * slice + rng.Next(0, Math.Max(1, slice - take));
                string chunk = string.Join(" ", sentences.Skip(a).Take(take));
                chunks.Add(k % 2 == 0 ? chunk : DropWords(chunk, 7));
            }
        }
        chunks = chunks.OrderBy(_ => rng.Next()).ToList();
        int target = Pages * CharsPerPage;
        int perGap = (target - chunks.Sum(c => c.Length)) / (chunks.Count + 1);
        foreach (var chunk in chunks.Append(""))
        {
            int gapEnd = susp.Length + perGap;
            while (susp.Length < gapEnd)
            {
                var ft = fillerTexts[fillerAt % fillerTexts.Count];
                susp.Append(ft[(fillerAt / fillerTexts.Count) % ft.Count]).Append(' ');
                fillerAt++;
                if (rng.Next(6) == 0) susp.Append("\n\n");
            }
            susp.Append("\n\n").Append(chunk).Append("\n\n");
        }
        string suspText = susp.ToString();
        var doc = DocumentAnalyzer.Analyze(suspText, "fifty-pages.txt");
        var aligned = new AlignedSource[sources.Count];
        Parallel.For(0, sources.Count, i =>
        {
            var src = DocumentAnalyzer.Analyze(File.ReadAllText(sources[i]), Path.GetFileName(sources[i]));
            aligned[i] = new AlignedSource(src, src.Name, sources[i], PairAligner.Align(doc, src));
        });
        var report = ReportBuilder.Build(doc, "fifty-pages.txt", "fifty-pages.txt", aligned, options: new ReportOptions { IncludeText = true });
        var renderClock = Stopwatch.StartNew();
        string html = HtmlReportRenderer.Render(report);
        double renderMs = renderClock.Elapsed.TotalMilliseconds;
        string path = Path.Combine(outDir, "fifty-pages-report.html");
        File.WriteAllText(path, html);
        int passages = report.Sources.Sum(s => s.Passages.Count);
        Console.WriteLine($"document: {suspText.Length:N0} chars ({suspText.Length / (double)CharsPerPage:0} pages of {CharsPerPage}), {ExclusionWords(suspText):N0} words");
        Console.WriteLine($"sources: {report.Sources.Count}, with passages: {report.Sources.Count(s => s.Passages.Count > 0)}, passages: {passages}, coverage {report.Coverage:P1}");
        Console.WriteLine($"report: {path}");
        Console.WriteLine($"size: {new FileInfo(path).Length:N0} bytes ({new FileInfo(path).Length / 1048576.0:0.00} MiB); build + align {clock.Elapsed.TotalSeconds - renderMs / 1000:0.0} s, render {renderMs:0} ms");

        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--window-size=1400,1000");
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        var js = (IJavaScriptExecutor)driver;
        string url = new Uri(path).AbsoluteUri;
        Console.WriteLine("run  wall(ms)  domContentLoaded(ms)  loadEventEnd(ms)  firstContentfulPaint(ms)  click->panel(ms)");
        for (int run = 1; run <= 5; run++)
        {
            driver.Navigate().GoToUrl("about:blank");
            var wall = Stopwatch.StartNew();
            driver.Navigate().GoToUrl(url);
            new WebDriverWait(driver, TimeSpan.FromSeconds(60)).Until(d => js.ExecuteScript("return document.documentElement.dataset.ready") as string == "1");
            double wallMs = wall.Elapsed.TotalMilliseconds;
            double dcl = Convert.ToDouble(js.ExecuteScript("return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"));
            double load = Convert.ToDouble(js.ExecuteScript("return performance.getEntriesByType('navigation')[0].loadEventEnd"));
            double fcp = Convert.ToDouble(js.ExecuteScript("const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : -1"));
            double click = Convert.ToDouble(js.ExecuteScript(
                "const ms = document.querySelectorAll('#doc mark.m'); const m = ms[ms.length - 1]; const t = performance.now(); m.click(); " +
                "return document.querySelector('#panel .pe') ? performance.now() - t : -1"));
            Console.WriteLine($"{run,3}  {wallMs,8:0}  {dcl,20:0}  {load,16:0}  {fcp,24:0}  {click,16:0.0}");
        }
        return 0;
    }

    private static List<string> Sentences(string text) =>
        text.Replace('\n', ' ').Split(". ", StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim() + ".").Where(s => s.Length > 30).ToList();

    private static string DropWords(string s, int every) =>
        string.Join(' ', s.Split(' ').Where((_, i) => i % every != every - 1));

    private static int ExclusionWords(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
