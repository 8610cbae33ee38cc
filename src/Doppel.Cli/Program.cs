using System.Text;
using Doppel.Cli;
using Doppel.Engine.Text;
using Microsoft.Win32.SafeHandles;

// All logic lives in Cli.Run so tests can drive it in-process; it catches everything itself.
int width = 100;
bool terminal = !Console.IsOutputRedirected;
if (terminal)
{
    try { width = Console.WindowWidth; } catch (IOException) { } catch (PlatformNotSupportedException) { }
}
else if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var cols))
{
    width = cols;
}
var stdout = StandardOutput();
int code = Cli.Run(args, stdout, Console.Error, terminal, width > 0 ? width : 100, !Console.IsErrorRedirected);
try
{
    stdout.Flush();
}
catch (IOException e)
{
    // What was written without Output.Write (help text) and could not be flushed.
    Console.Error.WriteLine($"doppel: standard output: cannot write: {Output.Reason(e)}");
    if (code == ExitCodes.Success) code = ExitCodes.OutputError;
}
return code;

// Console.Out pretends to succeed when the pipe it writes to is closed (EPIPE): `doppel extract big.txt | head`
// would exit 0 having lost the output. When standard output is a pipe, write to it directly, so that the failure
// is seen (exit 5). Files and terminals keep Console.Out, which shares the file offset with standard error.
static TextWriter StandardOutput()
{
    if (!FileProbe.TryProbe("/proc/self/fd/1", out var kind, out _) || kind != FileKind.Fifo) return Console.Out;
    try
    {
        var pipe = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        return new StreamWriter(pipe, new UTF8Encoding(false), 64 * 1024);
    }
    catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
    {
        return Console.Out;
    }
}
