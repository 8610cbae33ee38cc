using System.Diagnostics;
using Xunit;

namespace Doppel.Tests.Cli;

/// <summary>Issue 14 item 7: <c>.ci/setup</c> waits for another apt holding the lock instead of failing. Runs the
/// real script with stand-ins for dpkg-query, apt-get and sudo on PATH: nothing is installed.</summary>
public sealed class CiSetupTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("doppel-ci-").FullName;

    private static string Setup() => ErrorTableTests.RepositoryFile(".ci/setup");

    private void Tool(string name, string script)
    {
        string path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void Apt_waits_for_the_dpkg_lock_and_update_is_retried_while_another_apt_holds_it()
    {
        string log = Path.Combine(_bin, "apt.log");
        Tool("dpkg-query", "exit 1"); // nothing installed
        Tool("sudo", "exec \"$@\"");
        // The first update fails as when another apt holds the lists lock; everything after succeeds.
        Tool("apt-get", $"echo \"$*\" >> {log}\nif [[ \" $* \" == *\" update \"* && ! -f {log}.busy ]]; then touch {log}.busy; echo 'E: Could not get lock /var/lib/apt/lists/lock' >&2; exit 100; fi");
        var psi = new ProcessStartInfo("bash", [Setup()]) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["SETUP_RETRY_SECONDS"] = "0";
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(20_000));
        Assert.Equal(0, p.ExitCode);
        var calls = File.ReadAllLines(log);
        Assert.Equal(3, calls.Length);
        Assert.All(calls, c => Assert.StartsWith("-o DPkg::Lock::Timeout=300 ", c));
        Assert.EndsWith(" update -q", calls[0]);
        Assert.EndsWith(" update -q", calls[1]);
        Assert.Contains(" install -y -q chromium chromium-driver poppler-utils", calls[2]);
        Assert.Contains("retrying", err);
    }

    public void Dispose()
    {
        try { Directory.Delete(_bin, recursive: true); } catch (IOException) { }
    }
}
