"""Entities an analyst sees in a report: who, which official, which numbers, where, how much, when."""

from __future__ import annotations

import pytest

from saohei.analytics.entities import Entity, EntityCorrection, Gazetteer, entities_apply_corrections, entities_extract

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


@pytest.fixture(scope="module")
def hubei() -> Gazetteer:
    return Gazetteer([
        ("420000", "湖北省", None), ("420100", "武汉市", "420000"), ("420103", "江汉区", "420100"),
        ("420102", "江岸区", "420100"), ("110000", "北京市", None), ("110105", "朝阳区", "110000"),
        ("220000", "吉林省", None), ("220100", "长春市", "220000"), ("220104", "朝阳区", "220100"),
    ])


def of_kind(entities: list[Entity], kind: str) -> dict[str, Entity]:
    return {e.text: e for e in entities if e.kind == kind}


def test_full_names_mou_forms_and_nicknames_are_persons() -> None:
    text = "举报人反映，王建国伙同刀哥、老三和阿强在村里放高利贷，王某负责催收，张某某、李某甲参与。"
    persons = of_kind(entities_extract(text), "person")
    assert {"王建国", "刀哥", "老三", "阿强", "王某", "张某某", "李某甲"} <= set(persons)
    assert persons["刀哥"].form == "nickname"
    assert persons["王某"].form == "anonymised"
    assert persons["王建国"].form == "full"


def test_spans_point_into_the_text_as_written() -> None:
    text = "村民反映：欧阳娜娜和曾国强经常在镇上滋事。"
    for entity in entities_extract(text):
        assert text[entity.start:entity.end] == entity.text
    assert {"欧阳娜娜", "曾国强"} <= set(of_kind(entities_extract(text), "person"))


def test_a_nickname_given_after_a_marker_is_a_person() -> None:
    persons = of_kind(entities_extract("外号“疯狗”的男子经常持刀威胁商户。"), "person")
    assert persons["疯狗"].form == "nickname"


def test_village_party_secretary_carries_the_village_and_names_the_person_after_it() -> None:
    entities = entities_extract("李家村村支书王某长期纵容其弟强占集体土地。")
    position = of_kind(entities, "position")["李家村村支书"]
    assert position.value == "村支书"
    assert position.unit == "李家村"
    assert of_kind(entities, "person")["王某"].role == "村支书"


def test_police_station_head_carries_the_station() -> None:
    entities = entities_extract("某某镇派出所所长张某某收受好处费后对赌场不闻不问。")
    position = of_kind(entities, "position")["某某镇派出所所长"]
    assert position.unit == "某某镇派出所"
    assert "所长" in str(position.value)
    assert of_kind(entities, "person")["张某某"].role == position.value


def test_a_general_title_without_a_unit_is_not_a_position() -> None:
    assert not of_kind(entities_extract("班主任说孩子最近总是迟到。"), "position")


def test_an_id_number_with_a_wrong_check_digit_is_not_extracted() -> None:
    valid = with_check_digit("42010319850612003")
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    entities = entities_extract(f"王建国身份证号{valid}，其弟身份证号{wrong}。")
    ids = [e.value for e in entities if e.kind == "id_number"]
    assert ids == [valid]


def test_phone_numbers_are_extracted_with_their_value() -> None:
    entities = entities_extract("联系电话：138 1234 5678。")
    assert [e.value for e in entities if e.kind == "phone"] == ["13812345678"]


@pytest.mark.parametrize(
    ("text", "yuan"),
    [("收取好处费三十万元", 300_000), ("涉案金额2,716万元", 27_160_000), ("非法获利1.5亿元", 150_000_000),
     ("索要人民币5000元", 5000), ("借款一万五千元", 15_000), ("获利叁拾萬元", 300_000)],
)
def test_amounts_are_normalised_to_yuan(text: str, yuan: int) -> None:
    amounts = [e for e in entities_extract(text) if e.kind == "amount"]
    assert [a.value for a in amounts] == [yuan]


def test_approximate_amounts_are_marked() -> None:
    (amount,) = [e for e in entities_extract("共收取保护费三十余万元") if e.kind == "amount"]
    assert amount.value == 300_000
    assert amount.form == "approximate"


def test_dates_are_normalised_when_the_text_fixes_them_and_kept_as_written_when_not() -> None:
    dates = of_kind(entities_extract("2012年9月12日，王某在赌场打人；2019年3月又犯；去年3月再次滋事。"), "date")
    assert dates["2012年9月12日"].value == "2012-09-12"
    assert dates["2019年3月"].value == "2019-03"
    assert dates["去年3月"].value is None


def test_a_district_is_matched_to_its_code(hubei: Gazetteer) -> None:
    places = of_kind(entities_extract("该团伙在江汉区开设赌场。", gazetteer=hubei), "place")
    assert places["江汉区"].code == "420103"
    assert places["江汉区"].value == "湖北省武汉市江汉区"


