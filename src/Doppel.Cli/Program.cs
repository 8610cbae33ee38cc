using Doppel.Cli;

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
return Cli.Run(args, Console.Out, Console.Error, terminal, width > 0 ? width : 100, !Console.IsErrorRedirected);
