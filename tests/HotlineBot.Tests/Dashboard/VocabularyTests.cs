using System.Text.RegularExpressions;
using HotlineBot.Core.Cases;
using HotlineBot.Core.Commands;
using HotlineBot.Core.Routing;
using HotlineBot.Dashboard;

namespace HotlineBot.Tests.Dashboard;

/// <summary>
/// Every key the code stores — case statuses, event kinds, audit actions, message kinds and states, partner kinds,
/// roles — has an officer's label in both resource files. The keys are read from the source itself, so a new audit
/// action or event kind without a label fails here, not on an officer's screen.
/// </summary>
public sealed partial class VocabularyTests
{
    private static string Source(params string[] path) => File.ReadAllText(RepoFiles.Path(["src", .. path]));

    private static IEnumerable<string> AllSource() =>
        Directory.EnumerateFiles(RepoFiles.Path("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    private static IEnumerable<string> Literals(IEnumerable<string> arguments) =>
        arguments.SelectMany(a => Literal().Matches(a).Select(m => m.Groups[1].Value)).Distinct();

    private static void AssertLabelled(string group, IEnumerable<string> keys)
    {
        var list = keys.ToList();
        Assert.That(list, Is.Not.Empty, group);
        foreach (var lang in new[] { "id", "en" })
            foreach (var key in list)
                Assert.That(Vocabulary.Find(group, key, lang), Is.Not.Null.And.Not.Empty, $"{group}.{key} has no {lang} label");
    }

    [Test]
    public void BothLanguages_HaveTheSameKeys() =>
        Assert.That(Vocabulary.All("en").Keys.Order(StringComparer.Ordinal), Is.EqualTo(Vocabulary.All("id").Keys.Order(StringComparer.Ordinal)));

    [Test]
    public void CaseStatuses() =>
        AssertLabelled("status", typeof(CaseStatus).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!));

    [Test]
    public void DeadlinesAndTheirDueWording()
    {
        AssertLabelled("deadline", ["accept", "arrive", "resolve"]);
        AssertLabelled("due", ["accept", "arrive", "resolve"]);
    }

    [Test]
    public void EventKinds_EveryOneTheCodeRecords()
    {
        var all = string.Join('\n', AllSource());
        var recorded = Literals(RecordCall().Matches(all).Select(m => m.Groups[1].Value))
            .Concat(Literals(EventCall().Matches(all).Select(m => m.Groups[1].Value)))
            .Where(k => k != "refused_")
            .Concat(Enum.GetNames<StatusAction>().Select(a => a.ToLowerInvariant()))
            .Concat(new[] { "accept", "arrive", "resolve" }.Select(d => $"sla_{d}_breached"))
            .Concat(CaseEngine.SettableStatuses.Select(CaseEngine.EventKind).Where(k => !k.StartsWith("status_", StringComparison.Ordinal)))
            .ToList();
        Assert.That(recorded, Does.Contain("created").And.Contain("handoff").And.Contain("nik_revealed").And.Contain("assigned"), "the scan finds the calls");
        AssertLabelled("event", recorded.Append("refused").Append("status"));
    }

    [Test]
    public void AuditActions_EveryOneTheCodeWrites()
    {
        var actions = Literals(AuditCall().Matches(string.Join('\n', AllSource())).Select(m => m.Groups[1].Value)).ToList();
        Assert.That(actions, Does.Contain("nik_revealed").And.Contain("locked_out").And.Contain("user_deactivated"), "the scan finds the calls");
        AssertLabelled("audit", actions.Append("hangfire"));
    }

    [Test]
    public void PartnerCodeRefusals_EveryReasonTheWorkflowGives()
    {
        // The reasons, not what a condition compares with (assignment == "accepted" ? "already" : …).
        var reasons = Literals(RefusalWhy().Matches(Source("HotlineBot.Core", "Cases", "CaseWorkflow.cs"))
            .Select(m => Comparison().Replace(m.Groups[1].Value, ""))).ToList();
        Assert.That(reasons, Does.Contain("not_assigned").And.Contain("closed"), "the scan finds the reasons");
        AssertLabelled("refusal", reasons);
    }

    [Test]
    public void MessageKinds_EveryOneTheCodeQueues()
    {
        var all = string.Join('\n', AllSource());
        var kinds = Literals(QueueKind().Matches(all).Select(m => m.Groups[1].Value)).Append("reply").ToList();
        Assert.That(kinds, Does.Contain("partner_notification").And.Contain("reporter_update").And.Contain("officer_alert").And.Contain("reminder"), "the scan finds the calls");
        AssertLabelled("msgkind", kinds);
    }

    [Test]
    public void MessageStates_EveryOneTheStoreWrites()
    {
        var text = Source("HotlineBot", "Storage", "MessageStore.cs") + Source("HotlineBot", "Jobs", "DeliverMessageJob.cs") + Source("HotlineBot", "Webhooks", "DeliveryReports.cs");
        var states = StateLiteral().Matches(text).Select(m => m.Groups[1].Value + m.Groups[2].Value).Distinct().ToList();
        Assert.That(states, Does.Contain("queued").And.Contain("sending").And.Contain("received"), "the scan finds the states");
        // Set through parameters: a provider's delivery report and a send's outcome.
        AssertLabelled("msgstate", states.Concat(["sent", "delivered", "read", "failed", "undelivered", "suppressed", "replied"]));
    }

    [Test]
    public void PartnerKindsRolesFlagsAssignmentsNeedStatesAndProviders()
    {
        AssertLabelled("partnerkind", Partner.Kinds);
        AssertLabelled("role", [Roles.Officer, Roles.Admin]);
        AssertLabelled("flag", ["urgent", "unrouted", "simulated", "duplicate", "needs_documents", "handoff"]);
        AssertLabelled("assignment", ["notified", "accepted", "declined", "released", "done"]);
        AssertLabelled("needstate", Enum.GetNames<NeedState>());
        AssertLabelled("provider", ["twilio", "whatsapp-cloud", "android-sms", "simulator"]);
        AssertLabelled("direction", ["in", "out"]);
        AssertLabelled("language", ["id", "en"]);
        AssertLabelled("actor", ["system", "officer"]);
    }

    [Test]
    public void AKeyWithoutALabel_ReadsAsItself() =>
        Assert.That(Vocabulary.Label("status", "no_such_status", "id"), Is.EqualTo("no_such_status"));

    [GeneratedRegex("\"([a-z][a-z_]*)\"")]
    private static partial Regex Literal();

    // Record("created", …), Record(assign.Replace ? "reassigned" : "assigned", …)
    [GeneratedRegex(@"\bRecord\(([^;]*?),")]
    private static partial Regex RecordCall();

    // cases.AddEventAsync(tx, id, "nik_revealed", …), new OtherCaseEventRecorded(kept.Id, "duplicate_linked", …)
    [GeneratedRegex(@"(?:AddEventAsync\(tx, [^,]+,|OtherCaseEventRecorded\([^,]+,)([^,]+),")]
    private static partial Regex EventCall();

    // audit.WriteAsync(tx, actor, "user_added", …), … lockNow ? "locked_out" : "sign_in_failed", …
    [GeneratedRegex(@"audit\.WriteAsync\(tx, [^,]+, ([^,]+),")]
    private static partial Regex AuditCall();

    // QueueAsync(tx, contact, text, now, "partner_notification", …), kind: "reminder"
    [GeneratedRegex(@"(?:QueueAsync\(tx, [^,]+, [^,]+, [^,]+, |kind: )([^,)]+)[,)]")]
    private static partial Regex QueueKind();

    // new CaseDecision(false, Why: "already"), Why: assignment == "accepted" ? "already" : "not_assigned"
    [GeneratedRegex(@"Why: ([^)]+)\)")]
    private static partial Regex RefusalWhy();

    [GeneratedRegex(@"[=!]= ""[a-z_]+""")]
    private static partial Regex Comparison();

    // SET status = 'sending' in SQL; Status = "received" in a parameter object.
    [GeneratedRegex(@"status = '([a-z]+)'|Status = ""([a-z]+)""")]
    private static partial Regex StateLiteral();
}

/// <summary>
/// The pages' own words: every Indonesian text a page passes to <c>T(…)</c> or <c>UiText</c> has its English in
/// <c>DashboardEn.resx</c>, with the same values in it, and every English entry is still used — so English is one tap
/// away on every page, and the file does not rot.
/// </summary>
public sealed partial class UiTextTests
{
    private static List<string> TextsInUse() =>
        Directory.EnumerateFiles(RepoFiles.Path("src", "HotlineBot", "Dashboard"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => TextCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal).ToList();

    [Test]
    public void EveryTextInUse_HasItsEnglish_WithTheSameValues()
    {
        var english = UiText.All();
        var texts = TextsInUse();
        Assert.That(texts, Has.Count.GreaterThan(150), "the scan finds the pages' texts");
        foreach (var text in texts)
        {
            var entry = english.Keys.FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase));
            Assert.That(entry, Is.Not.Null, $"no English for \"{text}\"");
            Assert.That(Placeholders().Matches(english[entry!]).Select(m => m.Value).Order(), Is.EqualTo(Placeholders().Matches(text).Select(m => m.Value).Order()), text);
        }
    }

