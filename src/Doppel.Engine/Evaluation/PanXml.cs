using System.Globalization;
using System.Text;
using System.Xml;

namespace Doppel.Engine.Evaluation;

/// <summary>
/// Reads and writes PAN annotation XML files:
/// <code>
/// &lt;document reference="suspicious-document00005.txt"&gt;
/// &lt;feature name="plagiarism" this_offset="1412" this_length="269"
///          source_reference="source-document01090.txt" source_offset="1084" source_length="402" obfuscation="random"/&gt;
/// &lt;/document&gt;
/// </code>
/// Truth files use <c>name="plagiarism"</c>, detection files <c>name="detected-plagiarism"</c>. Only direct
/// <c>feature</c> children of the root are considered and other feature names (about, md5, ...) are ignored,
/// as are unknown attributes, comments and whitespace. DTDs are prohibited. Malformed XML, a root other than
/// <c>document</c>, or a plagiarism feature lacking one of the six offset/length/reference attributes (or with a
/// value that is not a non-negative integer) raises <see cref="PanFormatException"/>.
/// </summary>
public static class PanXml
{
    /// <summary>Feature name of ground-truth plagiarism cases.</summary>
    public const string PlagiarismFeature = "plagiarism";

    /// <summary>Feature name of detections.</summary>
    public const string DetectionFeature = "detected-plagiarism";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Reads the ground-truth cases (<c>feature name="plagiarism"</c>) of a file.</summary>
    public static IReadOnlyList<PanAnnotation> ReadCases(string path)
        => ReadFile(path, truth: true);

    /// <summary>Reads the detections of a file; both <c>detected-plagiarism</c> and <c>plagiarism</c> features are accepted.</summary>
    public static IReadOnlyList<PanAnnotation> ReadDetections(string path)
        => ReadFile(path, truth: false);

    /// <summary>Reads ground-truth cases from a reader; <paramref name="sourceName"/> is used in error messages.</summary>
    public static IReadOnlyList<PanAnnotation> ReadCases(TextReader reader, string sourceName = "<reader>")
        => Read(reader, sourceName, truth: true);

    /// <summary>Reads detections from a reader; <paramref name="sourceName"/> is used in error messages.</summary>
    public static IReadOnlyList<PanAnnotation> ReadDetections(TextReader reader, string sourceName = "<reader>")
        => Read(reader, sourceName, truth: false);

    private static IReadOnlyList<PanAnnotation> ReadFile(string path, bool truth)
    {
        ArgumentNullException.ThrowIfNull(path);
        // From a stream, so that the XML reader finds the encoding itself.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        return Parse(() => XmlReader.Create(stream, Settings), path, truth);
    }

