namespace Doppel.Engine.Index;

/// <summary>
/// The on-disk form of posting lists: keys are spread over 2^16 buckets, and one block holds a bucket's postings
/// for one segment (one add batch). A block is <c>base</c> (varint, the smallest document number in it) followed by
/// entries sorted by key: the key's remaining 32 bits (little-endian), the number of documents (varint), the byte
/// length of what follows (varint, so a reader can skip keys too common to be evidence without decoding them) and
/// the documents as varint gaps (the first from <c>base</c>). A key posted in one document costs about 8 bytes, where a
/// database row per key and segment would cost about 25; a bucket and its 32 bits identify a key by 48 bits of
/// its hash, so keys practically never share an entry.
/// </summary>
internal static class PostingBlock
{
    public const int BucketBits = 16;

    public static int Bucket(long key) => (int)((key >> 1) & ((1 << BucketBits) - 1));

    public static uint Rest(long key) => (uint)(key >> (1 + BucketBits));

    /// <summary>
    /// Segment numbers of merged blocks (written by <c>index optimize</c>) start here, far above any add batch's, and
    /// carry the block's first key: <c>MergedBase + (first rest &lt;&lt; 20) + n</c>, n counting blocks of a bucket that
    /// start with the same key. A lookup then reads only the merged blocks that can hold a wanted key (those that start
    /// with it, and the last one that starts before it) instead of the whole bucket. Older readers read every block of
    /// a bucket whatever its number, so the layout stays format version 1.
    /// </summary>
    public const long MergedBase = 1L << 60;
    private const int SameStartBits = 20;

    public static bool IsMerged(long segment) => segment >= MergedBase;

    public static long MergedSegment(uint firstRest, int sameStart) => MergedBase + ((long)firstRest << SameStartBits) + sameStart;

    /// <summary>The highest segment number a merged block starting with <paramref name="rest"/> can have.</summary>
    public static long LastMergedSegment(uint rest) => MergedSegment(rest, (1 << SameStartBits) - 1);

    public static uint FirstRestOf(long mergedSegment) => (uint)((mergedSegment - MergedBase) >> SameStartBits);

    /// <summary>How many merged blocks of the bucket start with the same key before this one.</summary>
    public static int SameStartOf(long mergedSegment) => (int)((mergedSegment - MergedBase) & ((1 << SameStartBits) - 1));

    public static int MaxSameStart => (1 << SameStartBits) - 1;

    /// <summary>Encodes entries sorted by (rest, document) and all in one bucket.</summary>
    public static byte[] Encode(ReadOnlySpan<(uint Key, long Doc)> entries)
    {
        long min = long.MaxValue;
        foreach (var e in entries) min = Math.Min(min, e.Doc);
        var buffer = new byte[16 + entries.Length * 8];
        int pos = Varint.Write(buffer, 0, (ulong)min);
        int i = 0;
        while (i < entries.Length)
        {
            uint rest = entries[i].Key;
            int j = i;
            while (j < entries.Length && entries[j].Key == rest) j++;
            if (buffer.Length - pos < 16 + (j - i) * 10) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, pos + 16 + (j - i) * 10));
            BitConverter.TryWriteBytes(buffer.AsSpan(pos, 4), rest);
            pos += 4;
            pos = Varint.Write(buffer, pos, (ulong)(j - i));
            int lengthAt = pos;
            pos += 5; // room for the length; the gaps are moved up once it is known
            int docsAt = pos;
            long prev = min;
            for (int k = i; k < j; k++)
            {
                pos = Varint.Write(buffer, pos, (ulong)(entries[k].Doc - prev));
                prev = entries[k].Doc;
            }
            int length = pos - docsAt;
            int after = Varint.Write(buffer, lengthAt, (ulong)length);
            Buffer.BlockCopy(buffer, docsAt, buffer, after, length);
            pos = after + length;
            i = j;
        }
        return buffer.AsSpan(0, pos).ToArray();
    }

    /// <summary>Every (rest, document) of a block, in block order.</summary>
    /// <exception cref="InvalidDataException">The block is not well formed.</exception>
    public static void Decode(ReadOnlySpan<byte> block, Action<uint, long> entry)
    {
        var reader = new Reader(block);
        while (reader.Next(out uint rest, out int count, out int end))
        {
            for (int c = 0; c < count; c++) entry(rest, reader.Document(end));
            reader.EndList(end);
        }
    }

    /// <summary>Walks a block against the wanted rests (sorted ascending). For each match, <paramref name="accept"/>
    /// gets the wanted index and the entry's document count and says whether to decode it; decoded documents go to
    /// <paramref name="found"/>. Entries not wanted or not accepted are skipped without decoding.</summary>
    /// <exception cref="InvalidDataException">The part of the block walked is not well formed.</exception>
    public static void Match(ReadOnlySpan<byte> block, ReadOnlySpan<uint> wanted, Func<int, int, bool> accept, Action<int, long> found)
    {
        var reader = new Reader(block);
        int w = 0;
        while (w < wanted.Length && reader.Next(out uint rest, out int count, out int end))
        {
            while (w < wanted.Length && wanted[w] < rest) w++;
            if (w >= wanted.Length || wanted[w] != rest || !accept(w, count))
            {
                reader.Skip(end);
                continue;
            }
            for (int c = 0; c < count; c++) found(w, reader.Document(end));
            reader.EndList(end);
        }
    }

    /// <summary>Reads a block, checking every bound, so that damaged bytes (in an index without checksums, format
    /// version 1) end in <see cref="InvalidDataException"/>, never in a wrong index or a silently missed key.</summary>
    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _block;
        private readonly long _base;
        private int _pos;
        private long _doc;
        private long _lastRest = -1;

        public Reader(ReadOnlySpan<byte> block)
        {
            _block = block;
            _pos = Varint.Read(block, 0, out ulong baseDoc);
            if (baseDoc > long.MaxValue / 2) throw new InvalidDataException("a document number is out of range");
            _base = (long)baseDoc;
        }

        /// <summary>The next entry's key, document count and the end of its list; false at the end of the block.</summary>
        public bool Next(out uint rest, out int count, out int end)
        {
            rest = 0;
            count = end = 0;
            if (_pos == _block.Length) return false;
            if (_block.Length - _pos < sizeof(uint)) throw new InvalidDataException("an entry is cut short");
            rest = BitConverter.ToUInt32(_block.Slice(_pos, sizeof(uint)));
            // Entries are written in strictly ascending key order; Match relies on it to skip.
            if (rest <= _lastRest) throw new InvalidDataException("entries are out of order");
            _lastRest = rest;
            _pos = Varint.Read(_block, _pos + sizeof(uint), out ulong n);
            _pos = Varint.Read(_block, _pos, out ulong length);
            // Every document takes at least one byte of the list.
            if (length > (ulong)(_block.Length - _pos) || n == 0 || n > length)
                throw new InvalidDataException("a posting list does not fit its block");
            count = (int)n;
            end = _pos + (int)length;
            _doc = _base;
            return true;
        }

        public long Document(int end)
        {
            _pos = Varint.Read(_block[..end], _pos, out ulong gap);
            if (gap > long.MaxValue / 2 || (_doc += (long)gap) > long.MaxValue / 2)
                throw new InvalidDataException("a document number is out of range");
            return _doc;
        }

        public void EndList(int end)
        {
            if (_pos != end) throw new InvalidDataException("a posting list is longer than its documents");
        }

        public void Skip(int end) => _pos = end;
    }
}
