using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Doppel.Server.Tests;

/// <summary>
/// The web UI end to end, as a teacher would use it: the server in-process on a real Kestrel port, Debian's Chromium
/// (headless, installed by .ci/setup) driven by Playwright, whose node driver ships in its package. Sign in, create a
/// workspace, add the example essay and web page as sources, submit the paraphrase, wait for the job, open the
/// report, click a passage and read the essay's text beside it. Screenshots of each step go to the test output
/// directory (screenshots/server-ui-*.png).
/// </summary>
public sealed class BrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task A_teacher_signs_in_uploads_sources_checks_the_paraphrase_and_reads_the_passage_beside_its_source()
    {
        Assert.True(File.Exists(Chromium), "Chromium is missing: run .ci/setup (apt-get install chromium)");
        var clock = Stopwatch.StartNew();
        string scratch = Directory.CreateTempSubdirectory("doppel-ui-").FullName;
        var app = DoppelServer.Build(new ServerOptions
        {
            DataDir = Path.Combine(scratch, "data"), AdminPassword = ServerHarness.AdminPassword, Urls = "http://127.0.0.1:0", Workers = 1,
        });
        await app.StartAsync();
        try
        {
            string baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 }, BaseURL = baseUrl });
            context.SetDefaultTimeout(15_000);
            var page = await context.NewPageAsync();
            var consoleErrors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add($"{m.Text} ({m.Location})"); };
            page.Response += (_, r) => { if (r.Status >= 400) consoleErrors.Add($"{r.Status} {r.Url}"); };
            page.PageError += (_, e) => consoleErrors.Add(e);
            Directory.CreateDirectory(Screenshots);
            Task Shot(string name) => page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"server-ui-{name}.png"), FullPage = true });

            // Sign in.
            await page.GotoAsync("/");
            await page.Locator("#username").FillAsync("admin");
            await page.Locator("#password").FillAsync(ServerHarness.AdminPassword);
            await Shot("1-sign-in");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync("Signed in as admin");
            await Assertions.Expect(page.Locator("#signin")).ToBeHiddenAsync();

            // A workspace for the course; it becomes the selected one.
            await page.Locator("#ws-name").FillAsync("Essay course 2026");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
            await Assertions.Expect(page.Locator("#workspace option:checked")).ToHaveTextAsync("Essay course 2026");

            // The reference index: the essay and the web page.
            await page.Locator("#src-files").SetInputFilesAsync([ServerHarness.Example("essay.txt"), ServerHarness.Example("web-page.html")]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#src-status")).ToHaveTextAsync("Added 2, replaced 0, unchanged 0.");
            await Assertions.Expect(page.Locator("#sources li")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("essay.txt");
            await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("web-page.html");
            await Shot("2-sources-added");

            // The paraphrase, through the file chooser the drop zone opens; the row fills in as the job runs.
            var chooser = page.WaitForFileChooserAsync();
            await page.Locator("#drop").ClickAsync();
            await (await chooser).SetFilesAsync(ServerHarness.Example("essay-paraphrased.txt"));
            await Assertions.Expect(page.Locator("#up-status")).ToHaveTextAsync("Submitted 1 file.");
            var jobRow = page.Locator("#jobs tr", new() { HasText = "essay-paraphrased.txt" });
            await Assertions.Expect(jobRow).ToHaveCountAsync(1);
            var open = jobRow.GetByRole(AriaRole.Button, new() { Name = "Open report" });
            await Assertions.Expect(open).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(jobRow.Locator("td").Nth(2)).ToHaveTextAsync("done");
            string share = await jobRow.Locator("td").Nth(4).InnerTextAsync();
            Assert.Matches(@"^\d+\.\d %$", share);
            Assert.True(double.Parse(share[..^2], System.Globalization.CultureInfo.InvariantCulture) > 50, $"share {share}");
            await Shot("3-check-done");

            // The report in the page; a click on a passage shows the essay's text beside it.
            await open.ClickAsync();
            await Assertions.Expect(page.Locator("#viewer")).ToBeVisibleAsync();
            var report = page.FrameLocator("#report");
            await Assertions.Expect(report.Locator("html[data-ready='1']")).ToHaveCountAsync(1);
            await report.Locator("#doc mark.m").First.ClickAsync();
            var sourceText = report.Locator("#panel .srcc .t").First;
            await Assertions.Expect(sourceText).ToBeVisibleAsync();
            await Assertions.Expect(report.Locator("#panel .srcc h5").First).ToHaveTextAsync("Source: essay.txt");
            await Shot("4-passage-clicked");
            // Enter in the report's number field must not submit its form (the server's policy forbids form posts,
            // so a submission would show up as an error below) nor reload the report and lose the panel.
            await report.Locator("#x-minwords").PressAsync("Enter");
            await Assertions.Expect(report.Locator("#panel .srcc .t").First).ToBeVisibleAsync();

            // What the panel shows is the first passage's source text, as the API's JSON report gives it, and it is
            // the essay's own text, at the offsets the report names.
            string shown = await sourceText.TextContentAsync() ?? "";
            var passage = await FirstPassage(baseUrl, await CheckId(page));
            Assert.Equal(passage.GetProperty("source").GetProperty("text").GetString(), shown);
            string essay = await File.ReadAllTextAsync(ServerHarness.Example("essay.txt"));
            Assert.True(shown.Length > 40, $"source text too short: '{shown}'");
            Assert.Contains(shown, essay);
            Assert.True(consoleErrors.Count == 0, "the page reported errors:\n" + string.Join("\n", consoleErrors));
            output.WriteLine($"browser end to end: {clock.Elapsed.TotalSeconds:F1} s; share {share}; source text {shown.Length} characters");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The job id, read from the signed report link the UI put in the iframe.</summary>
    private static async Task<string> CheckId(IPage page)
    {
        string src = await page.Locator("#report").GetAttributeAsync("src") ?? "";
        string[] parts = src.Split('/', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(parts is ["reports", _, _, _, "report.html"], $"report link {src}");
        return parts[3];
    }

    private static async Task<JsonElement> FirstPassage(string baseUrl, string checkId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var login = await http.PostAsJsonAsync("/api/v1/tokens", new { username = "admin", password = ServerHarness.AdminPassword });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        var job = await http.GetFromJsonAsync<JsonElement>($"/api/v1/checks/{checkId}");
        return job.GetProperty("report").GetProperty("sources")[0].GetProperty("passages")[0];
    }
}
