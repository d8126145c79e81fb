"""Who is who: the analyst sees one person where the records name one person, two where they name two, and why."""

from __future__ import annotations

from saohei.analytics.resolution import (
    CONFIRM,
    REJECT,
    SPLIT,
    CompanyRecord,
    Evidence,
    Judgement,
    PersonRecord,
    ResolutionSettings,
    companies_resolve,
    persons_resolve,
)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
EVERY_PAIR = ResolutionSettings(keep_all_pairs=True, review_probability=0.0)


def id_number(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def codes(evidence: tuple[Evidence, ...]) -> set[str]:
    return {item.code for item in evidence}


def test_two_people_called_zhang_wei_born_fifteen_years_apart_in_different_counties_stay_two() -> None:
    records = [PersonRecord("report-1", "张伟", birth_year=1980, place="420103"),
               PersonRecord("case-7", "张伟", birth_year=1995, place="420607")]
    resolution = persons_resolve(records, settings=EVERY_PAIR)
    assert not resolution.same_entity("report-1", "case-7")
    evidence = resolution.evidence("report-1", "case-7")
    assert evidence is not None
    assert "common_name" in codes(evidence.evidence_against)
    assert "birth_year_differs" in codes(evidence.evidence_against)
    assert any("15" in e.detail for e in evidence.evidence_against)


def test_a_common_name_alone_does_not_merge() -> None:
    resolution = persons_resolve([PersonRecord("a", "王芳"), PersonRecord("b", "王芳")])
    assert not resolution.same_entity("a", "b")


def test_traditional_and_simplified_forms_of_one_name_merge() -> None:
    records = [PersonRecord("tip", "曾國強", birth_year=1975, place="420103"),
               PersonRecord("case", "曾国强", birth_year=1975, place="420103")]
    resolution = persons_resolve(records)
    assert resolution.same_entity("tip", "case")
    evidence = resolution.evidence("tip", "case")
    assert evidence is not None and evidence.decision == "match"
    assert "same_name_after_t2s" in codes(evidence.evidence_for)


def test_homophones_of_different_people_do_not_merge_on_the_name_and_the_sound_is_shown_against() -> None:
    records = [PersonRecord("a", "王刚", birth_year=1970, place="420103"),
               PersonRecord("b", "汪刚", birth_year=1970, place="420103")]
    resolution = persons_resolve(records, settings=EVERY_PAIR)
    assert not resolution.same_entity("a", "b")
    evidence = resolution.evidence("a", "b")
    assert evidence is not None
    assert "homophone_only" in codes(evidence.evidence_against)
    assert "homophone_only" not in codes(evidence.evidence_for)


def test_the_same_id_number_merges_whatever_the_spelling() -> None:
    number = id_number("42010319700101123")
    records = [PersonRecord("suspect", "李建国", id_number=number), PersonRecord("tip", "黎建國", id_number=number),
               PersonRecord("other", "刘强", id_number=number[:6] + " " + number[6:])]
    resolution = persons_resolve(records)
    assert resolution.same_entity("suspect", "tip")
    assert resolution.same_entity("suspect", "other")
    evidence = resolution.evidence("suspect", "tip")
    assert evidence is not None and "same_id_number" in codes(evidence.evidence_for)


def test_different_valid_id_numbers_keep_two_people_with_one_name_apart() -> None:
    records = [PersonRecord("a", "曾国强", id_number=id_number("42010319750101123"), birth_year=1975),
               PersonRecord("b", "曾国强", id_number=id_number("42010319750101456"), birth_year=1975)]
    assert not persons_resolve(records).same_entity("a", "b")


def test_an_id_number_with_a_wrong_check_digit_is_no_evidence() -> None:
    valid = id_number("42010319700101123")
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    records = [PersonRecord("a", "李建国", id_number=valid), PersonRecord("b", "赵小明", id_number=wrong)]
    assert not persons_resolve(records).same_entity("a", "b")


def test_a_shared_phone_links_a_nickname_to_a_full_name() -> None:
    records = [PersonRecord("tip", "刀哥", phones=("13812345678",)),
               PersonRecord("case", "刘德彪", aliases=("刀哥",), phones=("138-1234-5678",), birth_year=1972)]
    resolution = persons_resolve(records)
    assert resolution.same_entity("tip", "case")
    evidence = resolution.evidence("tip", "case")
    assert evidence is not None
    assert {"same_phone", "same_alias"} <= codes(evidence.evidence_for)


def test_an_alias_alone_is_proposed_for_review_but_not_merged() -> None:
    records = [PersonRecord("tip", "刀哥", place="420103"),
               PersonRecord("case", "刘德彪", aliases=("刀哥",), place="420103")]
    resolution = persons_resolve(records)
    assert not resolution.same_entity("tip", "case")
    evidence = resolution.evidence("tip", "case")
    assert evidence is not None and evidence.decision == "review"


def test_a_rejected_pair_is_never_merged_even_through_a_third_record() -> None:
    number = id_number("42010319700101123")
    records = [PersonRecord("a", "李建国", id_number=number), PersonRecord("b", "李建国", id_number=number,
                                                                           phones=("13900001111",)),
               PersonRecord("c", "李建国", phones=("13900001111",), birth_year=1970)]
    assert persons_resolve(records).same_entity("a", "c")
    judged = persons_resolve(records, judgements=[Judgement(REJECT, "a", ("c",))])
    assert not judged.same_entity("a", "c")
    assert judged.same_entity("a", "b") != judged.same_entity("b", "c") or not judged.same_entity("a", "b")


def test_a_confirmed_pair_is_always_merged() -> None:
    records = [PersonRecord("tip", "刀哥", place="420103"), PersonRecord("case", "刘德彪", place="420607")]
    assert not persons_resolve(records).same_entity("tip", "case")
    judged = persons_resolve(records, judgements=[Judgement(CONFIRM, "tip", ("case",))])
    assert judged.same_entity("tip", "case")
    evidence = judged.evidence("tip", "case")
    assert evidence is not None and evidence.decision == CONFIRM


def test_a_split_takes_a_record_out_of_its_cluster_on_later_runs() -> None:
    phone = ("13900001111",)
    records = [PersonRecord("a", "李建国", phones=phone, birth_year=1970), PersonRecord("b", "李建国", phones=phone,
                                                                                       birth_year=1970),
               PersonRecord("c", "李建国", phones=phone, birth_year=1970)]
    assert persons_resolve(records).same_entity("a", "c")
    split = persons_resolve(records, judgements=[Judgement(SPLIT, "c", ("a", "b"))])
    assert split.same_entity("a", "b")
    assert not split.same_entity("a", "c")
    assert not split.same_entity("b", "c")


def test_each_match_shows_evidence_for_and_against() -> None:
    records = [PersonRecord("a", "曾国强", birth_year=1975, place="420103", phones=("13812345678",)),
               PersonRecord("b", "曾国强", birth_year=1976, place="440305", phones=("13812345678",))]
    evidence = persons_resolve(records).evidence("a", "b")
    assert evidence is not None and evidence.decision == "match"
    assert evidence.evidence_for and evidence.evidence_against
    assert all(e.weight > 0 for e in evidence.evidence_for)
    assert all(e.weight <= 0 for e in evidence.evidence_against)
    assert {"same_phone", "same_name"} <= codes(evidence.evidence_for)
    assert "different_place" in codes(evidence.evidence_against)


def test_one_character_typo_with_birth_year_and_place_merges() -> None:
    records = [PersonRecord("a", "欧阳建国", birth_year=1968, place="420103", phones=("13812345678",)),
               PersonRecord("b", "欧阳建图", birth_year=1968, place="420103", phones=("13812345678",))]
    resolution = persons_resolve(records)
    assert resolution.same_entity("a", "b")
    evidence = resolution.evidence("a", "b")
    assert evidence is not None and "one_character_differs" in codes(evidence.evidence_for)


def test_companies_merge_across_legal_forms_place_prefixes_and_scripts() -> None:
    records = [CompanyRecord("c1", "武汉市宏达砂石有限公司", place="420103"),
               CompanyRecord("c2", "宏達砂石有限責任公司", place="420103"),
               CompanyRecord("c3", "宏达物流有限公司", place="420103")]
    resolution = companies_resolve(records)
    assert resolution.same_entity("c1", "c2")
    assert not resolution.same_entity("c1", "c3")


def test_a_credit_code_decides_for_companies() -> None:
    code = "91350100M000100Y43"
    records = [CompanyRecord("c1", "宏达砂石有限公司", credit_code=code),
               CompanyRecord("c2", "福州宏大建材有限公司", credit_code=code.lower()),
               CompanyRecord("c3", "宏达砂石有限公司", credit_code="91110000100000000X"[:17] + "0")]
    resolution = companies_resolve(records)
    assert resolution.same_entity("c1", "c2")


def test_latin_names_are_compared_as_names_not_as_aliases() -> None:
    records = [PersonRecord("a", "John Smith", birth_year=1980, phones=("13812345678",)),
               PersonRecord("b", "Jon Smith", birth_year=1980, phones=("13812345678",)),
               PersonRecord("c", "Mary Jones", birth_year=1980)]
    resolution = persons_resolve(records)
    assert resolution.same_entity("a", "b")
    assert not resolution.same_entity("a", "c")
    evidence = resolution.evidence("a", "b")
    assert evidence is not None and "same_alias" not in codes(evidence.evidence_for)
