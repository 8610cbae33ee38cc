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
