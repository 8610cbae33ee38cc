using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Doppel.Server.Tests;

/// <summary>The server in-process on a TestServer (what WebApplicationFactory wraps), on a fresh data directory
/// inside a scratch folder, so a test can check nothing is written beside it.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    public const string AdminPassword = "correct horse battery";
    public string Scratch { get; } = Directory.CreateTempSubdirectory("doppel-server-").FullName;
    public string DataDir => Path.Combine(Scratch, "data");
    public WebApplication App { get; }
    public HttpClient Client { get; }

    public ServerHarness(int maxUploadMb = 50, string? index = null)
    {
        App = DoppelServer.Build(new ServerOptions { DataDir = DataDir, Index = index, AdminPassword = AdminPassword, MaxUploadMb = maxUploadMb, Workers = 1 },
            b => b.WebHost.UseTestServer());
        App.StartAsync().GetAwaiter().GetResult();
        Client = App.GetTestClient();
    }

    public static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    public async Task<HttpClient> SignIn(string user = "admin", string password = AdminPassword)
    {
        var r = await Client.PostAsJsonAsync("/api/v1/tokens", new { username = user, password });
        r.EnsureSuccessStatusCode();
        var token = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        var c = App.GetTestClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    public static MultipartFormDataContent Files(string field, params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files) form.Add(new ByteArrayContent(content), field, name);
        return form;
    }

    public static MultipartFormDataContent ExampleFiles(string field, params string[] names) =>
        Files(field, names.Select(n => (n, File.ReadAllBytes(Example(n)))).ToArray());

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                s.Write(content);
            }
        return ms.ToArray();
    }

    public static async Task<JsonElement> WaitFor(HttpClient c, string route, string id, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await c.GetFromJsonAsync<JsonElement>($"/api/v1/{route}/{id}");
            string status = job.GetProperty("status").GetString()!;
            if (status is "done" or "failed" or "cancelled") return job;
            if (DateTime.UtcNow > until) throw new TimeoutException($"job {id} still {status}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Scratch, recursive: true); } catch (IOException) { }
    }
}
