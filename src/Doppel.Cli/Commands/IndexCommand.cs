using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Doppel.Application;
using Doppel.Engine.Alignment;
using Doppel.Engine.Index;
using Doppel.Engine.Semantic;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel index add|remove|list|stats|optimize|verify</c>: the persistent reference index (docs/index.md).</summary>
internal static class IndexCommand
{
    public static Command Create(CliContext ctx)
    {
        var index = IndexOption.Create(recursive: true);
        var cmd = new Command("index", "Manage the reference index that 'check --index' searches.")
        {
            Add(ctx, index), Remove(ctx, index), List(ctx, index), Stats(ctx, index), Optimize(ctx, index), Verify(ctx, index),
        };
        cmd.Options.Add(index);
        return cmd;
    }

    private static Command Add(CliContext ctx, Option<string> index)
    {
        var paths = new Argument<string[]>("PATH") { Description = $"Files or directories to index ({CommonOptions.SearchedFor}).", Arity = ArgumentArity.OneOrMore };
        var id = new Option<string>("--id") { Description = "The id of the document (only with a single file; default: its path relative to the directory given, or its file name)." };
        var title = new Option<string>("--title") { Description = "The title of the document (only with a single file; default: its first line when short, else its file name)." };
        var batch = new Option<int>("--batch")
        {
            Description = "Commit at least every N documents (and at least every 10 seconds); a killed run keeps every committed batch.",
            DefaultValueFactory = _ => 5000,
            HelpName = "N",
        };
        batch.WholeNumber(min: 1);
        var quiet = CommonOptions.Quiet();
        var semantic = CommonOptions.Semantic();
        semantic.Description = "Store each document's sentence vectors for 'check --semantic': off (default), auto (static vectors, for 'check --semantic auto'), on (transformer vectors, for 'check --semantic on').";
        var cmd = new Command("add", "Add documents to the index (the same content is stored once; changed content under the same id replaces it).")
        {
            paths, id, title, batch, quiet, semantic,
        };
        cmd.SetAction(r =>
        {
            SemanticEncoders.TryParse(r.GetValue(semantic), out var mode);
            ISentenceEncoder? encoder;
            try
            {
                encoder = AlignmentOptions.Default.WithSemantic(mode).UnitEncoder;
            }
            catch (SentenceEncoderUnavailableException e)
            {
                return ctx.Fail(ExitCodes.InternalError, Output.OneLine(e.Message));
            }
            return WithIndex(ctx, () => RunAdd(ctx, Service(ctx, r, index), r.GetValue(paths)!,
                new IndexAddOptions { Id = r.GetValue(id), Title = r.GetValue(title), BatchSize = r.GetValue(batch), Encoder = encoder }, r.GetValue(quiet)));
        });
        return cmd;
    }

    private static int RunAdd(CliContext ctx, IndexService index, string[] paths, IndexAddOptions options, bool quiet)
    {
        IndexAddResult added;
        using (var display = new ProgressDisplay(ctx, quiet))
            added = index.AddPaths(paths, options, display);
        int skipped = added.Skipped.Count;
        if (!quiet)
        {
            double secs = added.Elapsed.TotalSeconds;
            ctx.Err.WriteLine($"{added.Count(AddOutcome.Added)} added, {added.Count(AddOutcome.Replaced)} replaced, " +
                $"{added.Count(AddOutcome.Unchanged)} unchanged, {added.Count(AddOutcome.Duplicate)} duplicates, {skipped} skipped " +
                $"in {secs:F1} s ({(added.Stored + skipped) / Math.Max(secs, 1e-9):F1} documents/s)"
                + (added.Encoded > 0 ? $"; sentence vectors of {added.Encoded} stored" : ""));
        }
        if (added.VectorsIgnored)
            ctx.Err.WriteLine("doppel: this index does not store sentence vectors: 'check --semantic on' encodes its candidates");
        // Nothing usable at all is an input error, as for check; some files skipped is a partial failure.
        return skipped == 0 ? ExitCodes.Success : added.Stored == 0 ? ExitCodes.InputError : ExitCodes.PartialFailure;
    }

    private static Command Remove(CliContext ctx, Option<string> index)
    {
        var ids = new Argument<string[]>("ID") { Description = "Ids of the documents to remove (as 'index list' shows them).", Arity = ArgumentArity.OneOrMore };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("remove", "Remove documents from the index by id.") { ids, quiet };
        cmd.SetAction(r => WithIndex(ctx, () =>
        {
            var result = Service(ctx, r, index).Remove(r.GetValue(ids)!);
            foreach (var m in result.Missing) ctx.Err.WriteLine($"doppel: {m}: not in the index");
            if (!r.GetValue(quiet)) ctx.Err.WriteLine($"{result.Removed.Count} removed");
            return result.Missing.Count == 0 ? ExitCodes.Success : result.Removed.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.InputError;
        }));
        return cmd;
    }

