using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Doppel.Engine.Index;

public sealed partial class SqliteReferenceIndex
{
    /// <summary>A <c>docs</c> row as stored (<see cref="TextBytes"/> is -1 in a version-1 index, which lacks it).</summary>
    private sealed record StoredDoc(long Number, string Id, string Title, byte[] Hash, int Chars, int Keys, string Added,
        DateTimeOffset AddedAt, long TextBytes)
    {
        public IndexedDocument ToIndexed() => new(Number, Id, Title, Convert.ToHexStringLower(Hash), Chars, Keys, AddedAt);
    }

    /// <summary>
    /// Reads rows of one format version and checks them: in version 2 every row's checksum (<see cref="RowChecksum"/>)
    /// before any field is used; in both versions the fields' types and ranges, a text's decompression and its content
    /// hash. Whatever fails is reported as a damaged index naming the row. One per connection (not thread-safe).
    /// </summary>
    private sealed class Rows(string location, int version)
    {
        private readonly RowChecksum _sum = new();

        public int Version => version;

        /// <summary>Version 1 has no checksums (nor text lengths): only what decoding shows can be checked.</summary>
        public bool Checksums => version >= ChecksumVersion;

        /// <summary>Version 3 has the <c>vectors</c> table.</summary>
        public bool HasVectors => version >= 3;

        /// <summary>The columns <see cref="ReadDoc"/> reads, of <c>docs</c> aliased <c>d</c>.</summary>
        public string DocColumns => Checksums
            ? "d.doc, d.id, d.title, d.hash, d.chars, d.nkeys, d.added, d.textbytes, d.sum"
            : "d.doc, d.id, d.title, d.hash, d.chars, d.nkeys, d.added, NULL, NULL";

        public const int DocColumnCount = 9;

        /// <summary>The checksum column of a table (aliased <paramref name="alias"/>), NULL in version 1.</summary>
        public string Sum(string alias = "") => Checksums ? (alias.Length == 0 ? "sum" : alias + ".sum") : "NULL";

        public StoredDoc ReadDoc(SqliteDataReader r, int at)
        {
            // Names are built only for a report: this runs once per document when a snapshot loads key counts.
            for (int i = 0; i < (Checksums ? DocColumnCount : DocColumnCount - 2); i++)
                if (r.IsDBNull(at + i)) throw Damaged($"{DocName(r, at)}: a field is missing");
            long number = r.GetInt64(at);
            string id = r.GetString(at + 1), title = r.GetString(at + 2), added = r.GetString(at + 6);
            byte[] hash = r.GetFieldValue<byte[]>(at + 3);
            long chars = r.GetInt64(at + 4), keys = r.GetInt64(at + 5);
            long textBytes = Checksums ? r.GetInt64(at + 7) : -1;
            if (Checksums && r.GetInt64(at + 8) != DocSum(number, id, title, hash, chars, keys, added, textBytes))
                throw Damaged($"{DocName(r, at)}: fails its checksum");
            if (number < 1 || chars is < 0 or > int.MaxValue || keys is < 0 or > int.MaxValue
                || !DateTimeOffset.TryParse(added, CultureInfo.InvariantCulture, DateTimeStyles.None, out var addedAt))
                throw Damaged($"{DocName(r, at)}: a field is out of range");
            return new StoredDoc(number, id, title, hash, (int)chars, (int)keys, added, addedAt, textBytes);
        }

        private static string DocName(SqliteDataReader r, int at) =>
            r.IsDBNull(at) ? "document" : r.IsDBNull(at + 1) ? $"document {r.GetInt64(at)}" : $"document {r.GetInt64(at)} ('{r.GetString(at + 1)}')";

        /// <summary>A <c>dead</c> row (doc, sum): the number of a removed or replaced document.</summary>
        public long ReadDead(SqliteDataReader r)
        {
            if (r.IsDBNull(0)) throw Damaged("dead document: a field is missing");
            long number = r.GetInt64(0);
            if (Checksums && (r.IsDBNull(1) || r.GetInt64(1) != DeadSum(number))) throw Damaged($"dead document {number}: fails its checksum");
            return number >= 1 ? number : throw Damaged($"dead document {number}: out of range");
        }

