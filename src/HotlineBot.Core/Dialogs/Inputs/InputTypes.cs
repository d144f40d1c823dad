using System.Collections.Frozen;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary>The registry of input types, keyed by the name used in flow files.</summary>
public static class InputTypes
{
    public static readonly FrozenDictionary<string, IInputType> All = new IInputType[]
    {
        new TextInput(), new NikInput(), new PhoneInput(), new NumberInput(), new ChoiceInput(), new MultiChoiceInput(),
        new YesNoInput(), new AddressInput(),
    }.ToFrozenDictionary(t => t.Name);
}
