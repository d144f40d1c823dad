using System.Text.Json;
using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>What real citizens sent that the report dialog once got wrong: questions that never ended, yes that meant
/// yes at one step only, a greeting taken as the patient, a NIK typed into another answer.</summary>
public sealed class DialogEngineTrustTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));
    private readonly DialogEngine _engine = new(new FlowSet([ShippedFlow.LaporSakit], "lapor-sakit"), ShippedFlow.Protector);

    private DialogStep Say(DialogStep previous, string text) => _engine.Resume(previous.Session, new DialogInput(text), Now);

    private static string Reply(DialogStep step) => string.Join("\n", step.Events.OfType<MessageCreated>().Select(m => m.Text));

    private DialogStep Answers(params string[] texts)
    {
        var step = _engine.Start(new DialogInput("halo"), "id", Now);
        foreach (var text in texts) step = Say(step, text);
        return step;
    }

    private DialogStep AtConfirm() => Answers("Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "2,5");

    [TestCase("ya betul")]
    [TestCase("iya sudah benar")]
    [TestCase("👍")]
    [TestCase("nggih leres")]
    [TestCase("ok sip")]
    public void Confirm_YesPhrases_CreateTheCase(string yes) =>
        Assert.That(Say(AtConfirm(), yes).Events.OfType<CaseRequested>(), Has.Exactly(1).Items);

    [TestCase("ya betul")]
    [TestCase("👍")]
    public void Emergency_TheSameYesPhrases_AreYes(string yes)
    {
        var step = Say(Answers("Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "1"), yes);

        Assert.That(step.Session.Answers["emergency"].Keys, Is.EqualTo(new[] { "yes" }));
    }

    [Test]
    public void Confirm_AnswersItCannotUse_EndWithAnOfficerAfterTheLimit()
    {
        var step = AtConfirm();
        for (var i = 0; i < 2; i++)
        {
            step = Say(step, "hmm gimana ya");
            Assert.That(Reply(step), Does.Contain("BATAL"), "the re-ask names the way out");
        }
        step = Say(step, "hmm gimana ya");

        Assert.That(step.Session.Status, Is.EqualTo(SessionStatus.Handoff));
        var handoff = step.Events.OfType<HandoffRequested>().Single();
        Assert.That(handoff.StepId, Is.EqualTo("confirm"));
        Assert.That(handoff.Draft.PatientName, Is.EqualTo("Siti Aminah"), "the officer gets what was answered");
    }

    [Test]
    public void Emergency_AnswersItCannotUse_GoOnToTheSummaryAfterTheLimit()
    {
        var step = Answers("Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "1");
        for (var i = 0; i < 3; i++) step = Say(step, "waduh");

        Assert.That(step.Session.StepId, Is.EqualTo("confirm"));
        Assert.That(step.Session.Answers["emergency"].Skipped, Is.True);
    }

    [Test]
    public void Emergency_DontKnow_IsAnAnswer() =>
        Assert.That(Say(Answers("Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "1"), "tidak tahu").Session.StepId, Is.EqualTo("confirm"));

    [Test]
    public void EditMenu_NumbersItCannotUse_EndWithAnOfficer()
    {
        var step = Say(AtConfirm(), "ubah");
        for (var i = 0; i < 3; i++) step = Say(step, "yang itu");

        Assert.That(step.Session.Status, Is.EqualTo(SessionStatus.Handoff));
    }

    [TestCase("lupa NIK-nya")]
    [TestCase("belum tahu nik nya")]
    [TestCase("gak tau, ktp hilang")]
    public void Nik_DontKnowWithTrailingWords_IsTakenAsUnknown(string text)
    {
        var step = Say(Answers("Siti Aminah"), text);

        Assert.That(step.Session.StepId, Is.EqualTo("address"));
        Assert.That(step.Session.Answers["nik"].Flags, Does.Contain("needs_documents"));
    }

    [TestCase("halo")]
    [TestCase("Assalamualaikum")]
    [TestCase("selamat pagi bu")]
    [TestCase("batal dong")]
    [TestCase("status laporan saya")]
    public void Name_AGreetingOrAGlobalWord_IsNeverThePatient(string text)
    {
        var step = Say(_engine.Start(new DialogInput("halo"), "id", Now), text);

        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
        Assert.That(step.Session.Answers, Does.Not.ContainKey("patient_name"));
    }

    [Test]
    public void Name_WithANik_TakesTheNikAndAsksForTheNameAlone()
    {
        var step = Say(_engine.Start(new DialogInput("halo"), "id", Now), "Siti 3302014506850003");

        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
        Assert.That(Reply(step), Does.Contain("3302********0003").And.Contains("Siapa nama"));
        Assert.That(step.StoredInput, Is.EqualTo("Siti 3302********0003"));

        step = Say(step, "Siti Aminah");
        Assert.That(step.Session.StepId, Is.EqualTo("address"), "the NIK question is not asked again");
        Assert.That(step.Session.Answers["patient_name"].Display, Is.EqualTo("Siti Aminah"));
        Assert.That(step.Session.Answers["nik"].Nik?.Masked, Is.EqualTo("3302********0003"));
        Assert.That(JsonSerializer.Serialize(step.Session), Does.Not.Contain("3302014506850003"));
    }

    [Test]
    public void Name_WithAPhoneNumber_AsksForTheNameAlone()
    {
        var step = Say(_engine.Start(new DialogInput("halo"), "id", Now), "Siti hp 081234567890");

        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
        Assert.That(Reply(step), Does.Contain("tanpa NIK atau nomor HP"));
    }

    [Test]
    public void Address_WithANik_KeepsTheAddressAndTakesTheNik()
    {
        var step = Say(Answers("Siti Aminah", "tidak tahu"), "Ds Karangrau RT 2/3 Kec Sokaraja nik 3302014506850003");

        Assert.That(step.Session.StepId, Is.EqualTo("needs"));
        Assert.That(step.Session.Answers["address"].Display, Does.Not.Contain("3302014506850003").And.Not.Contain("****"));
        Assert.That(step.Session.Answers["nik"].Nik?.Masked, Is.EqualTo("3302********0003"));
        Assert.That(step.Session.Answers["nik"].Flags, Does.Not.Contain("needs_documents"));
    }

    [Test]
    public void EveryAskingStep_OfTheShippedFlows_HasALimit()
    {
        foreach (var flow in new[] { ShippedFlow.LaporSakit, ShippedFlow.Load("pantau-tetangga.yaml") })
            foreach (var step in flow.Steps.Where(s => !s.IsAction))
                Assert.That(step is { MaxAttempts: not null, OnFail: not null }, $"{flow.Id}/{step.Id}");
    }

    [TestCase("ya, ubah alamatnya")]
    [TestCase("ok ganti nama")]
    public void Confirm_YesWithAnotherAnswersWord_IsNotAConfirmation(string text) =>
        Assert.That(Say(AtConfirm(), text).Events.OfType<CaseRequested>(), Is.Empty);

    [Test]
    public void YesNo_DontKnowAtAStepWithoutUnknown_IsAskedAgainNotTakenAsNo()
    {
        var engine = new DialogEngine(new FlowSet([ShippedFlow.Load("pantau-tetangga.yaml")], "pantau-tetangga"), ShippedFlow.Protector);
        var step = engine.Start(new DialogInput("pantau"), "id", Now);
        foreach (var text in new[] { "Mbah Karsih", "1", "gak tau" }) step = engine.Resume(step.Session, new DialogInput(text), Now);

        Assert.That(step.Session.StepId, Is.EqualTo("alone"));
        Assert.That(step.Session.Answers, Does.Not.ContainKey("alone"));
    }

    [Test]
    public void Nik_DontKnowFollowedByTheNik_TakesTheNik()
    {
        var step = Say(Answers("Siti Aminah"), "KTP hilang. NIK 3302014506850003");

        Assert.That(step.Session.Answers["nik"].Nik?.Masked, Is.EqualTo("3302********0003"));
        Assert.That(step.Session.Answers["nik"].Flags, Does.Not.Contain("needs_documents"));
    }

    [TestCase("Balik Bukit, Liwa, Lampung Barat")]
    [TestCase("Siang Gantung RT 1, Kalsel")]
    [TestCase("lupa rt-nya, karangrau sokaraja")]
    public void Address_PlacesThatStartLikeAWord_AreAddresses(string text)
    {
        var step = Say(Answers("Siti Aminah", "tidak tahu"), text);

        Assert.That(step.Session.Answers["address"].Unknown, Is.False);
        Assert.That(step.Session.Answers["address"].Display, Does.StartWith(text[..5]));
    }
}
