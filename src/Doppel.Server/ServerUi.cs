using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Doppel.Server;

/// <summary>The web UI: three static files embedded in the assembly (Ui/), no build step, nothing from elsewhere.</summary>
internal static class ServerUi
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    private static Dictionary<string, (byte[], string)> Load()
    {
        var asm = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string name in new[] { "index.html", "app.js", "app.css" })
        {
            using var s = asm.GetManifestResourceStream("Doppel.Server.Ui." + name) ?? throw new InvalidOperationException($"UI file {name} not embedded");
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            string type = Path.GetExtension(name) switch { ".html" => "text/html; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => "text/css; charset=utf-8" };
            files[name] = (ms.ToArray(), type);
        }
        return files;
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Serve("index.html"));
        app.MapGet("/ui/{name}", (string name) => Files.ContainsKey(name) ? Serve(name) : Results.NotFound());
    }

    private static IResult Serve(string name) => Results.Bytes(Files[name].Content, Files[name].Type);
}
