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

    public static int Read(byte[] buffer, int pos, out ulong value)
    {
        value = 0;
        int shift = 0;
        byte b;
        do
        {
            b = buffer[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 64);
        return pos;
    }
}
