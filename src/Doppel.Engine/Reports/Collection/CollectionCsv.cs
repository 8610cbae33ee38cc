using System.Globalization;
using System.Text;

namespace Doppel.Engine.Reports.Collection;

/// <summary>One line per pair, ranked: <c>doc_a,doc_b,coverage_a,coverage_b,passages,longest_words</c> (RFC 4180 quoting).</summary>
public static class CollectionCsv
{
    public const string Header = "doc_a,doc_b,coverage_a,coverage_b,passages,longest_words";

    public static string Write(CollectionReport r)
    {
        var sb = new StringBuilder(Header.Length + 64 * r.Pairs.Count).Append(Header).Append('\n');
        foreach (var p in r.Pairs)
        {
            sb.Append(Field(p.NameA)).Append(',').Append(Field(p.NameB)).Append(',')
              .Append(p.CoverageA.ToString("0.####", CultureInfo.InvariantCulture)).Append(',')
              .Append(p.CoverageB.ToString("0.####", CultureInfo.InvariantCulture)).Append(',')
              .Append(p.Passages.Count.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(p.LongestWords.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    public static string Field(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
