namespace HotlineBot.Dashboard;

/// <summary>
/// Tells open dashboard pages that something they show may have changed (a message in, a case created or moved, an
/// outbox row sent), so they re-read the database without a reload. Cheap when nobody listens: one null check on the
/// webhook path. In one process only; the pages also re-read on a timer, for changes made by another instance.
/// </summary>
public sealed class LiveUpdates
{
    public event Action? Changed;

    public void Publish() => Changed?.Invoke();
}