def test_a_written_chain_of_divisions_is_one_place_with_the_deepest_code(hubei: Gazetteer) -> None:
    for text in ("湖北省武汉市江汉区", "武汉市江汉区", "武汉江汉"):
        places = [e for e in entities_extract(f"他在{text}开了一家砂场。", gazetteer=hubei) if e.kind == "place"]
        assert [(p.text, p.code) for p in places] == [(text, "420103")]


def test_a_short_county_name_alone_is_not_taken_for_the_county(hubei: Gazetteer) -> None:
    places = [e for e in entities_extract("江汉平原的农民反映问题。", gazetteer=hubei) if e.kind == "place"]
    assert all(p.code != "420103" for p in places)


def test_a_name_shared_by_two_districts_is_resolved_by_the_record_jurisdiction(hubei: Gazetteer) -> None:
    text = "朝阳区有人开设赌场。"
    unresolved = of_kind(entities_extract(text, gazetteer=hubei), "place")["朝阳区"]
    assert unresolved.code == ""
    resolved = of_kind(entities_extract(text, gazetteer=hubei, jurisdiction_hint="220100"), "place")["朝阳区"]
    assert resolved.code == "220104"


def test_towns_and_villages_are_free_places() -> None:
    places = of_kind(entities_extract("在城关镇胜利村一带横行。"), "place")
    assert {"城关镇", "胜利村"} <= set(places)
    assert all(p.code == "" for p in places.values())


def test_a_gang_led_by_a_named_person_is_an_organisation_with_its_leader_inside() -> None:
    entities = entities_extract("以张伟为首的恶势力犯罪集团长期霸占砂石市场。")
    gang = of_kind(entities, "organisation")["以张伟为首的恶势力犯罪集团"]
    assert gang.form == "gang"
    assert "张伟" in of_kind(entities, "person")


def test_police_units_are_organisations_with_their_place() -> None:
    entities = entities_extract("江汉区公安分局接到报警后出警。")
    assert "江汉区公安分局" in of_kind(entities, "organisation")


def test_traditional_text_gives_simplified_values_and_original_spans() -> None:
    text = "張偉夥同王某某在黃岡市開設賭場，非法獲利叁拾萬元。"
    entities = entities_extract(text)
    persons = of_kind(entities, "person")
    assert persons["張偉"].value == "张伟"
    assert [e.value for e in entities if e.kind == "amount"] == [300_000]


def test_ordinary_sentences_name_nobody() -> None:
    text = "祝您安康。请领导高度重视，文明城市建设受到影响，高中生也被威胁，被害人陈述属实，和某某一起的人不多。"
    assert not [e.text for e in entities_extract(text) if e.kind == "person"]


def test_roads_and_the_reporter_saying_something_name_nobody() -> None:
    """Seen at scale in the network benchmark: 944 nodes 路某 from 前进五路某…, 588 nodes 手里 from 举报人称手里…"""
    text = "前进五路某还建房里有人聚赌，民族街中段某KTV强迫消费，举报人称手里有转账记录，报案人称对方人多。"
    assert not [e.text for e in entities_extract(text) if e.kind == "person"]
    persons = of_kind(entities_extract("被告人路某伙同段某殴打他人，万某，人称刀哥，此人人称“豹哥”。"), "person")
    assert {"路某", "段某", "万某", "刀哥", "豹哥"} <= set(persons), "the surnames and the real marker still count"


def test_corrections_are_reapplied_on_a_later_run() -> None:
    text = "村民反映刀哥和李家的人强占土地，王某在城关镇开赌场。"
    first = entities_extract(text)
    nickname = of_kind(first, "person")["刀哥"]
    town = of_kind(first, "place")["城关镇"]
    missed_start = text.index("李家")
    corrections = [
        EntityCorrection(action="remove", kind="place", start=town.start, end=town.end, text="城关镇"),
        EntityCorrection(action="change", kind="person", start=nickname.start, end=nickname.end, text="刀哥",
                         new_value="刘德刀"),
        EntityCorrection(action="add", kind="organisation", start=missed_start, end=missed_start + 2, text="李家"),
    ]
    later = entities_apply_corrections(entities_extract(text), corrections, text=text)
    assert "城关镇" not in of_kind(later, "place")
    assert of_kind(later, "person")["刀哥"].value == "刘德刀"
    assert of_kind(later, "organisation")["李家"].source == "correction"


def test_a_correction_is_not_applied_once_the_text_under_it_has_changed() -> None:
    text = "王某在城关镇开赌场。"
    stale = EntityCorrection(action="add", kind="person", start=3, end=6, text="李某某")
    assert not [e for e in entities_apply_corrections(entities_extract(text), [stale], text=text)
                if e.source == "correction"]


def test_a_correction_can_change_the_kind_of_an_entity() -> None:
    text = "黑皮经常在网吧门口收钱。"
    nickname = of_kind(entities_extract(text), "person")["黑皮"]
    fix = EntityCorrection(action="change", kind="person", start=nickname.start, end=nickname.end,
                           new_kind="organisation")
    corrected = entities_apply_corrections(entities_extract(text), [fix], text=text)
    assert "黑皮" in of_kind(corrected, "organisation")
    assert "黑皮" not in of_kind(corrected, "person")
