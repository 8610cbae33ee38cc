using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Doppel.Server.Tests;

public sealed class ApiTests
{
    [Fact]
    public async Task Check_against_uploaded_sources_gives_the_documented_report()
    {
        await using var h = new ServerHarness();
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/openapi/v1.json")).StatusCode);
        var wrong = await h.Client.PostAsJsonAsync("/api/v1/tokens", new { username = "admin", password = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var c = await h.SignIn();
        var added = await c.PostAsync("/api/v1/sources", ServerHarness.ExampleFiles("files", "essay.txt", "web-page.html"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var sources = await c.GetFromJsonAsync<JsonElement>("/api/v1/sources");
        Assert.Equal(2, sources.GetArrayLength());

        var queued = await c.PostAsync("/api/v1/checks", ServerHarness.ExampleFiles("file", "essay-paraphrased.txt"));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        string id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var job = await ServerHarness.WaitFor(c, "checks", id);
        Assert.Equal("done", job.GetProperty("status").GetString());
        var report = job.GetProperty("report");
        Assert.Equal("essay-paraphrased.txt", report.GetProperty("suspicious").GetProperty("name").GetString());
        Assert.Equal("essay-paraphrased.txt", report.GetProperty("suspicious").GetProperty("path").GetString()); // no server path
        Assert.Contains(report.GetProperty("sources").EnumerateArray(), s => s.GetProperty("name").GetString() == "essay.txt");
        Assert.True(report.GetProperty("coverage").GetDouble() > 0.5);

        var html = await c.GetAsync($"/api/v1/checks/{id}/report.html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        string csp = html.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'sha256-", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("default-src 'none'", csp);

        // The UI's iframe opens the report through a signed link, without a bearer header; a forged one is refused.
        string url = (await c.GetFromJsonAsync<JsonElement>($"/api/v1/checks/{id}/link")).GetProperty("url").GetString()!;
        var viaLink = await h.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, viaLink.StatusCode);
        Assert.Equal(csp, viaLink.Headers.GetValues("Content-Security-Policy").Single());
        string[] parts = url.Split('/');
        parts[3] = new string('0', parts[3].Length);
        Assert.Equal(HttpStatusCode.Forbidden, (await h.Client.GetAsync(string.Join('/', parts))).StatusCode);

        var list = await c.GetFromJsonAsync<JsonElement>("/api/v1/checks");
        Assert.Contains(list.EnumerateArray(), j => j.GetProperty("id").GetString() == id && j.GetProperty("share").GetDouble() > 0.5);
    }

    [Fact]
    public async Task The_ui_is_served_from_the_assembly_with_nothing_from_elsewhere()
    {
        await using var h = new ServerHarness();
        var page = await h.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("src=\"/ui/app.js\"", html);
        Assert.DoesNotContain("http", html.Replace("/openapi/v1.json", ""));
        string csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe", csp);
        foreach (string f in new[] { "app.js", "app.css" })
        {
            var r = await h.Client.GetAsync("/ui/" + f);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.DoesNotContain("https://", await r.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Collection_job_gives_the_collection_report()
    {
        await using var h = new ServerHarness();
        var c = await h.SignIn();
        var queued = await c.PostAsync("/api/v1/collections", ServerHarness.ExampleFiles("files", "essay.txt", "essay-paraphrased.txt", "web-page.txt"));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        string id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var job = await ServerHarness.WaitFor(c, "collections", id);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("report").GetProperty("pairs").GetArrayLength() >= 1);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/api/v1/collections/{id}/report.html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/api/v1/collections/{id}/pages/..%2F..%2Fdoppel.db")).StatusCode);
    }

    [Fact]
    public async Task Every_api_route_needs_a_token()
    {
        await using var h = new ServerHarness();
        var routes = h.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<DoppelServer.AnonymousRoute>() == null)
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        foreach (var e in routes)
        {
            string path = "/" + string.Join('/', e.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "1",
                _ => "x",
            }))));
            foreach (string method in e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var r = await h.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                Assert.True(r.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)r.StatusCode}");
                // A wrong token is no better than none.
                var bad = new HttpRequestMessage(new HttpMethod(method), path);
                bad.Headers.Authorization = new("Bearer", "not-a-token");
                Assert.Equal(HttpStatusCode.Unauthorized, (await h.Client.SendAsync(bad)).StatusCode);
            }
        }
    }

