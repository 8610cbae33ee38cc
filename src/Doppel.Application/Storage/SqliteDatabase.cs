using Microsoft.Data.Sqlite;

namespace Doppel.Application.Storage;

/// <summary>A SQLite database file opened per operation (pooled connections): WAL mode, so readers do not wait for
/// writers, and a busy timeout, so writers on other threads or processes sharing the file wait for each other
/// instead of failing. Shared by the server's store and the embedded job queue.</summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _connectionPragmas;

    /// <param name="path">The database file (created when missing).</param>
    /// <param name="connectionPragmas">Run on every connection opened, e.g. <c>PRAGMA foreign_keys=ON;</c>.</param>
    public SqliteDatabase(string path, string connectionPragmas = "")
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _connectionPragmas = "PRAGMA busy_timeout=30000; " + connectionPragmas;
        using var c = Open();
        Exec(c, "PRAGMA journal_mode=WAL;");
    }

    public SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, _connectionPragmas);
        return c;
    }

    public static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>A command with named parameters (null becomes SQL NULL).</summary>
    public static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }
}
