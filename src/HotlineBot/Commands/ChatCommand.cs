using System.Globalization;
using System.Net.Http.Json;
using HotlineBot.Channels.Simulator;

namespace HotlineBot.Commands;

/// <summary>
/// <c>chat [--url http://127.0.0.1:5199] [--from 081234567890]</c>: talk to a running hotline as a citizen. Each line
/// is posted to the simulator webhook, which runs the same pipeline as Twilio, and the replies are printed.
/// </summary>
public static class ChatCommand
{
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var url = Option(args, "--url") ?? "http://127.0.0.1:5199";
        var from = Option(args, "--from") ?? "081200000001";
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri(url);
        await output.WriteLineAsync($"Chatting with {url} as {from}. Type a message; an empty line or Ctrl-D ends.");
        using var stop = new CancellationTokenSource();
        var seen = 0L;
        var gate = new SemaphoreSlim(1, 1);
        // Messages the hotline sends on its own (reminders, case updates) arrive through the outbox: poll for them.
        async Task ShowSentAsync(bool print = true)
        {
            await gate.WaitAsync(stop.Token);
            try
            {
                var path = $"/simulator/messages?from={Uri.EscapeDataString(from)}&after={seen.ToString(CultureInfo.InvariantCulture)}";
                var sent = await http.GetFromJsonAsync(new Uri(path, UriKind.Relative), SimulatorJson.Default.ListSimulatorSent, stop.Token) ?? [];
                foreach (var message in sent)
                {
                    seen = Math.Max(seen, message.Id);
                    if (print) await output.WriteLineAsync("bot> " + message.Body.Replace("\n", "\n     ", StringComparison.Ordinal));
                }
            }
            finally
            {
                gate.Release();
            }
        }
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(3), stop.Token);
                    await ShowSentAsync();
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    // the hotline is restarting: the next poll tries again
                }
            }
        });
        try
        {
            await ShowSentAsync(print: false);   // learn where the outbox stands: earlier messages are not shown again
        }
        catch (HttpRequestException e)
        {
            await output.WriteLineAsync($"! cannot reach {url}: {e.Message}. Is the hotline running (dotnet run --project src/HotlineBot)?");
            await stop.CancelAsync();
            return 1;
        }
        while (await input.ReadLineAsync() is { Length: > 0 } line)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["from"] = from, ["text"] = line, ["id"] = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture),
            });
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(new Uri("/simulator/messages", UriKind.Relative), form);
            }
            catch (HttpRequestException e)
            {
                await output.WriteLineAsync($"! cannot reach {url}: {e.Message}. Is the hotline running (dotnet run --project src/HotlineBot)?");
                await stop.CancelAsync();
                return 1;
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    await output.WriteLineAsync($"! {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }
                var reply = await response.Content.ReadFromJsonAsync(SimulatorJson.Default.SimulatorReply);
                foreach (var text in reply?.Replies ?? [])
                    await output.WriteLineAsync("bot> " + text.Replace("\n", "\n     ", StringComparison.Ordinal));
            }
        }
        await stop.CancelAsync();
        await poller;
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
