using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Engine.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Doppel.Server;

/// <summary>The server refuses to start; the message is one line saying what to do.</summary>
public sealed class ServerStartException(string message) : Exception(message);

/// <summary>Builds the web application: API under /api/v1, /health, /openapi/v1.json, the worker pool.</summary>
public static partial class DoppelServer
{
    public const string UserKey = "doppel.user";

    /// <exception cref="ServerStartException">No users yet and no admin password given.</exception>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var server = new ServerContext(options);
        ReserveThreads(options);
        if (server.Store.UserCount() == 0)
        {
            if (string.IsNullOrEmpty(options.AdminPassword))
                throw new ServerStartException($"no users yet: set {ServerOptions.AdminPasswordVariable} to create user 'admin' on first start, e.g. {ServerOptions.AdminPasswordVariable}='a long passphrase' doppel serve");
            var admin = server.Store.CreateUser("admin", options.AdminPassword, admin: true)!;
            server.Store.CreateWorkspace("admin", admin.Id);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // Request logging is off: a logged header would carry the bearer token.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            k.AddServerHeader = false;
        });
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes);
        builder.Services.AddSingleton(server);
        builder.Services.AddHostedService<JobWorker>();
        builder.Services.AddOpenApi();
        builder.Services.AddRequestTimeouts(t => t.DefaultPolicy = new() { Timeout = TimeSpan.FromMinutes(5) });
        builder.Services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.AddPolicy("login", ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Use(SecurityHeaders);
        app.Use((ctx, next) => UploadLimit(ctx, next, options.MaxUploadBytes));
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.MapOpenApi();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        ServerUi.Map(app);
        // Reports open in the UI's iframe, which cannot send a bearer header: a link signed for one job, for a short
        // while, stands for it. Relative links inside a collection's pages keep the signed prefix.
        app.MapGet("/reports/{expires:long}/{sig}/{id}/{**page}", (long expires, string sig, string id, string page, HttpContext http, ServerContext s) =>
        {
            if (expires < DateTimeOffset.UtcNow.ToUnixTimeSeconds() ||
                !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sig), Encoding.ASCII.GetBytes(Sign(s, id, expires))))
                return Error(403, "this report link has expired: open the report again");
            return s.Jobs.Get(id) is { Status: JobStatus.Done } job ? ServeReport(id, page, http, s) : Error(404, "no such report");
        }).WithMetadata(new AnonymousRoute());

        var api = app.MapGroup("/api/v1");
        api.MapPost("/tokens", (LoginRequest req, ServerContext s) =>
            s.Store.Login(req.Username ?? "", req.Password ?? "") is { } t
                ? Results.Ok(new { token = t.Token, expires = t.Expires })
                : Results.Json(new ApiError("wrong username or password"), statusCode: 401))
            .RequireRateLimiting("login").WithMetadata(new AnonymousRoute());

        var authed = api.MapGroup("").AddEndpointFilter(Authenticate);
        MapAccount(authed);
        MapSources(authed);
        MapJobs(authed, "checks", "check");
        MapJobs(authed, "collections", "cross");
        return app;
    }

    /// <summary>Workers, their lease timers and requests block on the stores' I/O (SQLite, Redis): enough pool threads
    /// from the start that a busy worker pool does not leave requests waiting for the pool to grow.</summary>
    private static void ReserveThreads(ServerOptions options)
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * options.Workers + 16), io);
    }

    /// <summary>A worker (<c>doppel worker</c>): the worker pool on the shared jobs of <see cref="ServerOptions.Jobs"/>,
    /// no web server.</summary>
    public static IHost BuildWorker(ServerOptions options)
    {
        var server = new ServerContext(options, web: false);
        ReserveThreads(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddSingleton(server);
        builder.Services.AddHostedService<JobWorker>();
        return builder.Build();
    }

    /// <summary>Marks the routes that need no token (the test enumerating every route reads it).</summary>
    public sealed class AnonymousRoute;

    public sealed record LoginRequest(string? Username, string? Password);
    public sealed record ApiError(string Error);
    public sealed record NewUser(string? Username, string? Password, bool Admin = false);
    public sealed record NewWorkspace(string? Name);
    public sealed record NewMember(string? Username);

    private static ValueTask<object?> Authenticate(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        var http = ctx.HttpContext;
        string header = http.Request.Headers.Authorization.ToString();
        var server = http.RequestServices.GetRequiredService<ServerContext>();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || server.Store.Authenticate(header[7..].Trim()) is not { } user)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return ValueTask.FromResult<object?>(Results.Json(new ApiError("sign in first: POST /api/v1/tokens"), statusCode: 401));
        }
        http.Items[UserKey] = user;
        return next(ctx);
    }

    private static User Me(HttpContext http) => (User)http.Items[UserKey]!;

    private static IResult Error(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    private static void MapAccount(RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) => Results.Ok(Me(http)));
        api.MapDelete("/tokens", (HttpContext http, ServerContext s) =>
        {
            s.Store.Revoke(http.Request.Headers.Authorization.ToString()[7..].Trim());
            return Results.NoContent();
        });
        api.MapGet("/users", (HttpContext http, ServerContext s) => Me(http).Admin ? Results.Ok(s.Store.Users()) : Error(403, "admins only"));
        api.MapPost("/users", (NewUser u, HttpContext http, ServerContext s) =>
        {
            if (!Me(http).Admin) return Error(403, "admins only");
            if (string.IsNullOrWhiteSpace(u.Username) || u.Username.Length > 64 || (u.Password?.Length ?? 0) < 8)
                return Error(400, "a username (at most 64 characters) and a password of at least 8 characters are needed");
            if (s.Store.CreateUser(u.Username.Trim(), u.Password!, u.Admin) is not { } created) return Error(409, $"user {u.Username} exists");
            s.Store.CreateWorkspace(created.Name, created.Id);
            return Results.Created($"/api/v1/users/{created.Name}", created);
        });
        api.MapDelete("/users/{name}", (string name, HttpContext http, ServerContext s) =>
        {
            if (!Me(http).Admin) return Error(403, "admins only");
            if (name == Me(http).Name) return Error(400, "you cannot delete yourself");
            return s.Store.DeleteUser(name) ? Results.NoContent() : Error(404, $"no user {name}");
        });
        api.MapGet("/workspaces", (HttpContext http, ServerContext s) => Results.Ok(s.Store.WorkspacesOf(Me(http).Id)));
        api.MapPost("/workspaces", (NewWorkspace w, HttpContext http, ServerContext s) =>
        {
            if (string.IsNullOrWhiteSpace(w.Name) || w.Name.Length > 100) return Error(400, "a workspace needs a name of at most 100 characters");
            var created = s.Store.CreateWorkspace(w.Name.Trim(), Me(http).Id);
            return Results.Created($"/api/v1/workspaces/{created.Id}", created);
        });
        api.MapPost("/workspaces/{id:long}/members", (long id, NewMember m, HttpContext http, ServerContext s) =>
        {
            if (!s.Store.IsMember(Me(http).Id, id)) return Error(404, "no such workspace");
            if (s.Store.FindUser(m.Username ?? "") is not { } user) return Error(404, $"no user {m.Username}");
            s.Store.AddMember(id, user.Id);
            return Results.NoContent();
        });
    }

    private static void MapSources(RouteGroupBuilder api)
    {
        api.MapGet("/sources", (ServerContext s) => Results.Ok(s.Index.Exists
            ? s.Index.List().Select(d => new { id = d.Id, title = d.Title, aliases = d.Aliases })
            : []));
        api.MapPost("/sources", async (HttpRequest req, ServerContext s, CancellationToken ct) =>
        {
            var form = await req.ReadFormAsync(ct);
            var stored = await s.Uploads.SaveAsync(form.Files.GetFiles("files"), ct);
            var docs = JobWorker.Sources(s, stored);
            IndexAddResult added;
            lock (s.IndexWrite) added = s.Index.Add(docs, cancellationToken: CancellationToken.None);
            return Results.Ok(new
            {
                stored = added.Stored, added = added.Count(AddOutcome.Added), replaced = added.Count(AddOutcome.Replaced),
                unchanged = added.Count(AddOutcome.Unchanged), skipped = added.Skipped.Select(k => new { path = k.Path, reason = k.Message }),
            });
        }).DisableAntiforgery();
        api.MapDelete("/sources/{**id}", (string id, ServerContext s) =>
        {
            if (!s.Index.Exists) return Error(404, $"no source {id}");
            IndexRemoveResult removed;
            lock (s.IndexWrite) removed = s.Index.Remove([id]);
            return removed.Removed.Count == 1 ? Results.NoContent() : Error(404, $"no source {id}");
        });
    }

    private static void MapJobs(RouteGroupBuilder api, string route, string kind)
    {
        api.MapPost($"/{route}", async (HttpRequest req, HttpContext http, ServerContext s, CancellationToken ct) =>
        {
            var form = await req.ReadFormAsync(ct);
            var me = Me(http);
            long workspace;
            if (form.TryGetValue("workspace", out var w) && w.Count > 0)
            {
                if (!long.TryParse(w[0], out workspace) || !s.Store.IsMember(me.Id, workspace)) return Error(404, "no such workspace");
            }
            else if (s.Store.WorkspacesOf(me.Id) is [var first, ..]) workspace = first.Id;
            else return Error(400, "create a workspace first");
            var files = kind == "check" ? form.Files.GetFiles("file") : form.Files.GetFiles("files");
            if (kind == "check" && files.Count != 1) return Error(400, "a check takes one file, in field 'file'");
            var stored = await s.Uploads.SaveAsync(files, ct);
            if (kind == "check" && stored.Count != 1) return Error(400, "a check takes one document; upload a zip as a collection");
            bool store = kind == "check" && form.TryGetValue("store", out var st) && st.ToString() is "true" or "1" or "on";
            string id = s.Jobs.Enqueue(kind, s.OwnerOf(workspace), JsonSerializer.Serialize(new JobPayload(workspace, stored, store)));
            foreach (var f in stored) s.Store.AddDocument(workspace, id, f.Name, f.Path, f.Size);
            s.Signal();
            return Results.Json(new { id }, statusCode: 202);
        }).DisableAntiforgery();

        api.MapGet($"/{route}", (long? workspace, HttpContext http, ServerContext s) =>
        {
            var mine = s.Store.WorkspacesOf(Me(http).Id).Select(x => x.Id).ToHashSet();
            if (workspace is { } ws && !mine.Contains(ws)) return Error(404, "no such workspace");
            IEnumerable<JobRecord> jobs = workspace is { } one ? s.Jobs.List(s.OwnerOf(one), 500) : mine.SelectMany(o => s.Jobs.List(s.OwnerOf(o), 500)).OrderByDescending(j => j.Created);
            return Results.Ok(jobs.Where(j => j.Kind == kind).Select(j => Summary(j, s)));
        });

        api.MapGet($"/{route}/{{id}}", (string id, HttpContext http, ServerContext s) =>
        {
            if (Visible(id, kind, http, s) is not { } job) return Error(404, $"no {kind} {id}");
            using var report = job.Result is { } r ? JsonDocument.Parse(r) : null;
            return Results.Json(new JobView(Summary(job, s), report?.RootElement.Clone()));
        });

        api.MapDelete($"/{route}/{{id}}", (string id, HttpContext http, ServerContext s) =>
        {
            if (Visible(id, kind, http, s) is null) return Error(404, $"no {kind} {id}");
            return s.Jobs.Cancel(id) ? Results.Accepted() : Error(409, "the job has finished");
        });

        api.MapGet($"/{route}/{{id}}/link", (string id, HttpContext http, ServerContext s) =>
        {
            if (Visible(id, kind, http, s) is not { } job) return Error(404, $"no {kind} {id}");
            if (job.Status != JobStatus.Done) return Error(409, $"the {kind} is {job.Status.ToString().ToLowerInvariant()}");
            long expires = DateTimeOffset.UtcNow.Add(LinkLifetime).ToUnixTimeSeconds();
            return Results.Ok(new { url = $"/reports/{expires}/{Sign(s, id, expires)}/{id}/{(kind == "check" ? "report.html" : "index.html")}" });
        });
        api.MapGet($"/{route}/{{id}}/report.html", (string id, HttpContext http, ServerContext s) => ReportFile(id, kind, kind == "check" ? "report.html" : "index.html", http, s));
        if (kind == "cross")
            api.MapGet($"/{route}/{{id}}/pages/{{**page}}", (string id, string page, HttpContext http, ServerContext s) => ReportFile(id, kind, page, http, s));
    }

    public sealed record JobSummary(string Id, string Kind, long Workspace, string Status, string? Error, string? Stage, int Done, int Total,
        int Attempts, DateTimeOffset Created, DateTimeOffset? Finished, IReadOnlyList<string> Documents, double? Share);

    public sealed record JobView(JobSummary Job, JsonElement? Report)
    {
        public string Id => Job.Id;
        public string Status => Job.Status;
        public string? Error => Job.Error;
    }

    private static JobSummary Summary(JobRecord j, ServerContext s)
    {
        var payload = JsonSerializer.Deserialize<JobPayload>(j.Payload)!;
        double? share = null;
        if (j.Kind == "check" && j.Result != null)
        {
            using var doc = JsonDocument.Parse(j.Result);
            if (doc.RootElement.TryGetProperty("coverage", out var v) && v.ValueKind == JsonValueKind.Number) share = v.GetDouble();
        }
        return new JobSummary(j.Id, j.Kind, payload.Workspace, j.Status.ToString().ToLowerInvariant(), j.Error, j.Stage, j.ProgressDone, j.ProgressTotal,
            j.Attempts, j.Created, j.Finished, payload.Files.Select(f => f.Name).ToList(), share);
    }

    /// <summary>The job when it is of this kind and in one of the caller's workspaces; else null (404: whether a job
    /// of another workspace exists is not told).</summary>
    private static JobRecord? Visible(string id, string kind, HttpContext http, ServerContext s)
    {
        var job = s.Jobs.Get(id);
        if (job == null || job.Kind != kind || s.WorkspaceOf(job) is not { } ws || !s.Store.IsMember(Me(http).Id, ws)) return null;
        return job;
    }

    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(30);

    private static string Sign(ServerContext s, string id, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(s.LinkKey, Encoding.UTF8.GetBytes($"{id}|{expires}")));

    private static IResult ReportFile(string id, string kind, string page, HttpContext http, ServerContext s)
    {
        if (Visible(id, kind, http, s) is not { } job) return Error(404, $"no {kind} {id}");
        if (job.Status != JobStatus.Done) return Error(409, $"the {kind} is {job.Status.ToString().ToLowerInvariant()}");
        return ServeReport(id, page, http, s);
    }

    private static IResult ServeReport(string id, string page, HttpContext http, ServerContext s)
    {
        // The store refuses a path that would leave the job's folder (.., empty or absolute segments): 404.
        if (s.Files.ReadText(JobWorker.ReportPath(id, page)) is not { } html) return Error(404, "no such page");
        http.Response.Headers.ContentSecurityPolicy = ReportPolicy(html);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The report runs inline scripts (its toggles, the side-by-side view) and sets colours in style
    /// attributes: only those scripts are allowed, by hash; nothing is loaded from anywhere.</summary>
    internal static string ReportPolicy(string html)
    {
        var hashes = InlineScript().Matches(html)
            .Select(m => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value))) + "'")
            .Distinct();
        return $"default-src 'none'; script-src {string.Join(' ', hashes)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
    }

    [GeneratedRegex(@"<script(?![^>]*application/json)[^>]*>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    private static async Task SecurityHeaders(HttpContext ctx, Func<Task> next)
    {
        var h = ctx.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.XFrameOptions = "SAMEORIGIN";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
        h.CacheControl = "no-store";
        await next();
    }

    /// <summary>413 before the body is read when it declares itself too large; a body without a length is stopped by
    /// Kestrel's limit (and the form reader's) as it comes.</summary>
    private static async Task UploadLimit(HttpContext ctx, Func<Task> next, long max)
    {
        if (ctx.Request.ContentLength > max)
        {
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await ctx.Response.WriteAsJsonAsync(new ApiError($"upload too large: limit is {max / (1024 * 1024)} MB (--max-upload-mb)"));
            return;
        }
        try { await next(); }
        catch (Exception e) when (!ctx.Response.HasStarted && (e is Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 } || e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
        {
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await ctx.Response.WriteAsJsonAsync(new ApiError($"upload too large: limit is {max / (1024 * 1024)} MB (--max-upload-mb)"));
        }
        catch (UploadException e) when (!ctx.Response.HasStarted)
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            await ctx.Response.WriteAsJsonAsync(new ApiError(e.Message));
        }
        catch (Exception e) when (!ctx.Response.HasStarted && e is IndexException or JobStoreException)
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await ctx.Response.WriteAsJsonAsync(new ApiError(Skips.OneLine(e.Message)));
        }
    }
}
