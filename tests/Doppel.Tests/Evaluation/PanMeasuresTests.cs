using System.Text.Json;
using Doppel.Engine.Evaluation;
using Xunit;

namespace Doppel.Tests.Evaluation;

/// <summary>
/// Hand-computed checks of the PAN measures (perfmeasures.py semantics). Notation in the comments:
/// [a,b) is a character range; a case or detection covers ThisLength + SourceLength characters.
/// </summary>
public class PanMeasuresTests
{
    private const double Eps = 1e-12;
    private const string Susp = "suspicious-document00001.txt";
    private const string Src = "source-document00001.txt";

    private static PanAnnotation A(int thisOffset, int thisLength, int sourceOffset, int sourceLength,
        string susp = Susp, string src = Src, string? obfuscation = null)
        => new(susp, thisOffset, thisLength, src, sourceOffset, sourceLength, obfuscation);

    private static void AssertScores(PanScores s, double recall, double precision, double granularity, double plagdet)
    {
        Assert.Equal(recall, s.Recall, Eps);
        Assert.Equal(precision, s.Precision, Eps);
        Assert.Equal(granularity, s.Granularity, Eps);
        Assert.Equal(plagdet, s.PlagDet, Eps);
    }

    [Fact]
    public void ExactDetection_AllOne()
    {
        // case = det = susp [100,150), source [200,260): 110 chars.
        // recall = (50 + 60) / 110 = 1; precision = 110 / 110 = 1; granularity = 1 det / 1 case = 1;
        // plagdet = F1(1,1) / log2(2) = 1. Micro: 110 / 110 on both = 1.
        var cases = new[] { A(100, 50, 200, 60) };
        var dets = new[] { A(100, 50, 200, 60) };
        Assert.Equal(1.0, PanMeasures.MacroRecall(cases, dets), Eps);
        Assert.Equal(1.0, PanMeasures.MacroPrecision(cases, dets), Eps);
        Assert.Equal(1.0, PanMeasures.MicroRecall(cases, dets), Eps);
        Assert.Equal(1.0, PanMeasures.MicroPrecision(cases, dets), Eps);
        Assert.Equal(1.0, PanMeasures.Granularity(cases, dets), Eps);
        AssertScores(PanMeasures.Score(cases, dets), 1, 1, 1, 1);
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 1, 1, 1, 1);
    }

    [Fact]
    public void CaseSplitOverTwoDetections_GranularityTwo()
    {
        // case susp [0,100) source [0,100); d1 = [0,50)/[0,50), d2 = [50,100)/[50,100).
        // recall = (|[0,50)∪[50,100)| = 100 + 100) / 200 = 1.
        // precision = mean(d1: 100/100, d2: 100/100) = 1.
        // granularity = 2 detections / 1 detected case = 2.
        // plagdet = F1(1,1) / log2(1 + 2) = 1 / log2(3) ≈ 0.6309.
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(0, 50, 0, 50), A(50, 50, 50, 50) };
        Assert.Equal(2.0, PanMeasures.Granularity(cases, dets), Eps);
        var s = PanMeasures.Score(cases, dets);
        AssertScores(s, 1, 1, 2, 1 / Math.Log2(3));
        Assert.Equal(1, s.DetectedCases);
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 1, 1, 2, 1 / Math.Log2(3));
        Assert.Equal(0.63092975, PanMeasures.PlagDet(1, 1, 2), 1e-8); // value from the PAN script's unit test
    }

    [Fact]
    public void DetectionHalfOverlappingCase()
    {
        // case susp [0,100) source [0,100); det susp [50,150) source [50,150).
        // overlap: susp [50,100) = 50, source [50,100) = 50.
        // recall = (50 + 50) / 200 = 0.5; precision = (50 + 50) / 200 = 0.5; granularity = 1;
        // plagdet = F1(0.5, 0.5) / log2(2) = 0.5.
        // micro: plagiarized 200, detected 200, detected∩plagiarized 100 -> 0.5 / 0.5.
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(50, 100, 50, 100) };
        AssertScores(PanMeasures.Score(cases, dets), 0.5, 0.5, 1, 0.5);
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 0.5, 0.5, 1, 0.5);
    }

    [Fact]
    public void FalsePositiveElsewhere_HalvesPrecision()
    {
        // case susp [0,100) source [0,100); d1 = the case; d2 = susp [500,600) source [500,600) (overlaps nothing).
        // recall = 200/200 = 1; precision = mean(d1: 1, d2: 0) = 0.5; granularity = 1 (d2 detects no case).
        // plagdet = 2*1*0.5/1.5 / log2(2) = 2/3.
        // micro: detected chars 400, true 200 -> precision 0.5, recall 1; same plagdet 2/3.
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(0, 100, 0, 100), A(500, 100, 500, 100) };
        AssertScores(PanMeasures.Score(cases, dets), 1, 0.5, 1, 2.0 / 3);
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 1, 0.5, 1, 2.0 / 3);
    }

    [Fact]
    public void NoTruthAndNoDetections_AllOne()
    {
        // PAN script: recall = precision = 1 when both lists are empty; granularity = 1 without detections;
        // plagdet = F1(1,1)/log2(2) = 1.
        var none = Array.Empty<PanAnnotation>();
        AssertScores(PanMeasures.Score(none, none), 1, 1, 1, 1);
        AssertScores(PanMeasures.Score(none, none, micro: true), 1, 1, 1, 1);
    }

    [Fact]
    public void OnlyCasesOrOnlyDetections_Zero()
    {
        // PAN script: recall = precision = 0 when exactly one list is empty; granularity 1; plagdet(0,0,1) = 0.
        var one = new[] { A(0, 100, 0, 100) };
        var none = Array.Empty<PanAnnotation>();
        AssertScores(PanMeasures.Score(one, none), 0, 0, 1, 0);
        AssertScores(PanMeasures.Score(none, one), 0, 0, 1, 0);
        AssertScores(PanMeasures.Score(one, none, micro: true), 0, 0, 1, 0);
        AssertScores(PanMeasures.Score(none, one, micro: true), 0, 0, 1, 0);
    }

    [Fact]
    public void DetectionAgainstWrongSource_DoesNotDetect()
    {
        // case: susp [0,100) of SUSP vs source [0,100) of source-document00001;
        // det:  the same offsets but source-document00002 -> a different pair, so no overlap.
        // recall = 0/200 = 0; precision = 0/200 = 0; granularity = 1 (no detected case); plagdet = 0.
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(0, 100, 0, 100, src: "source-document00002.txt") };
        var s = PanMeasures.Score(cases, dets);
        AssertScores(s, 0, 0, 1, 0);
        Assert.Equal(0, s.DetectedCases);
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 0, 0, 1, 0);
    }

    [Fact]
    public void OverlapOnSuspiciousSideOnly_DoesNotDetect()
    {
        // Same documents, susp [0,100) overlaps, but source [300,400) misses the case's source [0,100):
        // "detects" needs overlap on both sides -> recall 0, precision 0, plagdet 0.
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(0, 100, 300, 100) };
        AssertScores(PanMeasures.Score(cases, dets), 0, 0, 1, 0);
    }

    [Fact]
    public void MicroAndMacroDiffer_OnTwoCases()
    {
        // c1 = susp [0,100) source [0,100) (200 chars), c2 = susp [1000,1010) source [1000,1010) (20 chars);
        // one detection = c1.
        // macro recall = (200/200 + 0) / 2 = 0.5; macro precision = 1; granularity 1;
        //   macro plagdet = 2*0.5*1/1.5 = 2/3.
        // micro recall = 200 / 220 = 10/11; micro precision = 200/200 = 1;
        //   micro plagdet = 2*(10/11)/(21/11) = 20/21.
        var cases = new[] { A(0, 100, 0, 100), A(1000, 10, 1000, 10) };
        var dets = new[] { A(0, 100, 0, 100) };
        AssertScores(PanMeasures.Score(cases, dets), 0.5, 1, 1, 2.0 / 3);
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 10.0 / 11, 1, 1, 20.0 / 21);
        Assert.Equal(10.0 / 11, PanMeasures.MicroRecall(cases, dets), Eps);
        Assert.Equal(0.5, PanMeasures.MacroRecall(cases, dets), Eps);
    }

    [Fact]
    public void OverlappingDetections_CharactersCountedOnce()
    {
        // case susp [0,100) source [0,100); d1 = [25,100)/[25,100), d2 = [50,150)/[50,150).
        // macro recall: covered = |[25,100)∪[50,100)| = 75 per side -> 150/200 = 0.75 (PAN test: case_recall = 0.75).
        // macro precision = mean(d1: 150/150 = 1, d2: 100/200 = 0.5) = 0.75; granularity = 2;
        //   plagdet = 0.75 / log2(3).
        // micro: plagiarized 200; detected = |[25,150)| = 125 per side = 250; true = 75 per side = 150
        //   -> recall 0.75, precision 150/250 = 0.6; plagdet = (2*0.75*0.6/1.35) / log2(3) = (2/3)/log2(3).
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(25, 75, 25, 75), A(50, 100, 50, 100) };
        AssertScores(PanMeasures.Score(cases, dets), 0.75, 0.75, 2, 0.75 / Math.Log2(3));
        AssertScores(PanMeasures.Score(cases, dets, micro: true), 0.75, 0.6, 2, 2.0 / 3 / Math.Log2(3));
    }

    [Fact]
    public void PanScriptPrecisionExample()
    {
        // PAN unit test: macro_avg_precision([ann1], [ann3, ann4]) = 0.25, with
        // ann1 = [0,100)/[0,100), ann3 = [100,200)/[100,200) (touches, no overlap), ann4 = [0,200)/[0,200).
        // precision = mean(ann3: 0, ann4: (100+100)/400 = 0.5) = 0.25.
        var cases = new[] { A(0, 100, 0, 100) };
        var dets = new[] { A(100, 100, 100, 100), A(0, 200, 0, 200) };
        Assert.Equal(0.25, PanMeasures.MacroPrecision(cases, dets), Eps);
        Assert.Equal(0.23659865, PanMeasures.PlagDet(0.25, 0.75, 2), 1e-8); // PAN script unit test
    }

    [Fact]
    public void TxtSuffixIsIgnoredWhenMatchingReferences()
    {
        // The script strips ".txt" from references: "susp" and "susp.txt" are the same document.
        var cases = new[] { A(0, 10, 0, 10, susp: "susp.txt", src: "src.txt") };
        var dets = new[] { A(0, 10, 0, 10, susp: "susp", src: "src") };
        AssertScores(PanMeasures.Score(cases, dets), 1, 1, 1, 1);
    }

    [Theory]
    [InlineData(-1, 0, 0, 0)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 1, 1, 0)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(0.5, 1, 1, 2.0 / 3)]
    [InlineData(1, 1, 0.5, 0)]
    public void PlagDetEdgeCases(double recall, double precision, double granularity, double expected)
        => Assert.Equal(expected, PanMeasures.PlagDet(recall, precision, granularity), Eps);

    // ---- PanXml ---------------------------------------------------------------------------------------

    [Fact]
    public void PanXml_RoundTrip()
    {
        var dets = new[]
        {
            A(1412, 269, 1084, 402, susp: "suspicious-document00006.txt", src: "source-document00560.txt"),
            A(0, 5, 7, 9, susp: "suspicious-document00006.txt", src: "source-document00561.txt"),
        };
        var sw = new StringWriter();
        PanXml.WriteDetections(sw, "suspicious-document00006.txt", dets);
        string text = sw.ToString();
        Assert.Equal(
            "<document reference=\"suspicious-document00006.txt\">\n" +
            "<feature name=\"detected-plagiarism\" this_offset=\"1412\" this_length=\"269\" source_reference=\"source-document00560.txt\" source_offset=\"1084\" source_length=\"402\"/>\n" +
            "<feature name=\"detected-plagiarism\" this_offset=\"0\" this_length=\"5\" source_reference=\"source-document00561.txt\" source_offset=\"7\" source_length=\"9\"/>\n" +
            "</document>\n", text);
        var back = PanXml.ReadDetections(new StringReader(text));
        Assert.Equal(dets, back);
        // Truth reading ignores detected-plagiarism features.
        Assert.Empty(PanXml.ReadCases(new StringReader(text)));
    }

    [Fact]
    public void PanXml_RoundTripThroughFile_EscapesReferences()
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-panxml-{Guid.NewGuid():N}.xml");
        try
        {
            var dets = new[] { A(1, 2, 3, 4, susp: "a&b\"<c>.txt", src: "s'rc.txt") };
            PanXml.WriteDetections(path, "a&b\"<c>.txt", dets);
            Assert.Equal(dets, PanXml.ReadDetections(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PanXml_ReadsTruth_IgnoresOtherFeatures_ObfuscationFallsBackToType()
    {
        const string xml = """
            <document  reference="suspicious-document00004.txt">
              <feature name="about" authors="DUC2006" title="news" language="en" />
              <feature name="md5" value="ef01e3ac" />
              <feature name="plagiarism" obfuscation="random" source_length="402" source_offset="1084" source_reference="source-document00560.txt" this_length="269" this_offset="1412" type="artificial" />
              <feature language_0="en" name="plagiarism" source_length="686" source_offset="3322" source_reference="source-document00420.txt" this_length="668" this_offset="1667" type="translation-chain" />
              <!-- a comment -->
            </document>
            """;
        var cases = PanXml.ReadCases(new StringReader(xml));
        Assert.Equal(2, cases.Count);
        Assert.Equal(new PanAnnotation("suspicious-document00004.txt", 1412, 269, "source-document00560.txt", 1084, 402, "random"), cases[0]);
        Assert.Equal("translation-chain", cases[1].Obfuscation);
        // Detections accept "plagiarism" too.
        Assert.Equal(2, PanXml.ReadDetections(new StringReader(xml)).Count);
    }

    [Theory]
    [InlineData("<document reference=\"s.txt\"><feature name=\"plagiarism\"")]                         // truncated
    [InlineData("")]                                                                                  // empty
    [InlineData("<doc reference=\"s.txt\"/>")]                                                        // wrong root
    [InlineData("<document reference=\"s.txt\"></document><document/>")]                             // two roots
    [InlineData("<!DOCTYPE document [<!ENTITY x \"y\">]><document reference=\"s.txt\"/>")]            // DTD prohibited
    [InlineData("<document reference=\"s.txt\"><feature name=\"detected-plagiarism\" this_offset=\"1\" this_length=\"2\" source_offset=\"3\" source_length=\"4\"/></document>")] // no source_reference
    [InlineData("<document reference=\"s.txt\"><feature name=\"detected-plagiarism\" this_offset=\"x\" this_length=\"2\" source_reference=\"r\" source_offset=\"3\" source_length=\"4\"/></document>")] // not a number
    [InlineData("<document reference=\"s.txt\"><feature name=\"detected-plagiarism\" this_offset=\"-1\" this_length=\"2\" source_reference=\"r\" source_offset=\"3\" source_length=\"4\"/></document>")] // negative
    [InlineData("<document><feature name=\"detected-plagiarism\" this_offset=\"1\" this_length=\"2\" source_reference=\"r\" source_offset=\"3\" source_length=\"4\"/></document>")] // no reference
    public void PanXml_Malformed_ThrowsPanFormatException(string xml)
    {
        var ex = Assert.Throws<PanFormatException>(() => PanXml.ReadDetections(new StringReader(xml), "bad.xml"));
        Assert.Equal("bad.xml", ex.Path);
        Assert.Contains("bad.xml", ex.Message);
    }

    [Fact]
    public void PanXml_MalformedFile_ThrowsPanFormatExceptionWithPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-panxml-{Guid.NewGuid():N}.xml");
        try
        {
            File.WriteAllText(path, "<document reference=\"s.txt\"><feature name=\"plagiarism\" this_offset=\"1\"");
            var ex = Assert.Throws<PanFormatException>(() => PanXml.ReadCases(path));
            Assert.Equal(path, ex.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- PanEvaluator ---------------------------------------------------------------------------------

    private sealed class TempDir : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("doppel-paneval-").FullName;
        public string Sub(string relative) => Directory.CreateDirectory(Path.Combine(Root, relative)).FullName;
        public void Dispose() { try { Directory.Delete(Root, recursive: true); } catch (IOException) { } }
    }

    private static void WriteTruth(string dir, int susp, int src, params (int To, int Tl, int So, int Sl)[] cases)
    {
        string s = $"suspicious-document{susp:00000}.txt", r = $"source-document{src:00000}.txt";
        var lines = cases.Select(c =>
            $"<feature name=\"plagiarism\" obfuscation=\"none\" this_offset=\"{c.To}\" this_length=\"{c.Tl}\" source_reference=\"{r}\" source_offset=\"{c.So}\" source_length=\"{c.Sl}\" type=\"artificial\"/>");
        File.WriteAllText(Path.Combine(dir, PairFile(susp, src)),
            $"<document reference=\"{s}\">\n{string.Join("\n", lines)}\n</document>\n");
    }

    private static void WriteDetections(string dir, int susp, int src, params (int To, int Tl, int So, int Sl)[] dets)
    {
        string s = $"suspicious-document{susp:00000}.txt", r = $"source-document{src:00000}.txt";
        PanXml.WriteDetections(Path.Combine(dir, PairFile(susp, src)), s,
            dets.Select(d => new PanAnnotation(s, d.To, d.Tl, r, d.So, d.Sl)));
    }

    private static string PairFile(int susp, int src) => $"suspicious-document{susp:00000}-source-document{src:00000}.xml";

    [Fact]
    public void Evaluator_BreaksRecallDownByCaseObfuscationAndLlm()
    {
        using var tmp = new TempDir();
        string truth = tmp.Sub("truth"), dets = tmp.Sub("dets");
        const string s = "suspicious-document00001.txt", r = "source-document00001.txt";
        string Case(string level, string llm, int at) =>
            $"<feature name=\"plagiarism\" llm=\"{llm}\" obfuscation=\"{level}\" this_offset=\"{at}\" this_length=\"100\" source_reference=\"{r}\" source_offset=\"{at}\" source_length=\"100\"/>";
        File.WriteAllText(Path.Combine(truth, PairFile(1, 1)),
            $"<document reference=\"{s}\">\n{Case("simple", "Mistral", 0)}\n{Case("hard", "Mistral", 200)}\n"
            + $"<feature name=\"altered\" llm=\"Mistral\" this_offset=\"400\" this_length=\"50\"/>\n</document>\n");
        WriteDetections(dets, 1, 1, (0, 100, 0, 100), (200, 50, 200, 50)); // all of the simple case, half of the hard one
        var report = PanEvaluator.Evaluate(truth, dets, micro: true);
        var hard = Assert.Single(report.ByCase, b => b.Attribute == "obfuscation" && b.Value == "hard");
        var simple = Assert.Single(report.ByCase, b => b.Attribute == "obfuscation" && b.Value == "simple");
        var mistral = Assert.Single(report.ByCase, b => b.Attribute == "llm");
        Assert.Equal(0.5, hard.Recall, 6);
        Assert.Equal(1.0, simple.Recall, 6);
        Assert.Equal(0.75, mistral.Recall, 6);
        Assert.Equal(2, mistral.Cases);
        Assert.Contains("llm=Mistral", report.ToText());
    }

    [Fact]
    public void Evaluator_WithoutLlmOrMixedLevels_HasNoCaseBreakdown()
    {
        using var tmp = new TempDir();
        string truth = tmp.Sub("truth"), dets = tmp.Sub("dets");
        WriteTruth(truth, 3, 30, (0, 100, 0, 100));
        Assert.Empty(PanEvaluator.Evaluate(truth, dets).ByCase);
    }

    [Fact]
    public void Evaluator_TwoSubfolders_PerGroupAndOverall()
    {
        using var tmp = new TempDir();
        string truth = tmp.Sub("truth"), noPlag = tmp.Sub("truth/01-no-plagiarism"), noObf = tmp.Sub("truth/02-no-obfuscation");
        string dets = tmp.Sub("dets");
        File.WriteAllText(Path.Combine(truth, "pairs"), "not xml\n");
        WriteTruth(noPlag, 1, 10);
        WriteTruth(noPlag, 2, 20);
        WriteTruth(noObf, 3, 30, (0, 100, 0, 100));     // case A: 200 chars
        WriteTruth(noObf, 4, 40, (200, 50, 300, 50));   // case B: 100 chars
        WriteDetections(dets, 1, 10, (0, 10, 0, 10));   // false positive in a no-plagiarism pair (20 chars)
        WriteDetections(dets, 3, 30, (0, 100, 0, 100)); // detects A exactly; pair 4 has no detection file
        WriteDetections(dets, 5, 50, (0, 20, 0, 20));   // no truth file: pair without cases (40 chars)
        File.WriteAllText(Path.Combine(dets, "notes.txt"), "ignored");

        var macro = PanEvaluator.Evaluate(truth, dets, micro: false);
        Assert.Equal(4, macro.TruthFiles);
        Assert.Equal(3, macro.DetectionFiles);
        Assert.Equal(1, macro.UnmatchedDetectionPairs);
        Assert.Equal([PairFile(5, 50)], macro.UnmatchedDetectionFiles);
        Assert.Equal(["01-no-plagiarism", "02-no-obfuscation"], macro.Groups.Select(g => g.Name));

        // 01-no-plagiarism: no cases, 1 detection -> recall = precision = 0 (one side empty), granularity 1, plagdet 0.
        var g1 = macro.GetGroup("01-no-plagiarism")!;
        Assert.Equal((2, 0, 1, 1), (g1.Pairs, g1.Cases, g1.Detections, g1.PairsWithDetections));
        Assert.Equal((0.0, 0.0, 1.0, 0.0), (g1.Recall, g1.Precision, g1.Granularity, g1.PlagDet));

        // 02-no-obfuscation: cases A, B; detection = A. recall = (1 + 0)/2 = 0.5; precision = 1; granularity 1;
        // plagdet = 2*0.5*1/1.5 = 2/3.
        var g2 = macro.GetGroup("02-no-obfuscation")!;
        Assert.Equal((2, 2, 1, 1, 1), (g2.Pairs, g2.Cases, g2.Detections, g2.DetectedCases, g2.PairsWithDetections));
        Assert.Equal(0.5, g2.Recall, Eps);
        Assert.Equal(1.0, g2.Precision, Eps);
        Assert.Equal(1.0, g2.Granularity, Eps);
        Assert.Equal(2.0 / 3, g2.PlagDet, Eps);

        // all: 5 pairs (4 truth + 1 unmatched), cases A, B; detections FP(pair 1), A, orphan(pair 5).
        // recall = 0.5; precision = (0 + 1 + 0)/3 = 1/3; granularity 1;
        // plagdet = 2*(1/2)*(1/3)/(1/2 + 1/3) = (1/3)/(5/6) = 0.4.
        var all = macro.All;
        Assert.Equal((5, 2, 3), (all.Pairs, all.Cases, all.Detections));
        Assert.Equal(0.5, all.Recall, Eps);
        Assert.Equal(1.0 / 3, all.Precision, Eps);
        Assert.Equal(1.0, all.Granularity, Eps);
        Assert.Equal(0.4, all.PlagDet, Eps);

        // micro "all": plagiarized = 200 + 100 = 300; detected = 20 + 200 + 40 = 260; true = 200
        // -> recall 2/3, precision 200/260 = 10/13.
        var micro = PanEvaluator.Evaluate(truth, dets, micro: true);
        Assert.True(micro.Micro);
        Assert.Equal(2.0 / 3, micro.All.Recall, Eps);
        Assert.Equal(10.0 / 13, micro.All.Precision, Eps);
        // micro 02: plagiarized 300, detected 200, true 200 -> recall 2/3, precision 1.
        Assert.Equal(2.0 / 3, micro.GetGroup("02-no-obfuscation")!.Recall, Eps);
        Assert.Equal(1.0, micro.GetGroup("02-no-obfuscation")!.Precision, Eps);

        string text = macro.ToText();
        Assert.Contains("02-no-obfuscation", text);
        Assert.Contains("0.6667", text);
        Assert.Contains("all", text);

        // JSON: camelCase names, round trip.
        string json = JsonSerializer.Serialize(macro);
        Assert.Contains("\"plagdet\":", json);
        Assert.Contains("\"unmatchedDetectionPairs\":1", json);
        var back = JsonSerializer.Deserialize<EvaluationReport>(json)!;
        Assert.Equal(0.4, back.All.PlagDet, Eps);
        Assert.Equal(2, back.Groups.Count);
    }

    [Fact]
    public void Evaluator_FlatTruth_GroupsByObfuscationOfFirstCase_AndDeterministic()
    {
        using var tmp = new TempDir();
        string truth = tmp.Sub("truth"), dets = tmp.Sub("dets");
        WriteTruth(truth, 1, 10);                        // no cases -> "no-plagiarism"
        WriteTruth(truth, 2, 20, (0, 100, 0, 100));      // obfuscation "none"
        WriteDetections(dets, 2, 20, (0, 50, 0, 50), (50, 50, 50, 50)); // split: granularity 2

        var r = PanEvaluator.Evaluate(truth, dets);
        Assert.Equal(["no-plagiarism", "none"], r.Groups.Select(g => g.Name));
        // no-plagiarism: no cases, no detections -> recall = precision = granularity = plagdet = 1.
        var np = r.GetGroup("no-plagiarism")!;
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (np.Recall, np.Precision, np.Granularity, np.PlagDet));
        // none: recall 1, precision 1, granularity 2 -> plagdet 1/log2(3).
        Assert.Equal(1 / Math.Log2(3), r.GetGroup("none")!.PlagDet, Eps);
        Assert.Equal(r.ToJson(), PanEvaluator.Evaluate(truth, dets).ToJson());
    }

    [Fact]
    public void Evaluator_EmptyDetectionsDirectory_RecallZero()
    {
        // One case, no detection files: recall = precision = 0 (no detections), granularity 1, plagdet 0.
        using var tmp = new TempDir();
        string truth = tmp.Sub("truth/02-no-obfuscation"), dets = tmp.Sub("dets");
        WriteTruth(truth, 1, 10, (0, 10, 0, 10));
        var r = PanEvaluator.Evaluate(Path.GetDirectoryName(truth)!, dets);
        Assert.Equal((0, 0), (r.DetectionFiles, r.UnmatchedDetectionPairs));
        Assert.Equal((0.0, 0.0, 1.0, 0.0), (r.All.Recall, r.All.Precision, r.All.Granularity, r.All.PlagDet));
    }

    [Fact]
    public void Evaluator_MalformedDetectionFile_Throws()
    {
        using var tmp = new TempDir();
        string truth = tmp.Sub("truth"), dets = tmp.Sub("dets");
        WriteTruth(truth, 1, 10, (0, 10, 0, 10));
        File.WriteAllText(Path.Combine(dets, PairFile(1, 10)), "<document reference=\"x\"><feature");
        Assert.Throws<PanFormatException>(() => PanEvaluator.Evaluate(truth, dets));
    }
}
