using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Application;

namespace Doppel.Server.Tests;

/// <summary><c>doppel serve --index</c>: the server opens its reference index through <see cref="IndexLocation"/>.</summary>
public sealed class IndexLocationTests
{
    [Fact]
    public async Task Without_an_index_location_the_index_is_in_the_data_directory()
    {
        await using var h = new ServerHarness();
        var c = await h.SignIn();
        (await c.PostAsync("/api/v1/sources", ServerHarness.ExampleFiles("files", "essay.txt"))).EnsureSuccessStatusCode();
        Assert.True(IndexLocation.Exists(Path.Combine(h.DataDir, "index")));
    }

    [Fact]
    public async Task Sources_and_checks_use_the_index_location_given()
    {
        string elsewhere = Directory.CreateTempSubdirectory("doppel-server-index-").FullName;
        string index = Path.Combine(elsewhere, "refs");
        try
        {
            await using var h = new ServerHarness(index: index);
            var c = await h.SignIn();
            (await c.PostAsync("/api/v1/sources", ServerHarness.ExampleFiles("files", "essay.txt"))).EnsureSuccessStatusCode();
            Assert.True(IndexLocation.Exists(index));
            Assert.False(Directory.Exists(Path.Combine(h.DataDir, "index")));

            var r = await c.PostAsync("/api/v1/checks", ServerHarness.ExampleFiles("file", "essay.txt"));
            string id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var job = await ServerHarness.WaitFor(c, "checks", id);
            Assert.Equal("done", job.GetProperty("status").GetString());
            var sources = await c.GetFromJsonAsync<JsonElement>("/api/v1/sources");
            Assert.Equal("essay.txt", sources[0].GetProperty("id").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
