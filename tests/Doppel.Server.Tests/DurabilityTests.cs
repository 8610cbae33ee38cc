using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Doppel.Server.Tests;

/// <summary>The built CLI started as a real process (<c>doppel serve</c>): jobs queued, the process SIGKILLed, the
/// server started again on the same data directory, and every job finishes with the report a run without the kill
/// gives.</summary>
public sealed class DurabilityTests
{
    private static readonly string[] Submissions = ["essay-paraphrased.txt", "web-page.txt", "essay.txt"];

    private static async Task<List<string>> Queue(ServerProcess s)
    {
        (await s.Client.PostAsync("/api/v1/sources", ServerHarness.ExampleFiles("files", "essay.txt", "web-page.html"))).EnsureSuccessStatusCode();
        var ids = new List<string>();
        foreach (string name in Submissions)
        {
            var r = await s.Client.PostAsync("/api/v1/checks", ServerHarness.ExampleFiles("file", name));
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        return ids;
    }

    private static async Task<List<JsonElement>> Reports(ServerProcess s, List<string> ids)
    {
        var reports = new List<JsonElement>();
        foreach (string id in ids)
        {
            var job = await ServerHarness.WaitFor(s.Client, "checks", id, seconds: 90);
            Assert.True(job.GetProperty("status").GetString() == "done", $"{id}: {job}");
            reports.Add(job);
        }
        return reports;
    }

    [Fact]
    public async Task Jobs_survive_a_SIGKILL_and_finish_with_the_same_reports()
    {
        string root = Directory.CreateTempSubdirectory("doppel-durability-").FullName;
        try
        {
            List<JsonElement> expected;
            using (var plain = new ServerProcess(Path.Combine(root, "plain")))
            {
                await plain.SignIn();
                expected = await Reports(plain, await Queue(plain));
            }

            string data = Path.Combine(root, "killed");
            List<string> ids;
            using (var first = new ServerProcess(data))
            {
                await first.SignIn();
                ids = await Queue(first);
                var last = await first.Client.GetFromJsonAsync<JsonElement>($"/api/v1/checks/{ids[^1]}");
                first.Kill();
                // One worker: the last job cannot have run yet, so the kill interrupts the queue.
                Assert.NotEqual("done", last.GetProperty("status").GetString());
            }
            using var second = new ServerProcess(data);
            await second.SignIn();
            var after = await Reports(second, ids);
            for (int i = 0; i < ids.Count; i++)
                Assert.Equal(expected[i].GetProperty("report").GetRawText(), after[i].GetProperty("report").GetRawText());
            // Each job finished once, on the restarted server or before the kill; none was lost.
            Assert.All(after, j => Assert.True(j.GetProperty("job").GetProperty("attempts").GetInt32() >= 1));
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
