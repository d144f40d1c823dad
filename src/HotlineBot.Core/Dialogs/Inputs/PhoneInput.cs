using HotlineBot.Core.Indonesia;

namespace HotlineBot.Core.Dialogs.Inputs;

/// <summary><c>phone</c>: a phone number anywhere in the text (<c>hp 0812-3456-789</c>), stored as E.164.</summary>
internal sealed class PhoneInput : IInputType
{
    public string Name => "phone";

    public InputResult Parse(StepDefinition step, DialogInput input, InputContext context)
    {
        var number = IndonesianPhone.Find(input.Text);
        return number is null ? InputResult.Fail("phone") : InputResult.Ok(new Answer(number));
    }
}
