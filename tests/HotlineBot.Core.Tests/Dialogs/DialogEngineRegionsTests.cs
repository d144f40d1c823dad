using HotlineBot.Core.Dialogs;
using HotlineBot.Core.Indonesia.Regions;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>Addresses resolved to a kecamatan inside the report, for an office in Kabupaten Banyumas.</summary>
public sealed class DialogEngineRegionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));
    private static readonly AddressResolver Banyumas = new(RegionIndex.Default, "33.02");
    private readonly DialogEngine _engine = new(new FlowSet([ShippedFlow.LaporSakit], "lapor-sakit"), ShippedFlow.Protector, Banyumas);

    private DialogStep Run(params string[] messages)
    {
        DialogStep? step = null;
        foreach (var text in messages) step = _engine.Handle(step?.Session, new DialogInput(text), "id", Now);
        return step!;
    }

    private static string Reply(DialogStep step) => string.Join("\n", step.Events.OfType<MessageCreated>().Select(m => m.Text));

    [Test]
    public void Address_NamingTheKecamatan_ResolvesWithoutAQuestion()
    {
        var step = Run("halo", "Siti", "tidak tahu", "ds karangrau rt2/3 kec sokaraja bms");

        Assert.That(step.Session.StepId, Is.EqualTo("needs"));
        Assert.That(step.Session.Answers["address"].Place?.DistrictCode, Is.EqualTo("33.02.19"));
    }

    [Test]
    public void Address_VillageInTwoKecamatan_AsksWhichWithANumberedList()
    {
        var step = Run("halo", "Siti", "tidak tahu", "Desa Karangrau RT 2/3");

        Assert.That(step.Session.StepId, Is.EqualTo("address"));
        Assert.That(Reply(step), Is.EqualTo(
            "Desa itu ada di beberapa tempat. Balas angkanya (0 jika tidak ada):\n1. Karangrau, Kec. Banyumas, Kab. Banyumas\n2. Karangrau, Kec. Sokaraja, Kab. Banyumas"));
    }

    [Test]
    public void Address_PickingANumber_ResolvesAndGoesOn()
    {
        var step = Run("halo", "Siti", "tidak tahu", "Desa Karangrau RT 2/3", "2");

        Assert.That(step.Session.StepId, Is.EqualTo("needs"));
        Assert.That(step.Session.Answers["address"].Place?.VillageCode, Is.EqualTo("33.02.19.2018"));
        Assert.That(step.Session.Answers["address"].Display, Is.EqualTo("Desa Karangrau RT 2/3"));
    }

    [Test]
    public void Address_NoneOfThem_KeepsTheTextAndFlagsItForTheOfficer()
    {
        var step = Run("halo", "Siti", "tidak tahu", "Desa Karangrau RT 2/3", "0");

        Assert.That(step.Session.Answers["address"].Place, Is.Null);
        Assert.That(step.Session.Answers["address"].Flags, Is.EqualTo(new[] { "address_unresolved" }));
    }

    [Test]
    public void Address_SomethingElseWhileChoosing_ShowsTheListAgain()
    {
        var step = Run("halo", "Siti", "tidak tahu", "Desa Karangrau RT 2/3", "yang dekat pasar");

        Assert.That(Reply(step), Does.StartWith("Desa itu ada di beberapa tempat"));
        Assert.That(step.Session.Pending, Has.Count.EqualTo(2));
    }

    [Test]
    public void Address_Unknown_IsAcceptedAndFlaggedForTheOfficer()
    {
        var step = Run("halo", "Siti", "tidak tahu", "kolong jembatan dekat pasar wage");

        Assert.That(step.Session.StepId, Is.EqualTo("needs"));
        Assert.That(step.Session.Answers["address"].Flags, Is.EqualTo(new[] { "address_unresolved" }));
    }

    [Test]
    public void Case_CarriesTheResolvedKecamatanNotTheNiksRegion()
    {
        // A NIK first issued in Jakarta (31.71.01), the patient now in Sokaraja: routing must follow the address.
        var step = Run("halo", "Siti", "3171015708450001", "ds karangrau kec sokaraja", "5", "ya");

        var draft = step.Events.OfType<CaseRequested>().Single().Draft;
        Assert.That(draft.DistrictCode, Is.EqualTo("33.02.19"));
        Assert.That(draft.VillageCode, Is.EqualTo("33.02.19.2018"));
    }

    [Test]
    public void Nik_WithAnUnknownKecamatanCode_IsAcceptedAndFlagged()
    {
        var step = Run("halo", "Siti", "3302990101900001");

        Assert.That(step.Session.StepId, Is.EqualTo("address"));
        Assert.That(step.Session.Answers["nik"].Flags, Is.EqualTo(new[] { "nik_region_unknown" }));
    }

    [Test]
    public void Nik_WithALegacyPapuaCode_IsNotFlagged() =>
        Assert.That(Run("halo", "Siti", "9101011708450001").Session.Answers["nik"].Flags, Is.Empty);
}
