using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>The flow language's behaviour over the shipped flow: branches, fallbacks and the global words.</summary>
public sealed class DialogEngineFlowLanguageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));
    private readonly DialogEngine _engine = new(new FlowSet([ShippedFlow.LaporSakit], "lapor-sakit"), ShippedFlow.Protector);

    private DialogStep Run(params string[] messages)
    {
        DialogStep? step = null;
        foreach (var text in messages) step = _engine.Handle(step?.Session, new DialogInput(text), "id", Now);
        return step!;
    }

    private static string Reply(DialogStep step) => string.Join("\n", step.Events.OfType<MessageCreated>().Select(m => m.Text));

    private static readonly string[] ToNeeds = ["halo", "Siti Aminah", "3273056010900009", "Ds Karangrau RT 2/3 Kec Sokaraja"];

    [Test]
    public void Ambulance_AsksWhetherItIsAnEmergency()
    {
        var step = Run([.. ToNeeds, "1,5"]);

        Assert.That(step.Session.StepId, Is.EqualTo("emergency"));
    }

    [Test]
    public void Emergency_Yes_AdvisesRinging119AndFlagsTheCaseUrgent()
    {
        var step = Run([.. ToNeeds, "1", "ya"]);

        Assert.That(Reply(step), Does.StartWith("SEGERA telepon 119").And.Contain("Cek laporan:"));
        Assert.That(step.Session.Flags, Does.Contain("urgent"));
        var requested = Run([.. ToNeeds, "1", "ya", "ya"]).Events.OfType<CaseRequested>().Single();
        Assert.That(requested.Draft.Flags, Does.Contain("urgent"));
    }

    [Test]
    public void Emergency_No_GoesStraightToTheSummary()
    {
        var step = Run([.. ToNeeds, "1", "tidak"]);

        Assert.That(step.Session.StepId, Is.EqualTo("confirm"));
        Assert.That(step.Session.Flags, Is.Empty);
    }

    [Test]
    public void NoAmbulance_SkipsTheEmergencyQuestion() =>
        Assert.That(Run([.. ToNeeds, "2,5"]).Session.StepId, Is.EqualTo("confirm"));

    [Test]
    public void UrgentWordsAnywhere_GiveTheAdviceOnceAndAskTheSameQuestionAgain()
    {
        var step = Run("halo", "ibu saya tidak sadar");

        Assert.That(Reply(step), Does.StartWith("Jika darurat, telepon 119").And.EndWith("Siapa nama pasien/warga yang sakit?"));
        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
        Assert.That(Run("halo", "ibu saya tidak sadar", "pingsan lagi").Session.StepId, Is.EqualTo("nik"), "only once: then read as an answer");
    }

    [TestCase("tidak tahu")]
    [TestCase("TIDAK TAHU")]
    [TestCase("gak tau")]
    [TestCase("tdk punya")]
    [TestCase("Tidak punya.")]
    [TestCase("ktp hilang")]
    public void NikUnknown_IsAcceptedAndFlaggedForDocuments(string typed)
    {
        var answer = Run("halo", "Siti", typed).Session.Answers["nik"];

        Assert.That(answer.Nik, Is.Null);
        Assert.That(answer.Flags, Is.EqualTo(new[] { "needs_documents" }));
        Assert.That(answer.Display, Does.StartWith("tidak tahu"));
    }

    [Test]
    public void UrgentWordsInTheFirstMessage_GiveTheAdviceBeforeTheGreeting()
    {
        var step = Run("tolong, ibu saya pingsan");

        Assert.That(Reply(step), Does.StartWith("Jika darurat, telepon 119").And.Contain("Hotline Dinsos").And.EndWith("Siapa nama pasien/warga yang sakit?"));
        Assert.That(step.Session.Flags, Does.Contain("urgent"));
    }

    [Test]
    public void Pantau_StartsTheFlowItTriggers()
    {
        var engine = new DialogEngine(new FlowSet([ShippedFlow.LaporSakit, ShippedFlow.Load("pantau-tetangga.yaml")], "lapor-sakit"), ShippedFlow.Protector);

        var step = engine.Handle(null, new DialogInput("PANTAU"), "id", Now);

        Assert.That(step.Session.FlowId, Is.EqualTo("pantau-tetangga"));
        Assert.That(engine.Handle(null, new DialogInput("halo"), "id", Now).Session.FlowId, Is.EqualTo("lapor-sakit"));
    }

    [Test]
    public void NikFailedFiveTimes_IsSkippedAndFlaggedForDocuments()
    {
        var step = Run("halo", "Siti", "1", "2", "3", "4", "5");

        Assert.That(step.Session.StepId, Is.EqualTo("address"));
        Assert.That(step.Session.Answers["nik"].Flags, Is.EqualTo(new[] { "needs_documents" }));
        Assert.That(step.Session.Answers["nik"].Display, Is.EqualTo("(dilewati)"));
    }

    [Test]
    public void NameFailedThreeTimes_HandsOffToAnOfficer()
    {
        var step = Run("halo", "1", "2", "3");

        Assert.That(step.Session.Status, Is.EqualTo(SessionStatus.Handoff));
        Assert.That(step.Events.OfType<HandoffRequested>().Single().StepId, Is.EqualTo("patient_name"));
        Assert.That(Reply(step), Does.Contain("Petugas kami akan menghubungi"));
    }

    [Test]
    public void Kembali_GoesBackOneQuestion()
    {
        var step = Run([.. ToNeeds, "kembali"]);

        Assert.That(step.Session.StepId, Is.EqualTo("address"));
        Assert.That(Reply(step), Does.StartWith("Alamat pasien?"));
        Assert.That(Run([.. ToNeeds, "kembali", "kembali"]).Session.StepId, Is.EqualTo("nik"));
    }

    [Test]
    public void Kembali_AtTheFirstQuestion_AsksItAgain() =>
        Assert.That(Run("halo", "kembali").Session.StepId, Is.EqualTo("patient_name"));

    [Test]
    public void En_SwitchesLanguageMidReportAndIsRemembered()
    {
        var step = Run("halo", "Siti", "EN");

        Assert.That(step.Session.Language, Is.EqualTo("en"));
        Assert.That(step.Events.OfType<LanguageChanged>().Single().Language, Is.EqualTo("en"));
        Assert.That(Reply(step), Is.EqualTo("OK, we continue in English.\nPatient's NIK? (16 digits on the KTP/KK, not the KK number). If unknown, reply TIDAK TAHU"));
    }

    [Test]
    public void En_AsFirstMessage_StartsInEnglish()
    {
        var step = Run("EN");

        Assert.That(step.Session.Language, Is.EqualTo("en"));
        Assert.That(Reply(step), Does.EndWith("What is the name of the sick person?"));
    }

    [Test]
    public void Status_WithACode_AsksTheHostAndKeepsTheReportGoing()
    {
        var step = Run("halo", "Siti", "STATUS 4821");

        var asked = step.Events.OfType<StatusRequested>().Single();
        Assert.That(asked.Code, Is.EqualTo("4821"));
        Assert.That(asked.StatusLabels["new"], Is.EqualTo("diterima, sedang dicarikan mitra"));
        Assert.That(step.Session.StepId, Is.EqualTo("nik"));
        Assert.That(Reply(step), Does.StartWith("NIK pasien?"));
    }

    [TestCase("status 4821", "4821")]
    [TestCase("STATUS #4821", "4821")]
    [TestCase("cek 48 21", "4821")]
    public void Status_AsFirstMessage_StartsNoReport(string text, string code)
    {
        var step = Run(text);

        Assert.That(step.Events.OfType<StatusRequested>().Single().Code, Is.EqualTo(code));
        Assert.That(step.Session.Status, Is.Not.EqualTo(SessionStatus.Active));
    }

    [Test]
    public void Stop_OptsOutAndEndsTheReport()
    {
        var step = Run("halo", "Siti", "BERHENTI");

        Assert.That(step.Events.OfType<OptedOut>(), Has.Exactly(1).Items);
        Assert.That(step.Session.Status, Is.EqualTo(SessionStatus.Cancelled));
        Assert.That(Reply(step), Does.StartWith("Anda tidak akan menerima pesan"));
    }

    [Test]
    public void Mulai_OptsBackInAndStartsAReport()
    {
        var step = Run("STOP", "MULAI");

        Assert.That(step.Events.OfType<OptedIn>(), Has.Exactly(1).Items);
        Assert.That(step.Session.StepId, Is.EqualTo("patient_name"));
    }

    [Test]
    public void Batal_WithNothingInProgress_SaysSo() =>
        Assert.That(Reply(Run("BATAL")), Does.StartWith("Tidak ada laporan yang sedang diisi"));

    [Test]
    public void WhatsAppLocation_AnswersTheAddressWithAPosition()
    {
        var atAddress = Run("halo", "Siti", "tidak tahu");
        var step = _engine.Handle(atAddress.Session, new DialogInput("", new GeoPoint(-7.46, 109.29), "Rumah Bu Siti"), "id", Now);

        Assert.That(step.Session.Answers["address"].Display, Is.EqualTo("Rumah Bu Siti (-7.46, 109.29)"));
        Assert.That(step.Session.Answers["address"].Position, Is.EqualTo(new GeoPoint(-7.46, 109.29)));
    }

    [Test]
    public void ActionsThatLoop_StopAtTheStepLimit()
    {
        var flow = new FlowDefinition
        {
            Id = "loop",
            Steps =
            [
                new() { Id = "q", Input = "text", Ask = new() { ["id"] = "?" } },
                new() { Id = "a", Action = "say", Say = new() { ["id"] = "a" }, Next = "b" },
                new() { Id = "b", Action = "say", Say = new() { ["id"] = "b" }, Next = "a" },
            ],
        };
        var engine = new DialogEngine(new FlowSet([flow], "loop"), ShippedFlow.Protector);
        var started = engine.Handle(null, new DialogInput("hi"), "id", Now);

        Assert.That(() => engine.Handle(started.Session, new DialogInput("Siti"), "id", Now),
            Throws.TypeOf<FlowException>().With.Message.Contains("loops"));
    }
}
