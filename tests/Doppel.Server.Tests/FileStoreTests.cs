using System.Text;
using Doppel.Application.Storage;
using Doppel.Tests.Redis;

namespace Doppel.Server.Tests;

/// <summary>The contract of <see cref="IFileStore"/> (the jobs' uploads and reports), on each back end.</summary>
public abstract class FileStoreContractTests
{
    protected abstract IFileStore Store { get; }

    [Fact]
    public void Files_read_back_as_written_and_are_replaced_and_deleted()
    {
        var s = Store;
        var bytes = new byte[70_000];
        new Random(1).NextBytes(bytes);
        using (var o = s.Create("uploads/u1/0000-a.bin")) o.Write(bytes);
        s.WriteText("reports/j1/pairs/0001.html", "<p>één</p>");
        Assert.Equal(bytes, s.Read("uploads/u1/0000-a.bin"));
        Assert.Equal("<p>één</p>", s.ReadText("reports/j1/pairs/0001.html"));
        s.WriteText("reports/j1/pairs/0001.html", "second");
        Assert.Equal("second", s.ReadText("reports/j1/pairs/0001.html"));
        Assert.Null(s.Read("reports/j1/missing.html"));
        s.Delete(["uploads/u1/0000-a.bin", "uploads/u1/never-written"]);
        Assert.Null(s.Read("uploads/u1/0000-a.bin"));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("reports/j1/../../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("reports//x")]
    [InlineData("reports/./x")]
    [InlineData("reports\\..\\x")]
    [InlineData("")]
    public void Paths_that_would_leave_the_store_are_refused(string path)
    {
        Assert.Throws<ArgumentException>(() => Store.Create(path).Dispose());
        Assert.Null(Store.Read(path));
    }
}

public sealed class DirectoryFileStoreTests : FileStoreContractTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("doppel-files-").FullName;
    protected override IFileStore Store => new DirectoryFileStore(Path.Combine(_dir, "data"));

    [Fact]
    public void Files_are_in_the_directory_and_a_deleted_upload_leaves_no_folder()
    {
        Store.WriteText("uploads/u2/0000-b.txt", "b");
        Assert.Equal("b", File.ReadAllText(Path.Combine(_dir, "data", "uploads", "u2", "0000-b.txt")));
        Store.Delete(["uploads/u2/0000-b.txt"]);
        Assert.False(Directory.Exists(Path.Combine(_dir, "data", "uploads", "u2")));
        Assert.True(Directory.Exists(Path.Combine(_dir, "data", "uploads")));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}

[Collection(RedisCollection.Name)]
public sealed class RedisFileStoreTests(RedisClusterFixture cluster) : FileStoreContractTests, IDisposable
{
    private readonly RedisFileStore _store = RedisFileStore.Open(cluster.Location("files-" + Guid.NewGuid().ToString("N")[..12]));
    protected override IFileStore Store => _store;

    [Fact]
    public void A_shared_secret_is_the_same_for_every_client()
    {
        using var other = RedisFileStore.Open(_store.Address.ToString());
        var key = _store.SharedSecret("links");
        Assert.Equal(32, key.Length);
        Assert.Equal(key, other.SharedSecret("links"));
        Assert.NotEqual(key, other.SharedSecret("other"));
    }

    public void Dispose() => _store.Dispose();
}
