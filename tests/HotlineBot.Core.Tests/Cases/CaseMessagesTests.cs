using HotlineBot.Core.Cases;
using HotlineBot.Core.Sms;

namespace HotlineBot.Core.Tests.Cases;

public sealed class CaseMessagesTests
{
    [Test]
    public void OfficerAlert_WithTheDashboardAddress_LinksTheCase_InOneSms()
    {
        var text = CaseMessages.OfficerAlert("4821", ["ambulance", "food"], "belum diterima mitra", "https://hotline.dinsos.example.go.id/kasus/4821");
        Assert.That(text, Is.EqualTo("HOTLINE: kasus 4821 perlu petugas (belum diterima mitra): ambulans, makanan. Cek https://hotline.dinsos.example.go.id/kasus/4821."));
        Assert.That(SmsSegments.Count(text), Is.EqualTo(1));
    }

    [Test]
    public void OfficerAlert_WithoutIt_PointsToTheDashboard() =>
        Assert.That(CaseMessages.OfficerAlert("4821", ["ambulance"], "mitra belum tiba"), Is.EqualTo("HOTLINE: kasus 4821 perlu petugas (mitra belum tiba): ambulans. Cek dasbor."));
}
