using System.CommandLine;
using Doppel.Engine.Alignment;
using Doppel.Engine.Index;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Html;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel check DOC... (--against FILE_OR_DIR... | --index DIR) [--top K] [--format text|json|html|pan] [-o OUT]</c>:
/// documents against many sources, ranked by how much of each document they cover. With <c>--against</c> every
/// source is aligned; with <c>--index</c> candidates are retrieved from the reference index and the top K aligned.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var docs = new Argument<string[]>("DOC") { Description = "The documents to check.", Arity = ArgumentArity.OneOrMore };
        var against = new Option<string[]>("--against", "-a")
        {
            Description = "Source files or directories (searched recursively for text, Markdown, HTML, DOCX and PDF files).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
            HelpName = "FILE_OR_DIR",
        };
        var index = IndexLocation.Option();
        index.Description = "Check against the reference index in DIR (see 'doppel index'); the default when --against is not given: " +
            $"${IndexLocation.EnvironmentVariable}, else ~/.local/share/doppel/index.";
        var top = new Option<int>("--top", "-k")
        {
            Description = "With an index: at most this many retrieved candidates are aligned with each document (those with enough evidence, strongest first).",
            DefaultValueFactory = _ => 50,
            HelpName = "K",
        };
        top.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--top must be between 1 and 1000."); });
        var format = CommonOptions.Format("text", "json", "html", "pan");
        var output = new Option<string>("--output", "-o")
        {
            Description = "Write the report to FILE instead of standard output; with --format pan, the directory for one SUSP-SRC.xml " +
                "per source with detections; with --format html and several documents, the directory for one DOC.html each.",
            HelpName = "OUT",
        };
        var noColor = CommonOptions.NoColor();
        var quiet = CommonOptions.Quiet();
        var reportOptions = new ReportOptionSet();
        var cmd = new Command("check", "Compare documents with every source (--against) or with the best candidates from a reference index (--index), " +
            "rank the sources by the share of each document they cover, and list the passages.")
        {
            docs, against, index, top, format, output, noColor, quiet,
        };
        reportOptions.AddTo(cmd);
        cmd.Validators.Add(r =>
        {
            if (r.GetResult(against) != null && r.GetResult(index) != null) r.AddError("Give either --against or --index, not both.");
            if (r.GetValue(format) == "pan" && string.IsNullOrEmpty(r.GetValue(output))) r.AddError("--format pan needs -o DIR.");
            if (r.GetValue(format) == "html" && r.GetValue(docs)!.Length > 1 && string.IsNullOrEmpty(r.GetValue(output)))
                r.AddError("--format html with several documents needs -o DIR.");
        });
        cmd.SetAction(r =>
        {
            var settings = new Settings(r.GetValue(format)!, r.GetValue(output), r.GetValue(noColor), r.GetValue(quiet), r.GetValue(top),
                reportOptions.Read(r, r.GetValue(format)!));
            var inputs = new Inputs(ctx.MaxBytes(r));
            var docPaths = r.GetValue(docs)!;
            if (r.GetResult(against) != null)
                return RunAgainst(ctx, inputs, docPaths, r.GetValue(against)!, settings);
            string location = IndexLocation.Resolve(r.GetValue(index));
            // Without either option, the default index is used only when there is one.
            if (r.GetResult(index) == null && !SqliteReferenceIndex.Exists(location))
                return ctx.Fail(ExitCodes.UsageError, $"check needs --against FILE_OR_DIR or --index DIR (there is no index at {location})");
            return IndexCommand.WithIndex(ctx, location, create: false, idx => RunIndex(ctx, inputs, docPaths, idx, settings));
        });
        return cmd;
    }

    private sealed record Settings(string Format, string? Output, bool NoColor, bool Quiet, int Top, ReportOptions Report);

    /// <summary>One checked document's result, ready to render.</summary>
    private sealed record Checked(AnalyzedDocument Doc, string Path, IReadOnlyList<AlignedSource> Sources, IReadOnlyList<SkippedInput> Skipped)
    {
        /// <summary>Per source name: other ids under which the index holds the same content.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    }

    private static int RunAgainst(CliContext ctx, Inputs inputs, string[] docPaths, string[] against, Settings s)
    {
        var files = InputFiles.Discover(against, docPaths.Select(Path.GetFullPath).ToArray());
        if (files.Count == 0)
            return ctx.Fail(ExitCodes.InputError, $"{string.Join(", ", against)}: no source documents found");

        var loadedDocs = LoadDocs(ctx, inputs, docPaths, out int docErrors);
        if (loadedDocs.Count == 0) return ExitCodes.InputError;

        // Each source is analysed once and aligned with every document.
        var sources = new (AnalyzedDocument? Doc, DocumentInputException? Error)[files.Count];
        using (var progress = Progress.Start(ctx, s.Quiet, files.Count, "sources read"))
        {
            Parallel.For(0, files.Count, i =>
            {
                var loaded = inputs.Load(files[i].Path, files[i].Name);
                sources[i] = (loaded.Document, loaded.Error);
                progress.Advance(files[i].Name);
            });
        }
        var skipped = new List<SkippedInput>();
        for (int i = 0; i < sources.Length; i++)
        {
            if (sources[i].Error is not { } e) continue;
            string message = Output.OneLine(e.Message);
            ctx.Err.WriteLine($"doppel: {message} (skipped)");
            skipped.Add(new SkippedInput { Path = files[i].Path, Kind = ReportBuilder.KindName(e.Kind), Message = message });
        }
        if (skipped.Count == files.Count)
            return ctx.Fail(ExitCodes.InputError, "no usable source documents");

        var results = new Results(ctx, s);
        using var aligning = Progress.Start(ctx, s.Quiet, loadedDocs.Count * files.Count, "pairs aligned");
        foreach (var d in loadedDocs)
        {
            var aligned = new AlignedSource?[files.Count];
            Parallel.For(0, files.Count, i =>
            {
                if (sources[i].Doc is { } src) aligned[i] = new AlignedSource(src, files[i].Name, files[i].Path, PairAligner.Align(d.Doc, src));
                aligning.Advance();
            });
            results.Add(new Checked(d.Doc, d.Path, aligned.Where(a => a != null).ToList()!, skipped));
        }
        aligning.Done();
        return Finish(ctx, results, s, skipped.Count > 0 || docErrors > 0);
    }

    private static int RunIndex(CliContext ctx, Inputs inputs, string[] docPaths, IReferenceIndex index, Settings s)
    {
        using var snapshot = index.OpenSnapshot();
        using var progress = Progress.Start(ctx, s.Quiet || docPaths.Length < 20, docPaths.Length, "documents checked", logEvery: TimeSpan.FromSeconds(10));
        var results = new Results(ctx, s);
        int errors = 0;
        for (int i = 0; i < docPaths.Length; i++)
        {
            // A loader per document: nothing of a checked document is kept but its report, so memory stays flat
            // over thousands of documents.
            var loaded = new Inputs(inputs.MaxBytes).Load(docPaths[i]);
            if (loaded.Error is { } e)
            {
                progress.Done();
                ctx.Err.WriteLine($"doppel: {Output.OneLine(e.Message)}" + (docPaths.Length > 1 ? " (skipped)" : ""));
                errors++;
                continue;
            }
            var matches = CorpusChecker.Check(snapshot, loaded.Document!, s.Top);
            var sources = matches.Where(m => m.Passages.Count > 0)
                .Select(m => new AlignedSource(m.Analyzed, m.Document.Id, m.Document.Id, m.Passages))
                .ToList();
            var aliases = matches.Where(m => m.Passages.Count > 0 && m.Document.Aliases.Count > 0)
                .ToDictionary(m => m.Document.Id, m => m.Document.Aliases);
            results.Add(new Checked(loaded.Document!, docPaths[i], sources, []) { Aliases = aliases });
            progress.Report(i + 1);
        }
        progress.Done();
        if (results.Count == 0) return ExitCodes.InputError;
        return Finish(ctx, results, s, errors > 0);
    }

    private static List<(AnalyzedDocument Doc, string Path)> LoadDocs(CliContext ctx, Inputs inputs, string[] docPaths, out int errors)
    {
        var list = new List<(AnalyzedDocument, string)>();
        errors = 0;
        foreach (var p in docPaths)
        {
            var loaded = inputs.Load(p);
            if (loaded.Error is { } e)
            {
                ctx.Err.WriteLine($"doppel: {Output.OneLine(e.Message)}" + (docPaths.Length > 1 ? " (skipped)" : ""));
                errors++;
            }
            else
            {
                list.Add((loaded.Document!, p));
            }
        }
        return list;
    }

    /// <summary>Collects results as they come: PAN files are written at once, other formats keep only the report.</summary>
    private sealed class Results(CliContext ctx, Settings s)
    {
        public List<ComparisonReport> Reports { get; } = [];
        public int Count { get; private set; }
        public int PanCode { get; private set; } = ExitCodes.Success;

        public void Add(Checked c)
        {
            Count++;
            if (s.Format == "pan")
            {
                if (PanCode == ExitCodes.Success) PanCode = WritePan(ctx, c, s.Output!);
            }
            else
            {
                Reports.Add(ReportBuilder.Build(c.Doc, Path.GetFileName(c.Path), c.Path, c.Sources, c.Skipped, s.Report));
            }
        }
    }

    private static int Finish(CliContext ctx, Results results, Settings s, bool partial)
    {
        int code;
        if (s.Format == "pan")
        {
            code = results.PanCode;
        }
        else if (s.Format == "html" && results.Reports.Count > 1)
        {
            code = WriteHtmlPerDocument(ctx, results.Reports, s.Output!);
        }
        else
        {
            var file = s.Output == null ? null : new FileInfo(s.Output);
            var reports = results.Reports;
            string content;
            if (s.Format == "json")
                content = reports.Count == 1 ? reports[0].ToJson() + "\n" : "[\n" + string.Join(",\n", reports.Select(r => r.ToJson())) + "\n]\n";
            else if (s.Format == "html")
                content = HtmlReportRenderer.Render(reports[0]);
            else
                content = string.Join("\n", reports.Select(r => TextReport.Check(r, Output.UseColor(ctx, file, s.NoColor), ctx.TerminalWidth)));
            code = Output.Write(ctx, file, content);
        }
        return code != ExitCodes.Success ? code : partial ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    /// <summary>Several documents as HTML: one self-contained report per document, DIR/NAME.html.</summary>
    private static int WriteHtmlPerDocument(CliContext ctx, List<ComparisonReport> reports, string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var report in reports)
            {
                string name = Path.GetFileNameWithoutExtension(report.Suspicious.Name);
                string file = name;
                for (int n = 2; !used.Add(file); n++) file = $"{name}-{n}";
                File.WriteAllText(Path.Combine(dir, file + ".html"), HtmlReportRenderer.Render(report));
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Fail(ExitCodes.OutputError, $"{dir}: cannot write: {Output.OneLine(e.Message)}");
        }
    }

    /// <summary>PAN layout: one SUSP-SRC.xml per source with detections, references named by file name.</summary>
    private static int WritePan(CliContext ctx, Checked c, string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            {
                string suspName = Path.GetFileName(c.Path);
                foreach (var src in c.Sources.Where(x => x.Passages.Count > 0))
                {
                    // Content indexed under several ids is reported under each: the file cannot tell which one is meant.
                    var names = c.Aliases.TryGetValue(src.Name, out var more) ? more.Prepend(src.Name) : [src.Name];
                    foreach (var name in names)
                    {
                        string srcName = Path.GetFileName(name);
                        string file = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(suspName)}-{Path.GetFileNameWithoutExtension(srcName)}.xml");
                        PanCommand.WritePanXml(file, suspName, srcName, c.Doc.Text, src.Document.Text, src.Passages);
                    }
                }
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Fail(ExitCodes.OutputError, $"{dir}: cannot write: {Output.OneLine(e.Message)}");
        }
    }
}
