using Doppel.Engine.Reports;
using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>Inputs left out, as data: the records every result carries and every observer hears of.</summary>
public static class Skips
{
    /// <summary>The first line of a message (OS and library messages may hold several).</summary>
    public static string OneLine(string s) => s.Split('\n')[0].TrimEnd('\r');

    public static SkippedInput Of(DocumentSource input, DocumentInputException error) =>
        new() { Path = input.Path, Kind = ReportBuilder.KindName(error.Kind), Message = OneLine(error.Message) };

    /// <summary>Tells the observer what the reader said about a usable document.</summary>
    internal static void Warn(IOperationObserver observer, DocumentSource input, DocumentLoader.LoadResult loaded)
    {
        if (loaded.Warning is { } w) observer.Warning(input.Path, w);
    }

    /// <summary>Tells the observer of the folders given that hold no document (the others are used).</summary>
    internal static void Warn(IOperationObserver observer, Discovered found)
    {
        foreach (var folder in found.EmptyFolders) observer.Warning(folder, InputDiscovery.EmptyFolderWarning);
    }

    /// <summary>Records the skip, tells the observer.</summary>
    internal static void Report(List<SkippedInput> into, IOperationObserver observer, InputRole role, DocumentSource input, DocumentInputException error)
    {
        var s = Of(input, error);
        into.Add(s);
        observer.Skipped(s, role);
    }
}