    private static IReadOnlyList<PanAnnotation> Read(TextReader reader, string sourceName, bool truth)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Parse(() => XmlReader.Create(reader, Settings), sourceName, truth);
    }

    /// <summary>Parses what <paramref name="open"/> reads, reporting malformed XML as a <see cref="PanFormatException"/>.</summary>
    private static List<PanAnnotation> Parse(Func<XmlReader> open, string name, bool truth)
    {
        try
        {
            using var xml = open();
            return Parse(xml, name, truth);
        }
        catch (XmlException ex)
        {
            throw new PanFormatException(name, ex.Message, ex);
        }
    }

    private static List<PanAnnotation> Parse(XmlReader xml, string path, bool truth)
    {
        var result = new List<PanAnnotation>();
        if (xml.MoveToContent() != XmlNodeType.Element)
            throw new PanFormatException(path, "no root element");
        if (xml.LocalName != "document")
            throw new PanFormatException(path, $"root element is <{xml.Name}>, expected <document>");
        string? reference = xml.GetAttribute("reference");
        int featureDepth = xml.Depth + 1;
        // Read to the end of the input so that trailing garbage is reported too.
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.Depth != featureDepth || xml.LocalName != "feature")
                continue;
            string? name = xml.GetAttribute("name");
            bool relevant = name == PlagiarismFeature || (!truth && name == DetectionFeature);
            if (!relevant)
                continue;
            if (reference is null)
                throw new PanFormatException(path, "the <document> element has no 'reference' attribute" + Where(xml));
            result.Add(new PanAnnotation(
                reference,
                ReadInt(xml, "this_offset", path),
                ReadInt(xml, "this_length", path),
                ReadString(xml, "source_reference", path),
                ReadInt(xml, "source_offset", path),
                ReadInt(xml, "source_length", path),
                xml.GetAttribute("obfuscation") ?? xml.GetAttribute("type"),
                xml.GetAttribute("llm")));
        }
        return result;
    }

    private static string ReadString(XmlReader xml, string attribute, string path)
        => xml.GetAttribute(attribute)
           ?? throw new PanFormatException(path, $"feature lacks the '{attribute}' attribute" + Where(xml));

    private static int ReadInt(XmlReader xml, string attribute, string path)
    {
        string text = ReadString(xml, attribute, path);
        if (!int.TryParse(text.AsSpan().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0)
            throw new PanFormatException(path, $"attribute {attribute}=\"{text}\" is not a non-negative integer" + Where(xml));
        return value;
    }

    private static string Where(XmlReader xml)
        => xml is IXmlLineInfo info && info.HasLineInfo()
            ? $" (line {info.LineNumber}, position {info.LinePosition})"
            : "";

    /// <summary>
    /// Writes a detection file: <c>&lt;document reference="SUSP"&gt;</c>, then one
    /// <c>&lt;feature name="detected-plagiarism" this_offset=".." this_length=".." source_reference=".." source_offset=".." source_length=".."/&gt;</c>
    /// line per detection, then <c>&lt;/document&gt;</c>. Lines end with '\n'; numbers use the invariant culture.
    /// The detections' own <see cref="PanAnnotation.SuspiciousReference"/> and <see cref="PanAnnotation.Obfuscation"/> are not written.
    /// </summary>
    public static void WriteDetections(TextWriter writer, string suspiciousReference, IEnumerable<PanAnnotation> detections)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(suspiciousReference);
        ArgumentNullException.ThrowIfNull(detections);
        var sb = new StringBuilder();
        sb.Append("<document reference=\"").Append(Escape(suspiciousReference)).Append("\">\n");
        foreach (var d in detections)
        {
            sb.Append("<feature name=\"").Append(DetectionFeature).Append('"')
              .Append(" this_offset=\"").Append(d.ThisOffset.ToString(CultureInfo.InvariantCulture)).Append('"')
              .Append(" this_length=\"").Append(d.ThisLength.ToString(CultureInfo.InvariantCulture)).Append('"')
              .Append(" source_reference=\"").Append(Escape(d.SourceReference ?? "")).Append('"')
              .Append(" source_offset=\"").Append(d.SourceOffset.ToString(CultureInfo.InvariantCulture)).Append('"')
              .Append(" source_length=\"").Append(d.SourceLength.ToString(CultureInfo.InvariantCulture)).Append('"')
              .Append("/>\n");
        }
        sb.Append("</document>\n");
        writer.Write(sb.ToString());
    }

    /// <summary>Writes a detection file (UTF-8 without BOM) at <paramref name="path"/>; see <see cref="WriteDetections(TextWriter, string, IEnumerable{PanAnnotation})"/>.</summary>
    public static void WriteDetections(string path, string suspiciousReference, IEnumerable<PanAnnotation> detections)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        WriteDetections(writer, suspiciousReference, detections);
    }

    private static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("&<>\"'\t\n\r") < 0)
            return value;
        var sb = new StringBuilder(value.Length + 16);
        foreach (char c in value)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                '\t' => "&#9;",
                '\n' => "&#10;",
                '\r' => "&#13;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
