using System.Collections.Concurrent;
using Doppel.Application;
using Doppel.Engine.Collection;
using Doppel.Engine.Index;
using Doppel.Engine.Reports;
using Doppel.Tests.Readers;
using Xunit;

namespace Doppel.Tests.Application;

/// <summary>The services as a server calls them: documents held in memory (uploads), progress and skips through an
/// observer, cancellation, and results as data.</summary>
public sealed class ServiceTests : IDisposable
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "examples");
    private readonly string _temp = Directory.CreateTempSubdirectory("doppel-app-").FullName;

    private static DocumentSource Upload(string example, string? name = null) =>
        DocumentSource.FromBytes(name ?? example, File.ReadAllBytes(Path.Combine(Examples, example)));

    private static DocumentSource Binary(string name)
    {
        var b = new byte[4096];
        new Random(7).NextBytes(b);
        b[10] = 0;
        return DocumentSource.FromBytes(name, b);
    }

    /// <summary>Records what a run tells its observer.</summary>
    private sealed class Recorder : IOperationObserver
    {
        public ConcurrentQueue<OperationProgress> Progress { get; } = new();
        public List<(SkippedInput Input, InputRole Role)> Skipped { get; } = [];
        public List<AddResult> Stored { get; } = [];
        void IOperationObserver.Progress(OperationProgress p) => Progress.Enqueue(p);
        void IOperationObserver.Skipped(SkippedInput input, InputRole role) => Skipped.Add((input, role));
        void IOperationObserver.Stored(AddResult result) => Stored.Add(result);
        public IEnumerable<OperationStage> Stages => Progress.Select(p => p.Stage).Distinct();
    }

    [Fact]
    public void Uploads_are_checked_against_uploads_and_a_bad_one_is_skipped_as_data()
    {
        var rec = new Recorder();
        var seen = new List<CheckedDocument>();
        var result = new CheckService().AgainstFiles(
            [Upload("essay-paraphrased.txt", "submission.txt")],
            [Upload("essay.txt", "uploads/essay.txt"), Upload("web-page.html"), Binary("junk.txt")],
            observer: rec, onChecked: seen.Add);

        var report = Assert.Single(result.Reports);
        Assert.Equal("submission.txt", report.Suspicious.Name);
        Assert.Equal("uploads/essay.txt", report.Sources[0].Name);
        Assert.True(report.Sources[0].Coverage > 0.9, $"coverage {report.Sources[0].Coverage}");
        Assert.Equal("html", report.Sources.Single(s => s.Name == "web-page.html").Format);
        // The unusable upload is left out, kept as data (result, report, observer), and the run is partial.
        var skip = Assert.Single(result.SkippedSources);
        Assert.Equal("junk.txt", skip.Path);
        Assert.Equal("binary", skip.Kind);
        Assert.StartsWith("junk.txt: ", skip.Message);
        Assert.Same(skip, Assert.Single(report.Skipped));
        Assert.Equal((skip, InputRole.Source), Assert.Single(rec.Skipped));
        Assert.True(result.Partial);
        Assert.Equal([OperationStage.ReadingSources, OperationStage.AligningPairs], rec.Stages);
        Assert.Equal(3, rec.Progress.Where(p => p.Stage == OperationStage.AligningPairs).Max(p => p.Done));
        Assert.Same(seen.Single().Input.Name, report.Suspicious.Name);
    }

    [Fact]
    public void A_pdf_upload_reads_as_the_same_pdf_on_disk()
    {
        string pdf = Path.Combine(_temp, "essay.pdf");
        DocumentBuilders.Pdf(pdf, File.ReadAllText(Path.Combine(Examples, "essay.txt")), _temp);
        var onDisk = new DocumentInputs(InputLimits.Default).LoadOrThrow(pdf);
        var before = Directory.GetFiles(Path.GetTempPath(), "doppel-*.pdf").ToHashSet();
        var uploaded = new DocumentInputs(InputLimits.Default).LoadOrThrow(DocumentSource.FromBytes("essay.pdf", File.ReadAllBytes(pdf)));
        Assert.Equal("pdf", uploaded.Format);
        Assert.Equal(onDisk.Text, uploaded.Text);
        // pdftotext read a temporary copy, which is gone.
        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "doppel-*.pdf").ToHashSet());
    }

    [Fact]
    public void An_upload_over_the_limit_is_refused_with_the_hint_of_the_front_end()
    {
        var inputs = new DocumentInputs(new InputLimits(1024, "raise the upload limit"));
        var r = inputs.Load(DocumentSource.FromBytes("big.txt", System.Text.Encoding.ASCII.GetBytes(new string('a', 2048))));
        Assert.NotNull(r.Error);
        Assert.StartsWith("big.txt: file too large", r.Error!.Message);
        Assert.EndsWith("(raise the upload limit)", r.Error.Message);
        Assert.Equal("empty", Doppel.Engine.Reports.ReportBuilder.KindName(inputs.Load(DocumentSource.FromBytes("e.txt", [])).Error!.Kind));
    }

    [Fact]
    public void Nothing_usable_is_a_service_error_after_each_skip_is_reported()
    {
        var rec = new Recorder();
        var e = Assert.Throws<ServiceException>(() => new CheckService().AgainstFiles([Upload("essay.txt")], [Binary("a.txt"), Binary("b.txt")], observer: rec));
        Assert.Equal(ServiceErrorKind.Input, e.Kind);
        Assert.Equal("no usable source documents", e.Message);
        Assert.Equal(["a.txt", "b.txt"], rec.Skipped.Select(s => s.Input.Path));
    }

    [Fact]
    public void A_cancelled_check_stops_with_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new CheckService().AgainstFiles([Upload("essay-paraphrased.txt")], [Upload("essay.txt")], cancellationToken: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new CollectionService().Cross([Upload("essay-paraphrased.txt"), Upload("essay.txt")], [], cancellationToken: cts.Token));
    }

    [Fact]
    public void A_collection_of_uploads_with_a_template_and_a_bad_member()
    {
        var rec = new Recorder();
        var run = new CollectionService().Cross(
            [Upload("essay.txt", "alice/essay.txt"), Upload("essay-paraphrased.txt", "bob/essay.txt"), Upload("web-page.txt"), Binary("carol.txt")],
            [Upload("web-page.html", "prompt.html")], observer: rec);
        Assert.Equal(3, run.Documents.Count);
        var pair = run.Report.Pairs.First();
        Assert.Equal(["alice/essay.txt", "bob/essay.txt"], new[] { pair.NameA, pair.NameB }.Order());
        Assert.Equal("carol.txt", Assert.Single(run.Skipped).Path);
        Assert.Equal(InputRole.Source, Assert.Single(rec.Skipped).Role);
        Assert.True(run.Partial);
        Assert.Equal(["prompt.html"], run.Report.Settings.Excluded);
        Assert.Contains(OperationStage.ReadingDocuments, rec.Stages);
        Assert.Contains(OperationStage.AligningCandidates, rec.Stages);

        var bad = Assert.Throws<ServiceException>(() => new CollectionService().Cross([Upload("essay.txt"), Upload("web-page.txt")], [Binary("prompt.txt")]));
        Assert.Equal(InputRole.Template, bad.Role);
        Assert.StartsWith("prompt.txt: ", bad.Message);
    }

    [Fact]
    public void Index_add_check_remove_with_uploads()
    {
        var index = new IndexService(Path.Combine(_temp, "idx"));
        Assert.False(index.Exists);
        var rec = new Recorder();
        var added = index.Add([Upload("essay.txt"), Upload("web-page.txt"), Upload("essay.txt", "copy.txt"), Binary("bad.txt")], observer: rec);
        Assert.Equal(2, added.Count(AddOutcome.Added));
        Assert.Equal(1, added.Count(AddOutcome.Duplicate));
        Assert.Equal(3, added.Stored);
        Assert.Equal("bad.txt", Assert.Single(added.Skipped).Path);
        Assert.Contains(rec.Stored, s => s is { Id: "copy.txt", Outcome: AddOutcome.Duplicate, ExistingId: "essay.txt" });
        Assert.Equal(["copy.txt", "essay.txt", "web-page.txt"], index.List().Select(d => d.Id).Order());
        Assert.Equal(2, index.Stats().Documents);

        using (var idx = index.Open())
        {
            var result = new CheckService().AgainstIndex(idx, [Upload("essay-paraphrased.txt", "new.txt"), Binary("x.txt")]);
            var report = Assert.Single(result.Reports);
            Assert.Equal("essay.txt", report.Sources[0].Name);
            Assert.Equal("x.txt", Assert.Single(result.SkippedDocuments).Path);
        }

        var removed = index.Remove(["copy.txt", "nope"]);
        Assert.Equal(["copy.txt"], removed.Removed);
        Assert.Equal(["nope"], removed.Missing);
        Assert.True(index.Optimize() > 0);
    }

    [Fact]
    public void A_cancelled_add_keeps_what_was_prepared()
    {
        var index = new IndexService(Path.Combine(_temp, "idx"));
        using var cts = new CancellationTokenSource();
        var observer = new CancelOnStage(cts, OperationStage.Indexing, afterDone: 1);
        // More than one chunk (64 documents), so that cancelling after the first leaves work undone.
        var docs = Enumerable.Range(0, 130).Select(i => DocumentSource.FromBytes($"f{i:D3}.txt", System.Text.Encoding.UTF8.GetBytes(Doppel.Tests.Index.TestTexts.Filler(i)))).ToList();
        Assert.ThrowsAny<OperationCanceledException>(() => index.Add(docs, observer: observer, cancellationToken: cts.Token));
        int kept = index.List().Count;
        Assert.InRange(kept, 1, docs.Count - 1);
    }

    private sealed class CancelOnStage(CancellationTokenSource cts, OperationStage stage, int afterDone) : IOperationObserver
    {
        void IOperationObserver.Progress(OperationProgress p)
        {
            if (p.Stage == stage && p.Done >= afterDone) cts.Cancel();
        }
    }

    [Fact]
    public void Discovery_names_files_by_their_path_under_the_folder_and_leaves_out_the_exceptions()
    {
        Directory.CreateDirectory(Path.Combine(_temp, "d/sub"));
        File.WriteAllText(Path.Combine(_temp, "d/a.txt"), "alpha text");
        File.WriteAllText(Path.Combine(_temp, "d/sub/b.md"), "beta text");
        File.WriteAllText(Path.Combine(_temp, "d/.hidden.txt"), "hidden");
        File.WriteAllBytes(Path.Combine(_temp, "d/image.png"), [1, 2, 3]);
        var found = InputDiscovery.Discover([Path.Combine(_temp, "d"), Path.Combine(_temp, "d/a.txt")], Path.GetFullPath(Path.Combine(_temp, "d/sub/b.md")));
        Assert.Equal(["a.txt"], found.Select(f => f.Name));
    }

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }
}