    private static Command List(CliContext ctx, Option<string> index)
    {
        var format = CommonOptions.Format("text", "json");
        var cmd = new Command("list", "List the indexed documents: id, length in characters, title.") { format };
        cmd.SetAction(r => WithIndex(ctx, () =>
        {
            var docs = Service(ctx, r, index).List();
            var w = new StringWriter();
            if (r.GetValue(format) == "json")
            {
                w.WriteLine(JsonSerializer.Serialize(docs.Select(d => new IndexListEntry
                {
                    Id = d.Id, Title = d.Title, Length = d.Length, ContentHash = d.ContentHash, Added = d.Added, AliasOf = d.AliasOf,
                }).ToArray(), IndexJsonContext.Default.IndexListEntryArray));
            }
            else
            {
                foreach (var d in docs) w.WriteLine($"{d.Id}\t{d.Length}\t{d.Title}" + (d.AliasOf != null ? $"\t(same content as {d.AliasOf})" : ""));
            }
            return Output.Write(ctx, null, w.ToString());
        }));
        return cmd;
    }

    private static Command Stats(CliContext ctx, Option<string> index)
    {
        var format = CommonOptions.Format("text", "json");
        var cmd = new Command("stats", "Show the size of the index: documents, text, postings, disk use, format version.") { format };
        cmd.SetAction(r => WithIndex(ctx, () =>
        {
            var s = Service(ctx, r, index).Stats();
            string text = r.GetValue(format) == "json"
                ? JsonSerializer.Serialize(s, IndexJsonContext.Default.IndexStats) + "\n"
                : $"""
                   location        {s.Location}
                   backend         {s.Backend}, format version {s.FormatVersion}
                   documents       {s.Documents:N0} (and {s.Aliases:N0} aliases: other ids with the same content)
                   text            {s.Characters:N0} characters, {s.CompressedTextBytes:N0} bytes compressed
                   postings        {s.PostingRows:N0} blocks, at most {s.MaxBlocksPerBucket:N0} per bucket; {(s.UnmergedBatches == 0 ? "all merged" : $"{s.UnmergedBatches:N0} add {(s.UnmergedBatches == 1 ? "batch" : "batches")} not merged (index optimize merges them)")}
                   dead documents  {s.DeadDocuments:N0}
                   vectors         {s.VectorDocuments:N0} documents with sentence vectors, {s.VectorBytes:N0} bytes
                   disk            {s.DiskBytes:N0} bytes ({(s.Characters == 0 ? 0 : (double)s.DiskBytes / s.Characters):F2} bytes per character of text)

                   """;
            return Output.Write(ctx, null, text);
        }));
        return cmd;
    }

    private static Command Optimize(CliContext ctx, Option<string> index)
    {
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("optimize", "Merge the index's segments and drop the postings of removed documents (faster checks after many add runs).") { quiet };
        cmd.SetAction(r => WithIndex(ctx, () =>
        {
            bool q = r.GetValue(quiet);
            var clock = Stopwatch.StartNew();
            long merged;
            using (var display = new ProgressDisplay(ctx, q))
                merged = Service(ctx, r, index).Optimize(display);
            if (!q) ctx.Err.WriteLine(merged == 0 ? "nothing to optimize" : $"{merged} segments merged in {clock.Elapsed.TotalSeconds:F1} s");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    private static Command Verify(CliContext ctx, Option<string> index)
    {
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("verify", "Check the whole index (SQLite's integrity check and every stored checksum): one line per problem, exit 6 if damaged.") { quiet };
        cmd.SetAction(r => WithIndex(ctx, () =>
        {
            var service = Service(ctx, r, index);
            var (problems, version) = service.Verify();
            int written = Output.Write(ctx, null, string.Concat(problems.Select(p => p + "\n")));
            if (problems.Count > 0)
                return ctx.Fail(ExitCodes.IndexError, $"{service.Location}: damaged index: {problems.Count} {(problems.Count == 1 ? "problem" : "problems")}; restore it from a backup or rebuild it");
            if (written != ExitCodes.Success) return written;
            if (!r.GetValue(quiet))
                ctx.Err.WriteLine(service.IsRedis || version >= SqliteReferenceIndex.ChecksumVersion
                    ? $"{service.Location}: intact (integrity check and every checksum passed)"
                    : $"{service.Location}: intact as far as format version {version} shows (it has no checksums: texts and posting blocks were decoded instead; the next add, remove or optimize upgrades it)");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    private static IndexService Service(CliContext ctx, ParseResult r, Option<string> index) =>
        new(IndexLocation.Resolve(r.GetValue(index)), ctx.Limits(r));

    /// <summary>Runs <paramref name="action"/>, turning index failures and operations that cannot run into one-line
    /// errors.</summary>
    internal static int WithIndex(CliContext ctx, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (IndexException e)
        {
            foreach (var id in e.NotAdded ?? []) ctx.Err.WriteLine($"doppel: not added: {id}");
            return ctx.Fail(e.Kind switch
            {
                IndexErrorKind.NotFound => ExitCodes.InputError,
                IndexErrorKind.Unavailable => ExitCodes.Unavailable,
                _ => ExitCodes.IndexError,
            }, Output.OneLine(e.Message));
        }
        catch (ServiceException e) when (e.Kind == ServiceErrorKind.Configuration)
        {
            return ctx.Fail(ExitCodes.UsageError, $"{e.Message}; give --index DIR or set {IndexLocation.EnvironmentVariable}");
        }
        catch (ServiceException e)
        {
            return ctx.Fail(e.Kind == ServiceErrorKind.Usage ? ExitCodes.UsageError : ExitCodes.InputError, e.Message);
        }
    }
}
