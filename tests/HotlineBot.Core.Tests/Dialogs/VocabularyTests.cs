using HotlineBot.Core.Dialogs;

namespace HotlineBot.Core.Tests.Dialogs;

/// <summary>The shared words (<c>conversation-flows/vocabulary.yaml</c>) as people text them.</summary>
public sealed class VocabularyTests
{
    private static readonly string[] YesNo = [Vocabulary.Yes, Vocabulary.No];

    [TestCase("ya", "yes", TestName = "Classify_PlainYes_IsYes")]
    [TestCase("ya betul", "yes", TestName = "Classify_YesWithAnotherYes_IsYes")]
    [TestCase("iya sudah benar pak", "yes", TestName = "Classify_YesWithTrailingWords_IsYes")]
    [TestCase("👍", "yes", TestName = "Classify_ThumbsUp_IsYes")]
    [TestCase("ok👍🏽", "yes", TestName = "Classify_OkTouchingASkinTonedThumb_IsYes")]
    [TestCase("nggih", "yes", TestName = "Classify_JavaneseYes_IsYes")]
    [TestCase("muhun", "yes", TestName = "Classify_SundaneseYes_IsYes")]
    [TestCase("YES!!", "yes", TestName = "Classify_ShoutedEnglishYes_IsYes")]
    [TestCase("mboten", "no", TestName = "Classify_JavaneseNo_IsNo")]
    [TestCase("teu", "no", TestName = "Classify_SundaneseNo_IsNo")]
    [TestCase("tdk", "no", TestName = "Classify_ShorthandNo_IsNo")]
    [TestCase("👎", "no", TestName = "Classify_ThumbsDown_IsNo")]
    [TestCase("ya tapi alamatnya salah", null, TestName = "Classify_YesThenBut_IsNeither")]
    [TestCase("ya tidak", null, TestName = "Classify_YesAndNo_IsNeither")]
    [TestCase("ya karena dia sakit keras sekali", null, TestName = "Classify_YesWithALongSentence_IsNeither")]
    [TestCase("mungkin", null, TestName = "Classify_Maybe_IsNeither")]
    [TestCase("", null, TestName = "Classify_Empty_IsNeither")]
    public void Classify_YesOrNo(string text, string? expected) =>
        Assert.That(ShippedFlow.Vocabulary.Classify(TextNormalizer.Normalize(text), YesNo), Is.EqualTo(expected));

    [TestCase("tidak tahu", TestName = "Unknown_TidakTahu_IsUnknownNotNo")]
    [TestCase("TDK TAU", TestName = "Unknown_Shorthand_IsUnknown")]
    [TestCase("lupa NIK-nya", TestName = "Unknown_LupaWithTrailingWord_IsUnknown")]
    [TestCase("belum tahu nik nya", TestName = "Unknown_BelumTahuWithTrailingWords_IsUnknown")]
    [TestCase("gak punya ktp", TestName = "Unknown_NoKtp_IsUnknown")]
    [TestCase("ora ngerti", TestName = "Unknown_Javanese_IsUnknown")]
    [TestCase("teu nyaho", TestName = "Unknown_Sundanese_IsUnknown")]
    [TestCase("I don't know", TestName = "Unknown_English_IsUnknown")]
    [TestCase("🤷", TestName = "Unknown_Shrug_IsUnknown")]
    public void Classify_DontKnow(string text) =>
        Assert.That(ShippedFlow.Vocabulary.Classify(TextNormalizer.Normalize(text), [Vocabulary.Unknown, Vocabulary.Yes, Vocabulary.No]), Is.EqualTo(Vocabulary.Unknown));

    [TestCase("halo", true)]
    [TestCase("Assalamualaikum wr wb", true)]
    [TestCase("selamat pagi bu", true)]
    [TestCase("P Sudirman", false)]
    [TestCase("🙏", true)]
    [TestCase("Siti Aminah", false)]
    [TestCase("Mas Budi", false)]
    [TestCase("Selamet Riyadi", false)]
    public void Classify_Greeting(string text, bool greeting) =>
        Assert.That(ShippedFlow.Vocabulary.Classify(TextNormalizer.Normalize(text), [Vocabulary.Greeting]) is not null, Is.EqualTo(greeting));

    [Test]
    public void Load_UnknownWordList_IsRefusedWithTheFile() =>
        Assert.That(() => Vocabulary.Load("version: 1\nwords:\n  maybe: [mungkin]\n", "vocabulary.yaml"),
            Throws.TypeOf<FlowException>().With.Message.Contains("vocabulary.yaml:1: unknown word list 'maybe'"));
}
