"""Spam flags on short snippets modelled on the seeds' injected spam (saohei/intake/spam.py)."""

from __future__ import annotations

from saohei.intake import spam
from saohei.intake.spam import spam_flags

ORDINARY_REPORT = (
    "我要举报江汉区民族街的万某团伙。他们从2023年起在民族街开设赌场，放套路贷，"
    "强迫商户购买高价酒水，不从的就被殴打。万某外号“万老大”，手下有十几个人。\n"
    "派出所有一位副所长经常去他们的KTV，据说收了钱。商户有转账记录和聊天截图，微信号wxid_k8s9d2。\n"
    "我不敢实名，请为我保密。"
)


def test_an_ordinary_chinese_report_has_no_flags() -> None:
    assert spam_flags(ORDINARY_REPORT) == []


def test_a_report_that_talks_about_casinos_and_loans_is_not_spam() -> None:
    text = "They run an illegal casino behind the market and lend money at 30% a month (loan sharking)."
    assert spam_flags(text) == []


def test_ad_placeholder() -> None:
    assert spam.AD_PLACEHOLDER in spam_flags("[ad_1]\nEditor's note: the campaign has entered its final stage.")
    assert spam.AD_PLACEHOLDER in spam_flags("线索如下 [ad_12] 老板姓王")


def test_brand_replacing_a_word_throughout() -> None:
    text = (
        "Our province regards the campaign Sky bet gangs as a major task.\n"
        "The fight Sky bet corruption continues, and the struggle Sky bet evil deepens."
    )
    flags = spam_flags(text)
    assert spam.SPAM_PHRASE in flags and spam.INJECTED_BRAND in flags
    once = spam_flags("The campaign Sky bet gangs is a major task.")
    assert spam.SPAM_PHRASE in once and spam.INJECTED_BRAND not in once
    assert spam_flags("It was a risky bet on the weather.") == []  # a phrase matches whole words only


def test_chinese_spam_phrase_with_spaces_inside() -> None:
    assert spam.SPAM_PHRASE in spam_flags("真 人 荷 官，在线发牌，注册就送")


def test_gambling_and_loan_links() -> None:
    assert spam.SPAM_LINK in spam_flags("线索详见 https://vip-bocai88.example/reg?id=1 谢谢")
    assert spam.SPAM_LINK in spam_flags("fast money at www.quickloan-now.example.com")
    assert spam_flags("照片放在 https://pan.example.cn/s/abc 里") == []


def test_many_links() -> None:
    text = "\n".join(f"http://site{n}.example.com/page" for n in range(6))
    assert spam.LINK_DENSITY in spam_flags(text)
    assert spam.LINK_DENSITY in spam_flags("看 http://a.example.com/x http://b.example.com/y")
    assert spam.LINK_DENSITY not in spam_flags(ORDINARY_REPORT + " 截图在 http://pan.example.cn/s/abc")


def test_repeated_identical_lines() -> None:
    title = "这场扫黑除恶专项斗争攻坚仗打得好"
    assert spam.REPEATED_LINES in spam_flags("\n".join([title] * 4 + ["正文。"]))
    assert spam.REPEATED_LINES not in spam_flags("\n".join([title] * 2 + ["正文。"]))
    assert spam.REPEATED_LINES not in spam_flags("\n".join(["分享到:"] * 5))  # short lines repeat innocently


def test_latin_gibberish_in_a_chinese_report() -> None:
    text = "民族街有人收保护费 xkcdqwrt zzpvbnmq hjklmnbv qwrtzpsd 请核查，涉及多家商户和一家KTV。"
    assert spam.LATIN_GIBBERISH in spam_flags(text)
    english = "Please check xkcdqwrt zzpvbnmq hjklmnbv qwrtzpsd on the market street."
    assert spam.LATIN_GIBBERISH not in spam_flags(english)


def test_every_flag_has_a_label() -> None:
    codes = {
        spam.AD_PLACEHOLDER, spam.SPAM_PHRASE, spam.INJECTED_BRAND, spam.SPAM_LINK,
        spam.LINK_DENSITY, spam.REPEATED_LINES, spam.LATIN_GIBBERISH,
    }  # fmt: skip
    assert codes == set(spam.SPAM_FLAG_LABELS)
