"""Normalisation: copies of one report compare equal, and what is taken out is shown, never dropped silently."""

from __future__ import annotations

import opencc

from saohei.analytics.text import AD_PLACEHOLDER, BOILERPLATE, INJECTED_BRAND, LINK, text_normalise

CLEAN = "民族街有人强迫商户买酒，不买就砸店。老板姓王，天天带人来收钱。"


def test_traditional_full_width_and_spacing_normalise_to_the_same_text() -> None:
    variants = [
        opencc.OpenCC("s2t").convert(CLEAN),
        CLEAN.replace("强迫", "强 迫").replace("王", " 王 "),
        "民族街有人强迫商户买酒， 不买就砸店。老板姓王，天天带人来收钱！".replace("！", "。"),
        "\u200b民族街有人强迫商户买酒,不买就砸店.老板姓王,天天带人来收钱.",
    ]
    expected = text_normalise(CLEAN).text
    assert all(text_normalise(variant).text == expected for variant in variants)


def test_latin_is_lower_cased_and_full_width_letters_folded() -> None:
    assert text_normalise("ＫＴＶ老板").text == text_normalise("ktv老板").text == "ktv老板"


def test_ad_placeholders_and_injected_brand_are_set_aside_and_reported() -> None:
    spammed = "[ad_1]\n民族街有人强迫商户买酒，Sky bet不买就砸店。Sky bet 老板姓王，天天带人来收钱。SKYBET\n[ad_1]"
    normalised = text_normalise(spammed)
    assert normalised.text == text_normalise(CLEAN).text
    kinds = {item.kind: item for item in normalised.set_aside}
    assert kinds[AD_PLACEHOLDER].snippet == "[ad_1]" and kinds[AD_PLACEHOLDER].count == 2
    brand = [item for item in normalised.set_aside if item.kind == INJECTED_BRAND]
    assert sum(item.count for item in brand) == 3


def test_brand_replacing_a_word_through_an_english_text_is_set_aside() -> None:
    spammed = ("Our province regards the campaign Sky bet gangs as a major task. "
               "The fight Sky bet corruption continues, and the struggle Sky bet evil deepens.")
    normalised = text_normalise(spammed)
    assert "sky" not in normalised.text and "gangs as a major task" in normalised.text
    assert normalised.set_aside_kinds() == {INJECTED_BRAND}


def test_a_single_mention_of_a_gambling_brand_is_kept_as_a_fact() -> None:
    report = "他们在网吧用bet365平台组织赌球，输了钱就逼人借高利贷。"
    normalised = text_normalise(report)
    assert "bet365" in normalised.text
    assert normalised.set_aside == ()


def test_portal_boilerplate_is_set_aside_but_the_facts_stay() -> None:
    report = ("尊敬的扫黑办领导：\n  我要举报白沙镇的王建国开设赌场。\n"
              "举报人承诺：以上内容属实，如有虚假愿承担法律责任。此致\n敬礼！")
    normalised = text_normalise(report)
    assert normalised.text == "我要举报白沙镇的王建国开设赌场."
    snippets = [item.snippet for item in normalised.set_aside if item.kind == BOILERPLATE]
    assert any(snippet.startswith("举报人承诺") for snippet in snippets)
    assert any("敬礼" in snippet for snippet in snippets)


def test_links_are_set_aside_only_from_advertising() -> None:
    plain = text_normalise("赌博网站是www.xx-bet.com，老板姓王。")
    assert "www.xx-bet.com" in plain.text
    spam = text_normalise("[ad_1] 老板姓王。详情见 www.xx-bet.com")
    assert "xx-bet" not in spam.text
    assert LINK in spam.set_aside_kinds()


def test_empty_text() -> None:
    assert text_normalise("").text == ""
    assert text_normalise("   \n").set_aside == ()
