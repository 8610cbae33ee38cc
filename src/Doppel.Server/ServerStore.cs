using System.Security.Cryptography;
using System.Text;
using Doppel.Application.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace Doppel.Server;

public sealed record User(long Id, string Name, bool Admin);
public sealed record Workspace(long Id, string Name);

/// <summary>Users, bearer tokens, workspaces and memberships in <c>DIR/doppel.db</c> (the jobs table lives in the same
/// file, see <see cref="Doppel.Application.Jobs.SqliteJobQueue"/>). Passwords are hashed with ASP.NET Core Identity's
/// PasswordHasher (PBKDF2-HMAC-SHA512, 100,000 iterations, salted); tokens are random 256-bit values of which only
/// the SHA-256 is stored.</summary>
public sealed class ServerStore
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);
    private readonly SqliteDatabase _db;
    private readonly PasswordHasher<string> _hasher = new();

    public ServerStore(string databasePath)
    {
        _db = new SqliteDatabase(databasePath, "PRAGMA foreign_keys=ON;");
        using var c = Open();
        SqliteDatabase.Exec(c, """
            CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL, admin INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, expires INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS workspaces (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS memberships (user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE, PRIMARY KEY(user_id, workspace_id));
            CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, job_id TEXT, name TEXT NOT NULL,
              path TEXT NOT NULL, size INTEGER NOT NULL, created INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
    }

    /// <summary>This node's id: random, made on first use and kept (it qualifies the node's workspaces in a shared
    /// job queue).</summary>
    public string NodeId()
    {
        using var c = Open();
        using (var ins = Cmd(c, "INSERT INTO settings(name, value) VALUES('node', $v) ON CONFLICT(name) DO NOTHING",
            ("$v", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))))
            ins.ExecuteNonQuery();
        using var cmd = Cmd(c, "SELECT value FROM settings WHERE name='node'");
        return (string)cmd.ExecuteScalar()!;
    }

    private SqliteConnection Open() => _db.Open();

    private static SqliteCommand Cmd(SqliteConnection c, string sql, params (string, object?)[] args) => SqliteDatabase.Command(c, sql, args);

    public int UserCount()
    {
        using var c = Open();
        using var cmd = Cmd(c, "SELECT count(*) FROM users");
        return Convert.ToInt32(cmd.ExecuteScalar());
    }

    /// <summary>Null when the name is taken.</summary>
    public User? CreateUser(string name, string password, bool admin)
    {
        using var c = Open();
        using var cmd = Cmd(c, "INSERT INTO users(name, hash, admin) VALUES($n, $h, $a) ON CONFLICT(name) DO NOTHING RETURNING id",
            ("$n", name), ("$h", _hasher.HashPassword(name, password)), ("$a", admin ? 1 : 0));
        var id = cmd.ExecuteScalar();
        return id == null ? null : new User(Convert.ToInt64(id), name, admin);
    }

    public bool DeleteUser(string name)
    {
        using var c = Open();
        using var cmd = Cmd(c, "DELETE FROM users WHERE name=$n", ("$n", name));
        return cmd.ExecuteNonQuery() == 1;
    }

    public IReadOnlyList<User> Users()
    {
        using var c = Open();
        using var cmd = Cmd(c, "SELECT id, name, admin FROM users ORDER BY name");
        using var r = cmd.ExecuteReader();
        var list = new List<User>();
        while (r.Read()) list.Add(new User(r.GetInt64(0), r.GetString(1), r.GetInt32(2) != 0));
        return list;
    }

    public User? FindUser(string name)
    {
        using var c = Open();
        using var cmd = Cmd(c, "SELECT id, name, admin FROM users WHERE name=$n", ("$n", name));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new User(r.GetInt64(0), r.GetString(1), r.GetInt32(2) != 0) : null;
    }

    /// <summary>A new token for the user, or null when the credentials are wrong. A hash is verified even for an
    /// unknown user, so timing does not tell which names exist.</summary>
    public (string Token, DateTimeOffset Expires)? Login(string name, string password)
    {
        using var c = Open();
        long id = 0;
        string hash = Dummy;
        using (var cmd = Cmd(c, "SELECT id, hash FROM users WHERE name=$n", ("$n", name)))
        using (var r = cmd.ExecuteReader())
            if (r.Read()) { id = r.GetInt64(0); hash = r.GetString(1); }
        bool ok = _hasher.VerifyHashedPassword(name, hash, password) != PasswordVerificationResult.Failed;
        if (!ok || id == 0) return null;
        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = DateTimeOffset.UtcNow + TokenLifetime;
        using (var del = Cmd(c, "DELETE FROM tokens WHERE expires < $now", ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()))) del.ExecuteNonQuery();
        using (var ins = Cmd(c, "INSERT INTO tokens(hash, user_id, expires) VALUES($h, $u, $e)", ("$h", TokenHash(token)), ("$u", id), ("$e", expires.ToUnixTimeSeconds())))
            ins.ExecuteNonQuery();
        return (token, expires);
    }

    private static readonly string Dummy = new PasswordHasher<string>().HashPassword("", Guid.NewGuid().ToString());

    private static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public User? Authenticate(string token)
    {
        using var c = Open();
        using var cmd = Cmd(c, "SELECT u.id, u.name, u.admin FROM tokens t JOIN users u ON u.id=t.user_id WHERE t.hash=$h AND t.expires >= $now",
            ("$h", TokenHash(token)), ("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new User(r.GetInt64(0), r.GetString(1), r.GetInt32(2) != 0) : null;
    }

    public void Revoke(string token)
    {
        using var c = Open();
        using var cmd = Cmd(c, "DELETE FROM tokens WHERE hash=$h", ("$h", TokenHash(token)));
        cmd.ExecuteNonQuery();
    }

    public Workspace CreateWorkspace(string name, long ownerId)
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        long id;
        using (var cmd = Cmd(c, "INSERT INTO workspaces(name) VALUES($n) RETURNING id", ("$n", name))) id = Convert.ToInt64(cmd.ExecuteScalar());
        using (var m = Cmd(c, "INSERT INTO memberships(user_id, workspace_id) VALUES($u, $w)", ("$u", ownerId), ("$w", id))) m.ExecuteNonQuery();
        tx.Commit();
        return new Workspace(id, name);
    }

    public bool AddMember(long workspaceId, long userId)
    {
        using var c = Open();
        using var cmd = Cmd(c, "INSERT INTO memberships(user_id, workspace_id) VALUES($u, $w) ON CONFLICT DO NOTHING", ("$u", userId), ("$w", workspaceId));
        return cmd.ExecuteNonQuery() == 1;
    }

    public IReadOnlyList<Workspace> WorkspacesOf(long userId)
    {
        using var c = Open();
        using var cmd = Cmd(c, "SELECT w.id, w.name FROM workspaces w JOIN memberships m ON m.workspace_id=w.id WHERE m.user_id=$u ORDER BY w.id", ("$u", userId));
        using var r = cmd.ExecuteReader();
        var list = new List<Workspace>();
        while (r.Read()) list.Add(new Workspace(r.GetInt64(0), r.GetString(1)));
        return list;
    }

    public bool IsMember(long userId, long workspaceId)
    {
        using var c = Open();
        using var cmd = Cmd(c, "SELECT 1 FROM memberships WHERE user_id=$u AND workspace_id=$w", ("$u", userId), ("$w", workspaceId));
        return cmd.ExecuteScalar() != null;
    }

    public void AddDocument(long workspaceId, string jobId, string name, string path, long size)
    {
        using var c = Open();
        using var cmd = Cmd(c, "INSERT INTO documents(workspace_id, job_id, name, path, size, created) VALUES($w, $j, $n, $p, $s, $t)",
            ("$w", workspaceId), ("$j", jobId), ("$n", name), ("$p", path), ("$s", size), ("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        cmd.ExecuteNonQuery();
    }
}
