using Doppel.Engine.Reports;
using Doppel.Tests.Cli;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit;

namespace Doppel.Tests.Reports;

/// <summary>
/// Opens generated reports in Debian's Chromium, headless, through chromedriver (both installed by .ci/setup), as a
/// reader would: clicks a passage and checks the side panel shows its source text; switches exclusions and checks
/// the share the page recomputes. Screenshots go to the test output directory (screenshots/).
/// </summary>
public sealed class HtmlReportBrowserTests : CliHarness
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static ChromeDriver StartBrowser()
    {
        Assert.True(File.Exists("/usr/bin/chromium") && File.Exists("/usr/bin/chromedriver"),
            "Chromium and chromedriver are missing: run .ci/setup (apt-get install chromium chromium-driver)");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--window-size=1400,1000");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static void Open(ChromeDriver driver, string file)
    {
        driver.Navigate().GoToUrl(new Uri(file).AbsoluteUri);
        new WebDriverWait(driver, TimeSpan.FromSeconds(20)).Until(d => ((IJavaScriptExecutor)d).ExecuteScript("return document.documentElement.dataset.ready") as string == "1");
    }

    private static string Js(ChromeDriver d, string script) => (string)((IJavaScriptExecutor)d).ExecuteScript(script)!;

    [Fact]
    public void Clicking_a_passage_shows_its_source_text_beside_it()
    {
        string html = Path.Combine(Temp, "report.html");
        Assert.Equal(Ok, Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "html", "-o", html).Code);
        var json = ComparisonReport.FromJson(Run("compare", Example("essay-paraphrased.txt"), Example("essay.txt"), "-f", "json").Out);
        var passage = json.Sources[0].Passages[0];

        using var driver = StartBrowser();
        Open(driver, html);
        // The script recomputes the share (a share of words) on load with the engine's rules: it must agree with the engine.
        Assert.Equal(Doppel.Engine.Reports.Html.HtmlReportRenderer.Pct(json.CoveredWords, json.Suspicious.Words), driver.FindElement(By.Id("overall")).Text);
        Assert.Equal(json.Suspicious.Length, Js(driver, "return document.getElementById('doc').textContent").Length);

        driver.FindElement(By.CssSelector("#doc mark.m")).Click();
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(10));
        wait.Until(d => d.FindElements(By.CssSelector("#panel .pe")).Count > 0);
        Assert.Equal(passage.Source.Text, Js(driver, "return document.querySelector('#panel .srcc .t').textContent"));
        Assert.Equal(passage.Suspicious.Text, Js(driver, "return document.querySelector('#panel .susp .t').textContent"));
        Assert.Equal("Source: essay.txt", Js(driver, "return document.querySelector('#panel .srcc h5').textContent"));
        Assert.Equal(passage.Kind, Js(driver, "return document.querySelector('#panel .pe .kind').textContent"));
        // Word differences are marked: the paraphrase changed words.
        Assert.NotEmpty(driver.FindElements(By.CssSelector("#panel .srcc .ch")));

        Directory.CreateDirectory(Screenshots);
        string shot = Path.Combine(Screenshots, "report-passage-clicked.png");
        driver.GetScreenshot().SaveAsFile(shot);
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [Fact]
    public void Exclusion_toggles_and_source_checkboxes_recompute_the_share_as_the_engine_does()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "exclusions");
        string essay = Path.Combine(dir, "quoting-essay.txt"), source = Path.Combine(dir, "quoted-source.txt");
        string html = Path.Combine(Temp, "quotes.html");
        Assert.Equal(Ok, Run("check", essay, "--against", source, Example("web-page.html"), "-f", "html", "-o", html).Code);
        var off = ComparisonReport.FromJson(Run("check", essay, "--against", source, Example("web-page.html"), "-f", "json").Out);
        var quotesOn = ComparisonReport.FromJson(Run("check", essay, "--against", source, Example("web-page.html"), "-f", "json", "--exclude-quotes").Out);
        Assert.True(off.CoveredLength > quotesOn.CoveredLength && quotesOn.CoveredLength > 0);

        using var driver = StartBrowser();
        Open(driver, html);
        string Overall() => driver.FindElement(By.Id("overall")).Text;
        string Pct(ComparisonReport r) => Doppel.Engine.Reports.Html.HtmlReportRenderer.Pct(r.CoveredWords, r.Suspicious.Words);
        Assert.Equal(Pct(off), Overall());

        driver.FindElement(By.Id("x-quotes")).Click();
        Assert.Equal(Pct(quotesOn), Overall());
        driver.FindElement(By.Id("x-bibliography")).Click();
        Assert.Equal("0.0%", Overall());
        Assert.Equal(2, driver.FindElements(By.CssSelector("#doc mark.m.nc")).Count(m => m.GetAttribute("data-n") != null));

        driver.FindElement(By.Id("x-quotes")).Click();
        driver.FindElement(By.Id("x-bibliography")).Click();
        Assert.Equal(Pct(off), Overall());
        // Unticking the source takes its passages out of the count and off the page.
        driver.FindElement(By.CssSelector(".src[data-s='0'] input.inc")).Click();
        Assert.Equal("0.0%", Overall());
        Assert.Empty(driver.FindElements(By.CssSelector("#doc mark.m:not(.off)")));

        Directory.CreateDirectory(Screenshots);
        driver.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "report-source-excluded.png"));
    }
}
