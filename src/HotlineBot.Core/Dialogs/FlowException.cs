namespace HotlineBot.Core.Dialogs;

/// <summary>A flow file that cannot run; the message names the file, line and step.</summary>
public sealed class FlowException(string message) : Exception(message);
