using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HotlineBot.Tests;

/// <summary>
/// The real executable as a child process (the apphost built beside the tests), on its own SQLite file and a free
/// loopback port, in Production unless told otherwise: what an office runs, for tests of start-up, crashes and restarts.
/// </summary>
public sealed class HotlineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _err = new();

    private HotlineProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }
    public string Output { get { lock (_out) return _out.ToString(); } }
    public string Errors { get { lock (_err) return _err.ToString(); } }
    public bool HasExited => _process.HasExited;

    /// <summary>The apphost beside the tests; <c>HOTLINE_EXECUTABLE</c> points these tests at another build (an older
    /// commit's, to show a test fails there).</summary>
    public static string Executable => Environment.GetEnvironmentVariable("HOTLINE_EXECUTABLE") is { Length: > 0 } other
        ? other : Path.Combine(AppContext.BaseDirectory, "HotlineBot");

    /// <summary>The settings a production start needs (DESIGN.md §3), for a database in <paramref name="directory"/>.</summary>
    public static Dictionary<string, string?> ProductionSettings(string directory, int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["ConnectionStrings__Hotline"] = $"Data Source={Path.Combine(directory, "hotline.db")}",
        ["Hotline__FlowsPath"] = RepoFiles.Path("conversation-flows"),
        ["Hotline__PublicBaseUrl"] = HotlineHost.PublicBaseUrl,
        ["Hotline__RegencyCode"] = "33.02",
        ["Twilio__AccountSid"] = HotlineHost.AccountSid,
        ["Twilio__AuthToken"] = HotlineHost.AuthToken,
        ["Twilio__ApiBaseUrl"] = "http://127.0.0.1:9",
        ["Twilio__SmsFrom"] = "+6281100000000",
        ["Privacy__NikKey"] = HotlineHost.NikKey,
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static HotlineProcess Start(string directory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        var process = Process.Start(info)!;
        var url = environment.TryGetValue("ASPNETCORE_URLS", out var u) && u is not null ? u : "";
        var started = new HotlineProcess(process, url);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (started._out) started._out.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (started._err) started._err.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs to its exit (a command, or a start that must fail); returns the exit code.</summary>
    public static async Task<(int Code, string Output, string Errors)> RunAsync(string directory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(directory, environment, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit();      // the output handlers have run
        return (process._process.ExitCode, process.Output, process.Errors);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (or the process dies, or 60 s pass).</summary>
    public async Task WaitReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(Url + "/readyz"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        Assert.Fail($"not ready (exited: {_process.HasExited}). stderr:\n{Errors}\nstdout:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush — a power cut or the OOM killer.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
