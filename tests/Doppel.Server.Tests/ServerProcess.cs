using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Doppel.Server.Tests;

/// <summary><c>doppel serve</c> from the built CLI as a real process, on a free port, with a one-worker pool and a
/// short job lease unless told otherwise.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    public HttpClient Client { get; }
    public string Log => _log.ToString();
    private readonly System.Text.StringBuilder _log = new();

    /// <summary>The CLI from its own build output: its deps.json names app-local packages (newer than the shared
    /// framework) that the test project's folder does not hold.</summary>
    private static string CliDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string config = dir.Parent!.Name; // bin/<Configuration>/net10.0/
        for (var d = dir; d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Doppel.slnx")))
                return Path.Combine(d.FullName, "src", "Doppel.Cli", "bin", config, dir.Name, "doppel.dll");
        return Path.Combine(AppContext.BaseDirectory, "doppel.dll");
    }

    public int ProcessId => _process.Id;

    /// <summary>The built CLI with these arguments and job lease, output redirected.</summary>
    public static ProcessStartInfo Cli(double leaseSeconds, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliDll());
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOPPEL_JOB_LEASE_SECONDS"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return psi;
    }

    public ServerProcess(string dataDir, int workers = 1, double leaseSeconds = 2, params string[] extra)
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop(); }
        var psi = Cli(leaseSeconds, new[] { "serve", "--data", dataDir, "--urls", $"http://127.0.0.1:{port}", "--workers", workers.ToString() }.Concat(extra));
        psi.Environment["DOPPEL_ADMIN_PASSWORD"] = ServerHarness.AdminPassword;
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { if (Client.GetAsync("/health").Result.IsSuccessStatusCode) break; }
            catch (AggregateException) { }
            if (_process.HasExited || DateTime.UtcNow > until) throw new InvalidOperationException("server did not start: " + Log);
            Thread.Sleep(100);
        }
    }

    public async Task SignIn()
    {
        var r = await Client.PostAsJsonAsync("/api/v1/tokens", new { username = "admin", password = ServerHarness.AdminPassword });
        r.EnsureSuccessStatusCode();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        Client.Dispose();
    }
}
