using System.Text.Json;
using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Tests.Dialogs;

public sealed class DialogEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));
    private readonly DialogEngine _engine = new(new FlowSet([ShippedFlow.LaporSakit], "lapor-sakit"), ShippedFlow.Protector);

    private DialogStep Say(DialogStep previous, string text) => _engine.Resume(previous.Session, new DialogInput(text), Now);

    private static string Reply(DialogStep step) => step.Events.OfType<MessageCreated>().Single().Text;

    private DialogStep AtConfirm()
    {
        var step = _engine.Start(new DialogInput("halo"), "id", Now);
        foreach (var text in new[] { "Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja", "2,5" })
            step = Say(step, text);
        return step;
    }

    [Test]
    public void Start_GreetsAndAsksTheFirstQuestion()
    {
        var step = _engine.Start(new DialogInput("tolong tetangga saya sakit"), "id", Now);

        Assert.That(step.Started, Is.True);
        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
        Assert.That(Reply(step), Does.StartWith("Hotline Dinsos").And.EndWith("Siapa nama pasien/warga yang sakit?"));
    }

    [Test]
    public void Resume_AnswerTheStepCannotUse_ReAsksSpecificallyAndCountsTheAttempt()
    {
        var step = Say(Say(_engine.Start(new DialogInput("halo"), "id", Now), "Siti"), "12345");

        Assert.That(step.Session.StepId, Is.EqualTo("nik"));
        Assert.That(step.Session.Attempts, Is.EqualTo(1));
        Assert.That(Reply(step), Does.StartWith("NIK harus 16 angka"));
    }

    [Test]
    public void Media_SentAlongTheReport_AreKeptInOrderUpToTheLimit()
    {
        var photos = Enumerable.Range(1, 15).Select(i => $"https://api.twilio.com/m/ME{i}").ToList();
        var step = _engine.Start(new DialogInput("halo") { Media = photos[..1] }, "id", Now);
        step = _engine.Resume(step.Session, new DialogInput("") { Media = photos[1..] }, Now);         // photos alone: a re-ask
        step = _engine.Resume(step.Session, new DialogInput("Siti") { Media = photos }, Now);

        Assert.That(step.Session.StepId, Is.EqualTo("nik"));
        Assert.That(step.Session.Media, Has.Count.EqualTo(DialogSession.MaxMedia));
        Assert.That(step.Session.Media, Is.EqualTo(photos.Concat(photos).Take(DialogSession.MaxMedia)));
    }

    [Test]
    public void Resume_AllAnswers_ShowsTheSummary()
    {
        var reply = Reply(AtConfirm());

        Assert.That(reply, Does.Contain("Nama: Siti Aminah\nNIK: 3273********0009\nAlamat: Ds Karangrau RT 2/3 Kec Sokaraja\nBantuan: Biaya RS, Makanan"));
    }

    [Test]
    public void Resume_Yes_RequestsTheCaseAndCompletes()
    {
        var step = Say(AtConfirm(), "ya");

        var requested = step.Events.OfType<CaseRequested>().Single();
        Assert.That(step.Session.Status, Is.EqualTo(SessionStatus.Completed));
        Assert.That(requested.Draft.PatientName, Is.EqualTo("Siti Aminah"));
        Assert.That(requested.Draft.Nik!.Masked, Is.EqualTo("3273********0009"));
        Assert.That(requested.Draft.Needs, Is.EqualTo(new[] { "hospital_costs", "food" }));
        Assert.That(requested.Confirmation, Does.Contain("{case_code}"));
    }

    [Test]
    public void Resume_Ubah_ChangesOneAnswerAndReturnsToTheSummary()
    {
        var menu = Say(AtConfirm(), "UBAH");
        Assert.That(Reply(menu), Does.Contain("1. Nama\n2. NIK\n3. Alamat\n4. Bantuan"));

        var asked = Say(menu, "4");
        Assert.That(asked.Session.StepId, Is.EqualTo("needs"));

        var back = Say(asked, "3");
        Assert.That(back.Session.StepId, Is.EqualTo("confirm"));
        Assert.That(Reply(back), Does.Contain("Bantuan: BPJS/KIS").And.Contain("Nama: Siti Aminah"));
    }

    [Test]
    public void Resume_Batal_CancelsWithoutACase()
    {
        var step = Say(AtConfirm(), "BATAL");

        Assert.That(step.Session.Status, Is.EqualTo(SessionStatus.Cancelled));
        Assert.That(step.Events.OfType<CaseRequested>(), Is.Empty);
    }

    [Test]
    public void Resume_Ulang_StartsAFreshSession()
    {
        var step = Say(AtConfirm(), "ulang");

        Assert.That(step.Started, Is.True);
        Assert.That(step.Session.Answers, Is.Empty);
        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
    }

    [Test]
    public void Resume_Bantuan_HelpsAndRepeatsTheQuestionWithoutMoving()
    {
        var before = Say(_engine.Start(new DialogInput("halo"), "id", Now), "Siti");
        var step = Say(before, "bantuan");

        Assert.That(step.Session.StepId, Is.EqualTo("nik"));
        Assert.That(Reply(step), Does.Contain("Darurat: telepon 119").And.EndWith("balas TIDAK TAHU"));
    }

    [Test]
    public void Resume_StepThatNoLongerExists_StartsOver()
    {
        var stale = AtConfirm().Session with { StepId = "removed-step" };

        var step = _engine.Resume(stale, new DialogInput("ya"), Now);

        Assert.That(step.Started, Is.True);
    }

    [Test]
    public void Session_Serialized_HoldsNoNikDigits()
    {
        var json = JsonSerializer.Serialize(AtConfirm().Session);

        Assert.That(json, Does.Not.Contain("3273056010900009"));
        Assert.That(json, Does.Contain("3273********0009"));
    }

    [Test]
    public void StoredInput_AtTheNikStep_IsMasked()
    {
        var atNik = Say(_engine.Start(new DialogInput("halo"), "id", Now), "Siti");

        Assert.That(Say(atNik, "3273 0560 1090 0009").StoredInput, Is.EqualTo("3273********0009"));
    }

    [Test]
    public void Start_InEnglish_SpeaksEnglish() =>
        Assert.That(Reply(_engine.Start(new DialogInput("hello"), "en", Now)), Does.EndWith("What is the name of the sick person?"));
}
