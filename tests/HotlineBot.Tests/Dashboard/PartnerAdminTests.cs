using HotlineBot.Dashboard;
using HotlineBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Dashboard;

public sealed class PartnerAdminTests
{
    private HotlineHost _host = null!;
    private PartnerAdmin Admin => _host.Services.GetRequiredService<PartnerAdmin>();

    [SetUp]
    public void SetUp() => _host = new HotlineHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<IReadOnlyList<Core.Routing.Partner>> ActiveAsync() =>
        await _host.Services.GetRequiredService<Database>().WriteAsync(tx => _host.Services.GetRequiredService<PartnerStore>().ListActiveAsync(tx), CancellationToken.None);

    [Test]
    public async Task Save_BreakingTheFileRules_ListsEveryError()
    {
        var errors = await Admin.SaveAsync(new PartnerForm { Id = "Bad Id", Name = "", Kind = "volunteer", Contact = "12", Serves = "ambulance, helikopter", Areas = "99.99" }, CancellationToken.None);

        Assert.That(errors, Has.Some.Contains("must be a slug"));
        Assert.That(errors, Has.Some.Contains("name is missing"));
        Assert.That(errors, Has.Some.Contains("is not a phone number"));
        Assert.That(errors, Has.Some.Contains("need 'helikopter'"));
        Assert.That(errors, Has.Some.Contains("area '99.99'"));
        Assert.That(errors, Has.None.Contains("form:"), "no file names or line numbers for a form");
    }

    [Test]
    public async Task Save_ANewPartner_IsRoutableAndCanBeDeactivated()
    {
        var errors = await Admin.SaveAsync(new PartnerForm
        {
            Id = "relawan-kembaran", Name = "Relawan Kembaran", Kind = "volunteer", Contact = "0812-3456-7890", Serves = "food, accompaniment", Areas = "33.02.19",
        }, CancellationToken.None);
        Assert.That(errors, Is.Empty);
        var saved = (await ActiveAsync()).Single(p => p.Id == "relawan-kembaran");
        Assert.That(saved.Contact, Is.EqualTo("tel:+6281234567890"));
        Assert.That(saved.Serves, Is.EqualTo(new[] { "food", "accompaniment" }));

        Assert.That(await Admin.SetActiveAsync("relawan-kembaran", false, CancellationToken.None));
        Assert.That((await ActiveAsync()).Select(p => p.Id), Does.Not.Contain("relawan-kembaran"));
    }

    [Test]
    public async Task Import_WithAnError_ChangesNothing_AndExportRoundTrips()
    {
        var before = await ActiveAsync();
        var result = await Admin.ImportAsync("partners:\n  - id: x\n    name: X\n    kind: alien\n", "upload.yaml", CancellationToken.None);
        Assert.That(result.Errors, Has.Some.StartsWith("upload.yaml:2:"));
        Assert.That(await ActiveAsync(), Is.EquivalentTo(before).Using<Core.Routing.Partner>((a, b) => a.Id == b.Id));

        await Admin.SetActiveAsync(before[0].Id, false, CancellationToken.None);
        var exported = await Admin.ExportAsync(CancellationToken.None);
        Assert.That(exported, Does.Contain("active: false"));
        var reimported = await Admin.ImportAsync(exported, "export.yaml", CancellationToken.None);
        Assert.That(reimported.Errors, Is.Empty);
        Assert.That((await ActiveAsync()).Select(p => p.Id), Is.EqualTo(before.Skip(1).Select(p => p.Id)), "the same network, the inactive one still inactive");
    }
}