        /// <summary>An <c>aliases</c> row (id, doc, sum from <paramref name="at"/>).</summary>
        public (string Id, long Doc) ReadAlias(SqliteDataReader r, int at)
        {
            if (r.IsDBNull(at) || r.IsDBNull(at + 1)) throw Damaged("alias: a field is missing");
            string id = r.GetString(at);
            long number = r.GetInt64(at + 1);
            if (Checksums && (r.IsDBNull(at + 2) || r.GetInt64(at + 2) != AliasSum(id, number))) throw Damaged($"alias '{id}': fails its checksum");
            return number >= 1 ? (id, number) : throw Damaged($"alias '{id}': its document number is out of range");
        }

        /// <summary>The stored text of a document, checked against its checksum (version 2), decompressed and
        /// checked against the document's content hash (SHA-256 of the text, both versions).</summary>
        public string ReadText(long number, string id, byte[] data, SqliteDataReader r, int sumOrdinal, byte[] contentHash)
        {
            string what = $"text of document {number} ('{id}')";
            if (Checksums) Check(r, sumOrdinal, TextSum(number, data), what);
            string text;
            try
            {
                text = TextCodec.Decompress(data);
            }
            catch (InvalidDataException e)
            {
                throw Damaged($"{what}: cannot be decompressed ({e.Message})", e);
            }
            if (!DocumentPreparer.ContentHash(text).AsSpan().SequenceEqual(contentHash))
                throw Damaged($"{what}: does not match the document's content hash");
            return text;
        }

        public long DocSum(long number, string id, string title, byte[] hash, long chars, long keys, string added, long textBytes) =>
            _sum.Begin(RowChecksum.Table.Docs).Add(number).Add(id).Add(title).Add(hash).Add(chars).Add(keys).Add(added).Add(textBytes).Value;

        public long DocSum(StoredDoc d) => DocSum(d.Number, d.Id, d.Title, d.Hash, d.Chars, d.Keys, d.Added, d.TextBytes);

        public long TextSum(long number, ReadOnlySpan<byte> data) => _sum.Begin(RowChecksum.Table.Texts).Add(number).Add(data).Value;

        public long PostingSum(long bucket, long segment, ReadOnlySpan<byte> data) =>
            _sum.Begin(RowChecksum.Table.Postings).Add(bucket).Add(segment).Add(data).Value;

        public long VectorSum(long number, string tag, ReadOnlySpan<byte> data) =>
            _sum.Begin(RowChecksum.Table.Vectors).Add(number).Add(tag).Add(data).Value;

        /// <summary>A <c>vectors</c> row (tag, data, sum from <paramref name="at"/>) of document <paramref name="number"/>, checked.</summary>
        public StoredVectors ReadVectors(SqliteDataReader r, int at, long number)
        {
            string tag = Text(r, at, $"vectors of document {number}");
            byte[] data = Blob(r, at + 1, $"vectors of document {number}");
            Check(r, at + 2, VectorSum(number, tag, data), $"vectors of document {number}");
            return new StoredVectors(tag, data);
        }

        public long DeadSum(long number) => _sum.Begin(RowChecksum.Table.Dead).Add(number).Value;

        public long AliasSum(string id, long number) => _sum.Begin(RowChecksum.Table.Aliases).Add(id).Add(number).Value;

        public long MetaSum(string name, string value) => _sum.Begin(RowChecksum.Table.Meta).Add(name).Add(value).Value;

        public static string BlockName(long bucket, long segment) => $"posting block (bucket {bucket}, segment {segment})";

        public long ReadSegment(SqliteDataReader r, int ordinal, long bucket) =>
            r.IsDBNull(ordinal) ? throw Damaged($"posting block (bucket {bucket}): a field is missing") : r.GetInt64(ordinal);

        /// <summary>A <c>postings</c> row's blob (at <paramref name="ordinal"/>, its checksum next), checked.</summary>
        public byte[] ReadBlock(SqliteDataReader r, int ordinal, long bucket, long segment)
        {
            if (r.IsDBNull(ordinal)) throw Damaged($"{BlockName(bucket, segment)}: a field is missing");
            byte[] data = r.GetFieldValue<byte[]>(ordinal);
            if (Checksums && (r.IsDBNull(ordinal + 1) || r.GetInt64(ordinal + 1) != PostingSum(bucket, segment, data)))
                throw Damaged($"{BlockName(bucket, segment)}: fails its checksum");
            return data;
        }

