using System.Diagnostics;
using Xunit;

namespace Doppel.Tests.Cli;

/// <summary>Issue 14 item 10: the <c>./doppel</c> launcher says on stderr when it builds. Runs the real launcher in
/// a scratch tree with a stand-in <c>dotnet</c> on PATH, so nothing is built.</summary>
public sealed class LauncherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("doppel-launcher-").FullName;

    private (int Code, string Out, string Err) Launch()
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(_root, "doppel"), "--version"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["PATH"] = Path.Combine(_root, "fake") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(20_000));
        return (p.ExitCode, output, err.Result);
    }

    [Fact]
    public void The_first_run_says_it_builds_later_runs_do_not_and_a_changed_source_says_so()
    {
        File.Copy(ErrorTableTests.RepositoryFile("doppel"), Path.Combine(_root, "doppel"));
        Directory.CreateDirectory(Path.Combine(_root, "src", "Doppel.Cli"));
        string source = Path.Combine(_root, "src", "Doppel.Cli", "Program.cs");
        File.WriteAllText(source, "// source");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project/>");
        // dotnet build writes the dll; dotnet DLL ARGS says what it ran.
        string fake = Directory.CreateDirectory(Path.Combine(_root, "fake")).FullName;
        File.WriteAllText(Path.Combine(fake, "dotnet"),
            "#!/usr/bin/env bash\nif [[ $1 == build ]]; then d=\"$(dirname \"$2\")/bin/Release/net10.0\"; mkdir -p \"$d\"; touch \"$d/doppel.dll\"; exit 0; fi\necho \"ran $*\"\n");
        File.SetUnixFileMode(Path.Combine(fake, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var first = Launch();
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal("doppel: building (first run)...", first.Err.Trim());
        Assert.EndsWith("doppel.dll --version", first.Out.Trim());

        var second = Launch();
        Assert.Equal("", second.Err);
        Assert.EndsWith("doppel.dll --version", second.Out.Trim());

        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(5));
        Assert.Equal("doppel: building (sources changed)...", Launch().Err.Trim());
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
