using Xunit;
using Doppel.Cli;

namespace Doppel.Tests.Cli;

/// <summary>Runs the CLI in-process and gives each test its own temporary directory.</summary>
public abstract class CliHarness : IDisposable
{
    protected static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "examples");
    protected static string Example(string name) => Path.Combine(Examples, name);

    protected readonly string Temp = Directory.CreateTempSubdirectory("doppel-cli-").FullName;

    protected sealed record Result(int Code, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    protected static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Doppel.Cli.Cli.Run(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the real <c>doppel</c> as a child process (so a hang cannot take the test host with it) and
    /// kills it after <paramref name="timeout"/>: <c>Code</c> is then -1.</summary>
    protected static Result RunProcess(TimeSpan timeout, params string[] args) => RunProcess(timeout, null, args);

    protected static Result RunProcess(TimeSpan timeout, IDictionary<string, string?>? environment, params string[] args) =>
        RunProcess(timeout, environment, null, args);

    protected static Result RunProcess(TimeSpan timeout, IDictionary<string, string?>? environment, string? workingDirectory, params string[] args)
    {
        var psi = DoppelProcess(args);
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v == null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        using var child = System.Diagnostics.Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            return new Result(-1, stdout.Result, stderr.Result);
        }
        return new Result(child.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>How to start the real <c>doppel</c> with <paramref name="args"/>, output redirected.</summary>
    protected static System.Diagnostics.ProcessStartInfo DoppelProcess(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "doppel.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    protected string TempFile(string name, byte[] content)
    {
        string path = Path.Combine(Temp, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    protected static byte[] BinaryBytes()
    {
        var b = new byte[4096];
        new Random(42).NextBytes(b);
        b[10] = 0; // random data almost surely holds NULs; make sure
        return b;
    }

    /// <summary>One line on stderr, in the documented shape, with no exception text or stack trace.</summary>
    protected static void AssertOneLineError(Result r)
    {
        Assert.Single(r.ErrLines);
        Assert.StartsWith("doppel: ", r.Err);
        Assert.DoesNotContain("Exception", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    // Keeps ExitCodes reachable from tests without a using in every file.
    protected const int Ok = ExitCodes.Success, Usage = ExitCodes.UsageError, InputError = ExitCodes.InputError,
        Partial = ExitCodes.PartialFailure, OutputError = ExitCodes.OutputError;
}
