using System.Buffers.Binary;
using Doppel.Engine.Index;

namespace Doppel.Index.Redis;

/// <summary>
/// The posting list of one key, as a hash field's value: chunks appended one per add batch that posts the key.
/// A chunk is the number of documents (varint), the documents (each 4 bytes, little-endian, ascending) and a
/// checksum (the low 32 bits of <see cref="RowChecksum"/> over the key and the documents' bytes), so an appended
/// chunk is checked on its own and nothing has to be rewritten to append. A value that would grow past
/// <see cref="MaxValueBytes"/> is replaced by <see cref="Saturated"/>: a key held by thousands of documents is no
/// evidence for retrieval (which skips keys held by more than 200), and its list stays bounded.
/// </summary>
internal static class PostingChunks
{
    /// <summary>About 7,000 documents in single-document chunks, 16,000 in large ones.</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>The value of a key too common to keep.</summary>
    public const string Saturated = "!";

    public static byte[] Encode(long key, ReadOnlySpan<long> docs, RowChecksum sum)
    {
        var buffer = new byte[10 + docs.Length * 4 + 4];
        int pos = Varint.Write(buffer, 0, (ulong)docs.Length);
        int start = pos;
        foreach (long d in docs)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(pos, 4), checked((uint)d));
            pos += 4;
        }
        uint check = Checksum(key, buffer.AsSpan(start, pos - start), sum);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(pos, 4), check);
        return buffer.AsSpan(0, pos + 4).ToArray();
    }

    private static uint Checksum(long key, ReadOnlySpan<byte> docs, RowChecksum sum) =>
        unchecked((uint)sum.Begin(RowChecksum.Table.Postings).Add(key).Add(docs).Value);

    /// <summary>How many documents a value lists (without checking it); -1 for a saturated key.</summary>
    public static int Count(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] == (byte)'!') return -1;
        int count = 0, pos = 0;
        while (pos < value.Length)
        {
            pos = Varint.Read(value, pos, out ulong n);
            count += (int)n;
            pos += (int)n * 4 + 4;
        }
        return count;
    }

    /// <summary>Every document of a value, each chunk's checksum checked.</summary>
    /// <exception cref="InvalidDataException">A chunk is cut short or fails its checksum.</exception>
    public static void Decode(long key, ReadOnlySpan<byte> value, RowChecksum sum, Action<long> doc)
    {
        int pos = 0;
        while (pos < value.Length)
        {
            pos = Varint.Read(value, pos, out ulong n);
            if (n == 0 || n > (ulong)(value.Length - pos) / 4) throw new InvalidDataException("a chunk does not fit its value");
            int bytes = (int)n * 4;
            if (value.Length - pos < bytes + 4) throw new InvalidDataException("a chunk is cut short");
            var docs = value.Slice(pos, bytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(pos + bytes, 4)) != Checksum(key, docs, sum))
                throw new InvalidDataException("a chunk fails its checksum");
            for (int i = 0; i < bytes; i += 4) doc(BinaryPrimitives.ReadUInt32LittleEndian(docs.Slice(i, 4)));
            pos += bytes + 4;
        }
    }
}
