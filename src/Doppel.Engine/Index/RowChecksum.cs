using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Doppel.Engine.Index;

/// <summary>
/// The checksum every row of the index carries (format version 2, docs/index.md): XxHash3 (64 bits) over the row's
/// table, its key and its content, each variable-length field preceded by its length. Damaged bytes, a truncated or
/// lengthened blob, and a blob moved to another row (or another table) all fail to match it. One instance per
/// connection: it reuses its state and buffer, and is not thread-safe.
/// </summary>
internal sealed class RowChecksum
{
    public enum Table { Meta = 1, Docs, Texts, Postings, Dead, Aliases, Vectors }

    private readonly XxHash3 _hash = new();
    private byte[] _utf8 = new byte[256];

    public RowChecksum Begin(Table table)
    {
        _hash.Reset();
        return Add((long)table);
    }

    public RowChecksum Add(long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _hash.Append(bytes);
        return this;
    }

    public RowChecksum Add(ReadOnlySpan<byte> bytes)
    {
        Add(bytes.Length);
        _hash.Append(bytes);
        return this;
    }

    public RowChecksum Add(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < max) _utf8 = new byte[Math.Max(max, 2 * _utf8.Length)];
        return Add(_utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, _utf8)));
    }

    /// <summary>The checksum as SQLite stores it (a signed 64-bit integer).</summary>
    public long Value => unchecked((long)_hash.GetCurrentHashAsUInt64());
}
