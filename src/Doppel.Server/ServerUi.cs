using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Doppel.Server;

/// <summary>The web UI. Not written yet: the root page says where the API and its description are.</summary>
internal static class ServerUi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Content("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Doppel server</title></head>
            <body><h1>Doppel server</h1><p>The API is under <code>/api/v1</code>; its description: <a href="/openapi/v1.json">/openapi/v1.json</a>.
            See docs/server.md.</p></body></html>
            """, "text/html; charset=utf-8"));
    }
}