    [Test]
    public void EveryEnglishEntry_IsStillUsed()
    {
        var texts = TextsInUse().ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.That(UiText.All().Keys.Where(k => !texts.Contains(k)), Is.Empty);
    }

    [TestCase("Antrian kasus", "en", "Case queue")]
    [TestCase("Antrian kasus", "id", "Antrian kasus")]
    [TestCase("Pelapor", "en", "Reporter")]
    [TestCase("pelapor", "en", "reporter")]
    [TestCase("tidak ada teks begini", "en", "tidak ada teks begini")]
    public void Get_TheOfficersLanguage_AndTheIndonesiansCapital(string id, string lang, string expected) =>
        Assert.That(UiText.Get(id, lang), Is.EqualTo(expected));

    [Test]
    public void Format_PutsTheValuesInEitherLanguage()
    {
        Assert.That(UiText.Format("Kasus {0} tidak ditemukan.", "id", "4821"), Is.EqualTo("Kasus 4821 tidak ditemukan."));
        Assert.That(UiText.Format("Kasus {0} tidak ditemukan.", "en", "4821"), Is.EqualTo("Case 4821 not found."));
    }

    // T("Antrian kasus"), T("Kasus {0} tidak ditemukan.", Code), UiText.Get("Peta", Lang), UiText.Format("{0}–{1} dari {2}", …)
    [GeneratedRegex(@"(?:(?<![A-Za-z0-9_.])T|UiText\.(?:Get|Format))\(""((?:[^""\\]|\\.)*)""")]
    private static partial Regex TextCall();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholders();
}
