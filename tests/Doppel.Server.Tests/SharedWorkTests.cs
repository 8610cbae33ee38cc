using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Doppel.Tests.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Doppel.Server.Tests;

/// <summary>
/// Issue 13's shared-work bar: two <c>doppel serve</c> processes on one Redis Cluster (<c>--jobs</c>, and one
/// reference index on the same cluster, <c>--index</c>), checks submitted to server A, server B SIGKILLed while it
/// holds jobs: every check completes (seen through A's API), B's jobs are taken over by A, and every report, re-run or
/// not, equals the reference report of its submission. bench/redis/shared-work.sh repeats it (trials, figures).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SharedWorkTests(RedisClusterFixture cluster, ITestOutputHelper output)
{
    /// <summary>Checks submitted (<c>DOPPEL_SHARED_WORK_CHECKS</c> overrides).</summary>
    private static int Checks => int.TryParse(Environment.GetEnvironmentVariable("DOPPEL_SHARED_WORK_CHECKS"), out int n) && n >= 10 ? n : 100;

    private const int Distinct = 8;
    private const int Repeats = 12;

    /// <summary>Eight different submissions: the examples and mixes of their paragraphs (so each has its own report),
    /// each repeated to some 30 KB so that a check takes long enough for B to be caught holding one.</summary>
    private static List<(string Name, byte[] Content)> Submissions()
    {
        var paragraphs = new[] { "essay.txt", "essay-paraphrased.txt", "web-page.txt" }
            .SelectMany(f => File.ReadAllText(ServerHarness.Example(f)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var list = new List<(string, byte[])>
        {
            ("essay-paraphrased.txt", File.ReadAllBytes(ServerHarness.Example("essay-paraphrased.txt"))),
            ("web-page.txt", File.ReadAllBytes(ServerHarness.Example("web-page.txt"))),
            ("essay.txt", File.ReadAllBytes(ServerHarness.Example("essay.txt"))),
        };
        for (int k = list.Count; k < Distinct; k++)
        {
            var mix = paragraphs.Where((_, i) => (i + k) % (k - 1) == 0).Take(6);
            list.Add(($"mix-{k}.txt", Encoding.UTF8.GetBytes(string.Join("\n\n", mix))));
        }
        return list.Select(d => (d.Item1, Encoding.UTF8.GetBytes(string.Join("\n\n", Enumerable.Repeat(Encoding.UTF8.GetString(d.Item2), Repeats))))).ToList();
    }

    private static async Task<string> Submit(ServerProcess s, (string Name, byte[] Content) doc)
    {
        var r = await s.Client.PostAsync("/api/v1/checks", ServerHarness.Files("file", doc));
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Two_servers_share_the_checks_and_a_killed_servers_jobs_are_taken_over_with_the_same_reports()
    {
        string root = Directory.CreateTempSubdirectory("doppel-shared-").FullName;
        string name = "shared-" + Guid.NewGuid().ToString("N")[..10];
        string jobs = cluster.Location(name), index = cluster.Location(name + "-index");
        string[] shared = ["--jobs", jobs, "--index", index];
        using var redis = await ConnectionMultiplexer.ConnectAsync(string.Join(',', cluster.Address["redis://".Length..].Split(',')));
        var db = redis.GetDatabase();
        try
        {
            var clock = Stopwatch.StartNew();
            void Mark(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: {what}");
            using var a = new ServerProcess(Path.Combine(root, "a"), workers: 2, leaseSeconds: 3, shared);
            var b = new ServerProcess(Path.Combine(root, "b"), workers: 2, leaseSeconds: 3, shared);
            try
            {
                await a.SignIn();
                await b.SignIn();
                (await a.Client.PostAsync("/api/v1/sources", ServerHarness.ExampleFiles("files", "essay.txt", "web-page.html"))).EnsureSuccessStatusCode();
                // B sees the sources A added: one index.
                Assert.Equal(2, (await b.Client.GetFromJsonAsync<JsonElement>("/api/v1/sources")).GetArrayLength());

                Mark("both servers up, sources added");
                // The reference: each submission checked once, before anything is killed.
                var docs = Submissions();
                var referenceIds = new List<string>();
                foreach (var d in docs) referenceIds.Add(await Submit(a, d));
                var reference = new List<string>();
                foreach (string id in referenceIds)
                {
                    var job = await ServerHarness.WaitFor(a.Client, "checks", id, seconds: 120);
                    Assert.True(job.GetProperty("status").GetString() == "done", $"{id}: {job}");
                    reference.Add(job.GetProperty("report").GetRawText());
                }
                Assert.Equal(Distinct, reference.Distinct().Count());
                Mark("reference reports done");

                // A report link made by A opens on B: the report and the signing key are shared.
                string url = (await a.Client.GetFromJsonAsync<JsonElement>($"/api/v1/checks/{referenceIds[0]}/link")).GetProperty("url").GetString()!;
                var onB = await new HttpClient { BaseAddress = b.Client.BaseAddress }.GetAsync(url);
                Assert.True(onB.StatusCode == HttpStatusCode.OK, $"{onB.StatusCode}: {await onB.Content.ReadAsStringAsync()}\n{b.Log}");
                Assert.Equal(await a.Client.GetStringAsync($"/api/v1/checks/{referenceIds[0]}/report.html"), await onB.Content.ReadAsStringAsync());
                // B's own workspace (number 1 there too) does not see A's jobs.
                Assert.Equal(0, (await b.Client.GetFromJsonAsync<JsonElement>("/api/v1/checks")).GetArrayLength());
                Assert.Equal(HttpStatusCode.NotFound, (await b.Client.GetAsync($"/api/v1/checks/{referenceIds[0]}")).StatusCode);

                // Submitted a few at a time, so that a queue builds up and both servers' workers take from it.
                double started = clock.Elapsed.TotalSeconds;
                var ids = new string[Checks];
                using (var gate = new SemaphoreSlim(6))
                    await Task.WhenAll(Enumerable.Range(0, Checks).Select(async i =>
                    {
                        await gate.WaitAsync();
                        try { ids[i] = await Submit(a, docs[i % Distinct]); }
                        finally { gate.Release(); }
                    }));
                double submitted = clock.Elapsed.TotalSeconds;
                Mark("all submitted");

                // Kill B midway, while it holds jobs (its workers' leases name its process id).
                string bWorker = $"{b.ProcessId}-";
                var killUntil = DateTime.UtcNow.AddSeconds(120);
                List<string> heldByB;
                while (true)
                {
                    var states = await Task.WhenAll(ids.Select(id => db.HashGetAsync($"doppel-jobs:{name}:job:{id}", ["status", "lease"])));
                    int done = states.Count(h => h[0] == "done");
                    heldByB = ids.Where((id, i) => states[i][0] == "running" && ((string?)states[i][1])?.StartsWith(bWorker, StringComparison.Ordinal) == true).ToList();
                    if (heldByB.Count > 0 && done >= Checks / 4) break;
                    Assert.True(done < Checks, "every check finished before B could be killed holding one");
                    Assert.True(DateTime.UtcNow < killUntil, "B never held a job");
                    await Task.Delay(20);
                }
                b.Kill();
                double killed = clock.Elapsed.TotalSeconds;
                Mark($"B killed holding {heldByB.Count}");

                var results = new List<JsonElement>();
                foreach (string id in ids)
                {
                    var job = await ServerHarness.WaitFor(a.Client, "checks", id, seconds: 180);
                    Assert.True(job.GetProperty("status").GetString() == "done", $"{id}: {job}\n{a.Log}");
                    results.Add(job);
                }
                double wall = clock.Elapsed.TotalSeconds;
                var attempts = results.Select(j => j.GetProperty("job").GetProperty("attempts").GetInt32()).ToList();
                for (int i = 0; i < ids.Length; i++)
                    Assert.True(reference[i % Distinct] == results[i].GetProperty("report").GetRawText(),
                        $"check {i} ({ids[i]}, attempts {attempts[i]}): its report differs from the reference");
                // Every job B held when it died ran again (on A) and finished.
                Assert.All(heldByB, id => Assert.True(attempts[Array.IndexOf(ids, id)] >= 2, $"{id} was held by B but ran once"));
                // Any node serves any finished job's report: A serves the taken-over ones.
                foreach (string id in heldByB)
                    Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync($"/api/v1/checks/{id}/report.html")).StatusCode);

                string figures = $"shared work: {Checks} checks on 2 servers (2 workers each) in {wall - started:F1} s from the first submission " +
                    $"(all submitted after {submitted - started:F1} s); B killed after {killed - started:F1} s holding {heldByB.Count}, the rest done {wall - killed:F1} s later; taken over (attempts > 1): {attempts.Count(n => n > 1)}; " +
                    $"attempts {string.Join(", ", attempts.GroupBy(n => n).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}; reports equal to the reference: {ids.Length}/{ids.Length}";
                output.WriteLine(figures);
                if (Environment.GetEnvironmentVariable("DOPPEL_SHARED_WORK_OUT") is { Length: > 0 } file) File.AppendAllText(file, figures + "\n");
            }
            catch
            {
                output.WriteLine("server A:\n" + a.Log + "\nserver B:\n" + b.Log);
                throw;
            }
            finally
            {
                b.Dispose();
            }
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
