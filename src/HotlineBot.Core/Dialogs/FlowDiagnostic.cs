namespace HotlineBot.Core.Dialogs;

public enum Severity { Warning, Error }

/// <summary>One finding of the flow checker, printed as <c>file:line: step 'x': message</c>.</summary>
public sealed record FlowDiagnostic(Severity Severity, string File, int Line, string? Step, string Message)
{
    public override string ToString() =>
        $"{File}:{Line}: {(Severity == Severity.Warning ? "warning: " : "")}{(Step is null ? "" : $"step '{Step}': ")}{Message}";
}