    [Fact]
    public async Task Another_workspaces_check_is_not_found()
    {
        await using var h = new ServerHarness();
        var admin = await h.SignIn();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/users", new { username = "bob", password = "bobs password" })).StatusCode);
        await admin.PostAsync("/api/v1/sources", ServerHarness.ExampleFiles("files", "essay.txt"));
        var queued = await admin.PostAsync("/api/v1/checks", ServerHarness.ExampleFiles("file", "essay-paraphrased.txt"));
        string id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await ServerHarness.WaitFor(admin, "checks", id);

        var bob = await h.SignIn("bob", "bobs password");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/checks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/checks/{id}/report.html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/v1/checks/{id}")).StatusCode);
        Assert.Empty((await bob.GetFromJsonAsync<JsonElement>("/api/v1/checks")).EnumerateArray());
        // Nor can bob queue into the admin's workspace, or manage users.
        long adminWs = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/workspaces"))[0].GetProperty("id").GetInt64();
        var form = ServerHarness.ExampleFiles("file", "essay.txt");
        form.Add(new StringContent(adminWs.ToString()), "workspace");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync("/api/v1/checks", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/v1/users")).StatusCode);
        // The admin still sees it.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/checks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Upload_over_the_limit_is_413()
    {
        await using var h = new ServerHarness(maxUploadMb: 50);
        var c = await h.SignIn();
        var r = await c.PostAsync("/api/v1/checks", ServerHarness.Files("file", ("big.txt", new byte[60 * 1024 * 1024])));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(h.DataDir, "uploads")) && Directory.EnumerateFiles(Path.Combine(h.DataDir, "uploads"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Zip_with_a_path_out_of_the_archive_is_refused_and_nothing_is_written_outside()
    {
        await using var h = new ServerHarness();
        var c = await h.SignIn();
        foreach (string evil in new[] { "../evil.txt", "a/../../evil.txt", "/tmp/evil.txt" })
        {
            var zip = ServerHarness.Zip(("ok.txt", "fine text here"u8.ToArray()), (evil, "evil text"u8.ToArray()));
            var r = await c.PostAsync("/api/v1/collections", ServerHarness.Files("files", ("set.zip", zip)));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("leaves the archive", await r.Content.ReadAsStringAsync());
        }
        Assert.Empty(Directory.EnumerateFiles(h.Scratch, "*evil*", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/evil.txt") && File.GetLastWriteTimeUtc("/tmp/evil.txt") > DateTime.UtcNow.AddMinutes(-1));
        // The refused upload's files are gone too.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(h.DataDir, "uploads"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Zip_bomb_and_nested_zip_are_refused()
    {
        await using var h = new ServerHarness();
        var c = await h.SignIn();
        var bomb = ServerHarness.Zip(("zeros.txt", new byte[40 * 1024 * 1024]));
        Assert.True(bomb.Length < 1024 * 1024);
        var r = await c.PostAsync("/api/v1/sources", ServerHarness.Files("files", ("bomb.zip", bomb)));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("refused", await r.Content.ReadAsStringAsync());

        var nested = ServerHarness.Zip(("inner.zip", ServerHarness.Zip(("a.txt", "text"u8.ToArray()))));
        r = await c.PostAsync("/api/v1/sources", ServerHarness.Files("files", ("outer.zip", nested)));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("zip inside a zip", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_attempts_are_rate_limited()
    {
        await using var h = new ServerHarness();
        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
            codes.Add((await h.Client.PostAsJsonAsync("/api/v1/tokens", new { username = "admin", password = "guess" + i })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, codes[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
    }

    [Fact]
    public void Without_users_or_admin_password_the_server_refuses_to_start()
    {
        string dir = Directory.CreateTempSubdirectory("doppel-server-").FullName;
        try
        {
            var e = Assert.Throws<ServerStartException>(() => DoppelServer.Build(new ServerOptions { DataDir = dir }));
            Assert.Contains(ServerOptions.AdminPasswordVariable, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }
}
