using Doppel.Engine.Alignment;
using Doppel.Engine.Evaluation;
using Doppel.Engine.Text;
using Xunit;
using Xunit.Abstractions;

namespace Doppel.Tests.Golden;

/// <summary>
/// Golden tests on a handful of PAN 2013 training pairs (Fixtures/pan13, see PROVENANCE.md there): align each pair,
/// score the detections against the truth with the PAN measures (macro, as in PAN 2013).
/// </summary>
public class PanGoldenTests(ITestOutputHelper output)
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pan13");

    public sealed record PairResult(string Type, string Name, IReadOnlyList<PanAnnotation> Cases, IReadOnlyList<PanAnnotation> Detections);

    public static TheoryData<string> Types => new()
    {
        "02-no-obfuscation", "03-random-obfuscation", "04-translation-obfuscation", "05-summary-obfuscation",
    };

    /// <summary>Aligns every fixture pair of a type and returns truth and detections (PAN offsets: code points).</summary>
    private static List<PairResult> Run(string type)
    {
        var results = new List<PairResult>();
        foreach (var xml in Directory.GetFiles(Path.Combine(Root, type), "*.xml").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(xml);
            int cut = name.IndexOf("-source-", StringComparison.Ordinal);
            string suspName = name[..cut] + ".txt", srcName = name[(cut + 1)..] + ".txt";
            string suspText = File.ReadAllText(Path.Combine(Root, "susp", suspName));
            string srcText = File.ReadAllText(Path.Combine(Root, "src", srcName));
            var passages = PairAligner.Align(DocumentAnalyzer.Analyze(suspText, suspName), DocumentAnalyzer.Analyze(srcText, srcName));
            var detections = passages.Select(p =>
            {
                var (to, tl) = ToCodePoints(suspText, p.SuspiciousStart, p.SuspiciousLength);
                var (so, sl) = ToCodePoints(srcText, p.SourceStart, p.SourceLength);
                return new PanAnnotation(suspName, to, tl, srcName, so, sl);
            }).ToList();
            results.Add(new PairResult(type, name, PanXml.ReadCases(xml), detections));
        }
        Assert.Equal(2, results.Count);
        return results;
    }

    /// <summary>PAN offsets count code points; .NET strings count UTF-16 units.</summary>
    private static (int Offset, int Length) ToCodePoints(string text, int start, int length)
    {
        int before = 0, inside = 0;
        for (int i = 0; i < start + length && i < text.Length; i++)
            if (char.IsLowSurrogate(text[i])) { if (i < start) before++; else inside++; }
        return (start - before, length - inside);
    }

    [Fact]
    public void Fixtures_ArePresent_AndTruthIsInBounds()
    {
        foreach (var dir in Directory.GetDirectories(Root).Where(d => Path.GetFileName(d).StartsWith('0')))
            foreach (var xml in Directory.GetFiles(dir, "*.xml"))
                foreach (var c in PanXml.ReadCases(xml))
                {
                    int susp = File.ReadAllText(Path.Combine(Root, "susp", c.SuspiciousReference)).Length;
                    int src = File.ReadAllText(Path.Combine(Root, "src", c.SourceReference)).Length;
                    Assert.InRange(c.ThisEnd, 1, susp);
                    Assert.InRange(c.SourceEnd, 1, src);
                }
        Assert.Equal(5, Directory.GetDirectories(Root).Count(d => Path.GetFileName(d).StartsWith('0')));
    }

    [Fact]
    public void NoPlagiarism_NoDetections()
    {
        foreach (var r in Run("01-no-plagiarism"))
        {
            Assert.Empty(r.Cases);
            Assert.True(r.Detections.Count == 0, $"{r.Name}: {r.Detections.Count} false detection(s), first at {r.Detections.FirstOrDefault()}");
        }
    }

    // Floors: measured macro plagdet of the engine at commit d86ac28 on these fixture pairs, minus a margin.
    //   02-no-obfuscation          0.6013 (recall 1.0000, precision 0.4299, granularity 1; 2/2 cases, 3 detections) floor 0.55
    //       precision is low: in 00005-01090 the detection's source side runs from 0 instead of 1300, and a 393-char
    //       false positive is reported on a shared 9-word phrase ("from an institution accredited by a recognized...").
    //   03-random-obfuscation      0.8377 (recall 0.9978, precision 0.7219, granularity 1; 3/3 cases, 3 detections) floor 0.75
    //   04-translation-obfuscation 0.9781 (recall 1.0000, precision 0.9572, granularity 1; 2/2 cases, 2 detections) floor 0.85
    //   05-summary-obfuscation     0.5541 (recall 0.3833, precision 1.0000, granularity 1; 2/2 cases, 2 detections) floor 0.45
    // Raise them as the engine improves (the product targets are about 0.9 for verbatim and 0.6 for the others).
    [Theory]
    [InlineData("02-no-obfuscation", 0.55)]
    [InlineData("03-random-obfuscation", 0.75)]
    [InlineData("04-translation-obfuscation", 0.85)]
    [InlineData("05-summary-obfuscation", 0.45)]
    public void PlagDet_ReachesTheFloor(string type, double floor)
    {
        var results = Run(type);
        var cases = results.SelectMany(r => r.Cases).ToList();
        var detections = results.SelectMany(r => r.Detections).ToList();
        var s = PanMeasures.Score(cases, detections);
        output.WriteLine($"{type}: plagdet {s.PlagDet:F4} recall {s.Recall:F4} precision {s.Precision:F4} granularity {s.Granularity:F4} ({s.DetectedCases}/{cases.Count} cases, {detections.Count} detections)");
        Assert.NotEmpty(cases);
        Assert.True(s.PlagDet >= floor, $"{type}: plagdet {s.PlagDet:F4} below the floor {floor}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryCase_IsOverlappedOnBothSides(string type)
    {
        foreach (var r in Run(type))
        {
            Assert.NotEmpty(r.Cases);
            foreach (var c in r.Cases)
            {
                bool hit = r.Detections.Any(d =>
                    d.SourceReference == c.SourceReference &&
                    d.ThisOffset < c.ThisEnd && d.ThisEnd > c.ThisOffset &&
                    d.SourceOffset < c.SourceEnd && d.SourceEnd > c.SourceOffset);
                Assert.True(hit, $"{r.Name}: case {c.ThisOffset}+{c.ThisLength} / {c.SourceOffset}+{c.SourceLength} not detected; detections: " +
                                 string.Join(", ", r.Detections.Select(d => $"{d.ThisOffset}+{d.ThisLength}/{d.SourceOffset}+{d.SourceLength}")));
            }
        }
    }

    [Fact]
    public void Detections_AreDeterministic()
    {
        foreach (var type in new[] { "02-no-obfuscation", "03-random-obfuscation" })
            Assert.Equal(Run(type).SelectMany(r => r.Detections), Run(type).SelectMany(r => r.Detections));
    }
}
