namespace Doppel.Engine.Index;

/// <summary>LEB128 unsigned integers: posting lists store document-number gaps, mostly one or two bytes each.</summary>
internal static class Varint
{
    public static int Write(byte[] buffer, int pos, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[pos++] = (byte)value;
        return pos;
    }

    /// <summary>Reads a varint that must end before <paramref name="buffer"/> does.</summary>
    /// <exception cref="InvalidDataException">Cut short, or longer than a 64-bit value can be.</exception>
    public static int Read(ReadOnlySpan<byte> buffer, int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if ((uint)pos >= (uint)buffer.Length) throw new InvalidDataException("a number is cut short");
            byte b = buffer[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return pos;
        }
        throw new InvalidDataException("a number is longer than 64 bits");
    }
}
