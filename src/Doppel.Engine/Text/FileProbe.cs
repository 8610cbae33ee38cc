using System.Runtime.InteropServices;

namespace Doppel.Engine.Text;

/// <summary>What a path is, as the file system says.</summary>
public enum FileKind { Missing, Regular, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Other }

/// <summary>A file's identity: the same for every path that reaches it (symbolic links, hard links, <c>..</c>).</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode);

/// <summary>
/// The kind and identity of a file, links followed, from Linux <c>statx</c> (its layout is the same on every
/// architecture, unlike <c>struct stat</c>). .NET reports a named pipe or a device as an ordinary file, and opening
/// a pipe blocks until someone writes to it: readers ask here first. Where <c>statx</c> is not available (another
/// OS, an old kernel) <see cref="TryProbe"/> returns false and callers go by what .NET says.
/// </summary>
public static partial class FileProbe
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1, StatxIno = 0x100;
    private const int Enoent = 2, Enotdir = 20, Eloop = 40;

    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static bool TryProbe(string path, out FileKind kind, out FileIdentity identity)
    {
        kind = FileKind.Other;
        identity = default;
        if (Volatile.Read(ref _unavailable) || path.Length == 0 || path.Contains('\0')) return false;
        Span<byte> buffer = stackalloc byte[256];
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, 0, StatxType | StatxIno, ref MemoryMarshal.GetReference(buffer));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _unavailable, true);
            return false;
        }
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Enoent or Enotdir or Eloop)
            {
                kind = FileKind.Missing; // a broken or looping link counts as missing: nothing can be read there
                return true;
            }
            if (errno == 38) Volatile.Write(ref _unavailable, true); // ENOSYS: a kernel or sandbox without statx
            return false;
        }
        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_dev_major/minor (u32) at 136/140.
        int mode = BitConverter.ToUInt16(buffer[28..]);
        ulong ino = BitConverter.ToUInt64(buffer[32..]);
        ulong dev = ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..]);
        kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        identity = new FileIdentity(dev, ino);
        return true;
    }

    /// <summary>What a path that is not a regular file is, in a few words ("a named pipe"), or null for a regular
    /// file, a directory, a missing path, or when it cannot be told.</summary>
    public static string? SpecialKind(string path) =>
        TryProbe(path, out var kind, out _) ? kind switch
        {
            FileKind.Fifo => "a named pipe",
            FileKind.CharacterDevice => "a character device",
            FileKind.BlockDevice => "a block device",
            FileKind.Socket => "a socket",
            FileKind.Other => "not a file",
            _ => null,
        } : null;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