        /// <summary>A block that does not decode, as damage.</summary>
        public IndexException Undecodable(long bucket, long segment, InvalidDataException e) =>
            Damaged($"{BlockName(bucket, segment)}: cannot be decoded ({e.Message})", e);

        /// <summary>Compares a row's stored checksum with the one computed from its fields.</summary>
        public void Check(SqliteDataReader r, int ordinal, long expected, string what)
        {
            if (r.IsDBNull(ordinal) || r.GetInt64(ordinal) != expected) throw Damaged($"{what}: fails its checksum");
        }

        public long Int(SqliteDataReader r, int ordinal, string what) =>
            r.IsDBNull(ordinal) ? throw Damaged($"{what}: a field is missing") : r.GetInt64(ordinal);

        public string Text(SqliteDataReader r, int ordinal, string what) =>
            r.IsDBNull(ordinal) ? throw Damaged($"{what}: a field is missing") : r.GetString(ordinal);

        public byte[] Blob(SqliteDataReader r, int ordinal, string what) =>
            r.IsDBNull(ordinal) ? throw Damaged($"{what}: a field is missing") : r.GetFieldValue<byte[]>(ordinal);

        public IndexException Damaged(string problem, Exception? inner = null) => Damage(location, problem, inner);
    }

    /// <summary>
    /// How many rows <c>docs</c>, <c>aliases</c>, <c>dead</c> and <c>postings</c> hold, stored in <c>meta</c> by every
    /// write (format version 2): a row lost whole, which no row checksum can show, then shows as a count that does not
    /// match when the table is counted.
    /// </summary>
    private sealed class RowCounts
    {
        public const string MetaName = "counts";
        public long Docs, Aliases, Dead, Blocks;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Docs} {Aliases} {Dead} {Blocks}");

        public static RowCounts? Parse(string value)
        {
            var parts = value.Split(' ');
            var n = new long[4];
            if (parts.Length != 4) return null;
            for (int i = 0; i < 4; i++)
                if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out n[i])) return null;
            return new RowCounts { Docs = n[0], Aliases = n[1], Dead = n[2], Blocks = n[3] };
        }

        /// <summary>The first table whose count differs from <paramref name="stored"/>'s, as a problem.</summary>
        public string? Mismatch(RowCounts stored) =>
            Docs != stored.Docs ? $"docs: {Docs} rows where {stored.Docs} were written"
            : Aliases != stored.Aliases ? $"aliases: {Aliases} rows where {stored.Aliases} were written"
            : Dead != stored.Dead ? $"dead: {Dead} rows where {stored.Dead} were written"
            : Blocks != stored.Blocks ? $"postings: {Blocks} blocks where {stored.Blocks} were written"
            : null;
    }

    /// <summary>The error for a damaged index: one line naming the index and the damaged part.</summary>
    private static IndexException Damage(string location, string problem, Exception? inner = null) =>
        new(IndexErrorKind.Damaged, $"{location}: damaged index: {problem}; restore it from a backup or rebuild it", inner)
        {
            Problem = problem,
        };

    /// <summary>SQLite's errors as index errors; a malformed file (SQLITE_CORRUPT, SQLITE_NOTADB) is damage.</summary>
    private static IndexException ToIndexError(string location, SqliteException e)
    {
        string message = e.Message.Split('\n')[0].TrimEnd('\r');
        // "SQLite Error 11: 'database disk image is malformed'." → "database disk image is malformed"
        if (System.Text.RegularExpressions.Regex.Match(message, @"^SQLite Error \d+: '(.*)'\.?$") is { Success: true } m)
            message = m.Groups[1].Value;
        return (e.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase
            ? Damage(location, $"SQLite: {message}", e)
            : new IndexException(IndexErrorKind.Storage, $"{location}: {message}", e);
    }

    private const int SqliteCorrupt = 11, SqliteNotADatabase = 26;
}
