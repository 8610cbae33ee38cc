using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Doppel.Engine.Index;
using Doppel.Engine.Text;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel index add|remove|list|stats</c>: the persistent reference index (docs/index.md).</summary>
internal static class IndexCommand
{
    /// <summary>Documents analysed in parallel before they are handed to the writer.</summary>
    private const int Chunk = 64;

    public static Command Create(CliContext ctx)
    {
        var index = IndexLocation.Option(recursive: true);
        var cmd = new Command("index", "Manage the reference index that 'check --index' searches.")
        {
            Add(ctx, index), Remove(ctx, index), List(ctx, index), Stats(ctx, index), Optimize(ctx, index),
        };
        cmd.Options.Add(index);
        return cmd;
    }

    private static Command Add(CliContext ctx, Option<string> index)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories (searched recursively) to index.", Arity = ArgumentArity.OneOrMore };
        var id = new Option<string>("--id") { Description = "The id of the document (only with a single file; default: its path relative to the directory given, or its file name)." };
        var title = new Option<string>("--title") { Description = "The title of the document (only with a single file; default: its first line when short, else its file name)." };
        var batch = new Option<int>("--batch")
        {
            Description = "Commit at least every N documents (and at least every 10 seconds); a killed run keeps every committed batch.",
            DefaultValueFactory = _ => 5000,
            HelpName = "N",
        };
        batch.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--batch must be at least 1."); });
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("add", "Add documents to the index (the same content is stored once; changed content under the same id replaces it).")
        {
            paths, id, title, batch, quiet,
        };
        cmd.SetAction(r => RunAdd(ctx, IndexLocation.Resolve(r.GetValue(index)), r.GetValue(paths)!, r.GetValue(id), r.GetValue(title),
            r.GetValue(batch), r.GetValue(quiet), ctx.MaxBytes(r)));
        return cmd;
    }

    private static int RunAdd(CliContext ctx, string location, string[] paths, string? id, string? title, int batchSize, bool quiet, long maxBytes)
    {
        var files = InputFiles.Discover(paths);
        if ((id != null || title != null) && (files.Count != 1 || Directory.Exists(paths[0])))
            return ctx.Fail(ExitCodes.UsageError, "--id and --title need exactly one file");
        if (files.Count == 0)
            return ctx.Fail(ExitCodes.InputError, $"{string.Join(", ", paths)}: no documents found");

        return WithIndex(ctx, location, create: true, idx =>
        {
            using var progress = Progress.Start(ctx, quiet, files.Count, "documents", logEvery: TimeSpan.FromSeconds(10));
            var counts = new int[Enum.GetValues<AddOutcome>().Length];
            int skipped = 0, done = 0;
            var pending = new List<PreparedDocument>();
            var sinceCommit = Stopwatch.StartNew();

            void Commit()
            {
                foreach (var result in idx.AddBatch(pending))
                {
                    counts[(int)result.Outcome]++;
                    if (result.Outcome == AddOutcome.Duplicate && !quiet)
                        ctx.Err.WriteLine($"doppel: {result.Id}: same content as '{result.ExistingId}' (stored once, kept as an alias)");
                }
                done += pending.Count;
                pending.Clear();
                sinceCommit.Restart();
                progress.Report(done + skipped);
            }

            for (int start = 0; start < files.Count; start += Chunk)
            {
                int n = Math.Min(Chunk, files.Count - start);
                var prepared = new (PreparedDocument? Doc, DocumentInputException? Error)[n];
                Parallel.For(0, n, i =>
                {
                    var f = files[start + i];
                    // Each document is loaded once (every format the readers know): no cache, so memory stays flat
                    // over a large batch.
                    var loaded = new Inputs(maxBytes).Load(f.Path, f.Name);
                    if (loaded.Error is { } e)
                        prepared[i] = (null, e);
                    else
                        prepared[i] = (DocumentPreparer.Prepare(loaded.Document!, id ?? f.Name, title), null);
                });
                foreach (var (doc, error) in prepared)
                {
                    if (error != null)
                    {
                        progress.Done();
                        ctx.Err.WriteLine($"doppel: {Output.OneLine(error.Message)} (skipped)");
                        skipped++;
                    }
                    else
                    {
                        pending.Add(doc!);
                    }
                }
                if (pending.Count >= batchSize || sinceCommit.Elapsed >= TimeSpan.FromSeconds(10)) Commit();
                progress.Report(done + pending.Count + skipped);
            }
            Commit();
            idx.Checkpoint();
            progress.Done();
            if (!quiet)
            {
                double secs = progress.Elapsed.TotalSeconds;
                ctx.Err.WriteLine($"{counts[(int)AddOutcome.Added]} added, {counts[(int)AddOutcome.Replaced]} replaced, " +
                    $"{counts[(int)AddOutcome.Unchanged]} unchanged, {counts[(int)AddOutcome.Duplicate]} duplicates, {skipped} skipped " +
                    $"in {secs:F1} s ({(done + skipped) / Math.Max(secs, 1e-9):F1} documents/s)");
            }
            // Nothing usable at all is an input error, as for check; some files skipped is a partial failure.
            return skipped == 0 ? ExitCodes.Success : done == 0 ? ExitCodes.InputError : ExitCodes.PartialFailure;
        });
    }

    private static Command Remove(CliContext ctx, Option<string> index)
    {
        var ids = new Argument<string[]>("ID") { Description = "Ids of the documents to remove (as 'index list' shows them).", Arity = ArgumentArity.OneOrMore };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("remove", "Remove documents from the index by id.") { ids, quiet };
        cmd.SetAction(r => WithIndex(ctx, IndexLocation.Resolve(r.GetValue(index)), create: false, idx =>
        {
            var wanted = r.GetValue(ids)!;
            var removed = idx.Remove(wanted).ToHashSet(StringComparer.Ordinal);
            var missing = wanted.Where(w => !removed.Contains(w)).Distinct().ToList();
            foreach (var m in missing) ctx.Err.WriteLine($"doppel: {m}: not in the index");
            if (!r.GetValue(quiet)) ctx.Err.WriteLine($"{removed.Count} removed");
            return missing.Count == 0 ? ExitCodes.Success : removed.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.InputError;
        }));
        return cmd;
    }

    private static Command List(CliContext ctx, Option<string> index)
    {
        var format = CommonOptions.Format("text", "json");
        var cmd = new Command("list", "List the indexed documents: id, length in characters, title.") { format };
        cmd.SetAction(r => WithIndex(ctx, IndexLocation.Resolve(r.GetValue(index)), create: false, idx =>
        {
            var docs = idx.List();
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
        cmd.SetAction(r => WithIndex(ctx, IndexLocation.Resolve(r.GetValue(index)), create: false, idx =>
        {
            var s = idx.Stats();
            string text = r.GetValue(format) == "json"
                ? JsonSerializer.Serialize(s, IndexJsonContext.Default.IndexStats) + "\n"
                : $"""
                   location        {s.Location}
                   backend         {s.Backend}, format version {s.FormatVersion}
                   documents       {s.Documents:N0} (and {s.Aliases:N0} aliases: other ids with the same content)
                   text            {s.Characters:N0} characters, {s.CompressedTextBytes:N0} bytes compressed
                   postings        {s.PostingRows:N0} blocks, at most {s.MaxBlocksPerBucket:N0} per bucket; {(s.UnmergedBatches == 0 ? "all merged" : $"{s.UnmergedBatches:N0} add {(s.UnmergedBatches == 1 ? "batch" : "batches")} not merged (index optimize merges them)")}
                   dead documents  {s.DeadDocuments:N0}
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
        cmd.SetAction(r => WithIndex(ctx, IndexLocation.Resolve(r.GetValue(index)), create: false, idx =>
        {
            bool q = r.GetValue(quiet);
            using var progress = Progress.Start(ctx, q, 1 << 16, "buckets", logEvery: TimeSpan.FromSeconds(10));
            long merged = idx.Optimize((done, _) => progress.Report(done));
            progress.Done();
            if (!q) ctx.Err.WriteLine(merged == 0 ? "nothing to optimize" : $"{merged} segments merged in {progress.Elapsed.TotalSeconds:F1} s");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    /// <summary>Opens the index, runs <paramref name="action"/>, and turns index failures into one-line errors.</summary>
    internal static int WithIndex(CliContext ctx, string location, bool create, Func<SqliteReferenceIndex, int> action)
    {
        try
        {
            using var idx = SqliteReferenceIndex.Open(location, create);
            return action(idx);
        }
        catch (IndexException e)
        {
            return ctx.Fail(e.Kind == IndexErrorKind.NotFound ? ExitCodes.InputError : ExitCodes.IndexError, Output.OneLine(e.Message));
        }
    }
}
