"""Strong identifiers: what an analyst sees highlighted, and what two reports must share to be linked by it."""

from __future__ import annotations

from saohei.analytics.identifiers import Identifier, id_number_valid, identifiers_find

STANDARD_EXAMPLE_ID = "11010519491231002X"  # the worked example of GB 11643-1999


def _values(text: str, kind: str) -> list[str]:
    return [found.value for found in identifiers_find(text) if found.kind == kind]


def test_mobile_numbers_written_differently_are_one_number() -> None:
    text = "老板电话138-1234-5678，也打过+86 138 1234 5678，还有0086-13812345678和１３８１２３４５６７８。"
    assert _values(text, "phone") == ["13812345678"] * 4


def test_landline_keeps_its_area_code() -> None:
    assert _values("派出所电话(0371)65123456转8", "phone") == ["037165123456"]
    assert _values("座机 0371-6512 3456", "phone") == ["037165123456"]


def test_masked_phone_is_not_a_phone() -> None:
    assert _values("他的电话是138****5678", "phone") == []


def test_id_number_needs_a_valid_check_digit() -> None:
    wrong_check_digit = STANDARD_EXAMPLE_ID[:-1] + "1"
    assert id_number_valid(STANDARD_EXAMPLE_ID)
    assert not id_number_valid(wrong_check_digit)
    assert _values(f"身份证号{wrong_check_digit}", "id_number") == []
    assert _values(f"身份证号{STANDARD_EXAMPLE_ID.lower()}", "id_number") == [STANDARD_EXAMPLE_ID]


def test_id_number_with_an_impossible_birth_date_is_not_taken() -> None:
    body = "11010519490230002"  # 30 February
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True)) % 11]
    assert not id_number_valid(body + check)


def test_old_fifteen_digit_id_matches_its_eighteen_digit_form() -> None:
    old = STANDARD_EXAMPLE_ID[:6] + STANDARD_EXAMPLE_ID[8:17]
    assert id_number_valid(old)
    assert _values(f"旧身份证{old}", "id_number") == [STANDARD_EXAMPLE_ID]


def test_phone_inside_an_id_number_is_not_a_phone() -> None:
    found = identifiers_find(f"身份证{STANDARD_EXAMPLE_ID}")
    assert [item.kind for item in found] == ["id_number"]


def test_plates_ordinary_new_energy_and_traditional_province() -> None:
    text = "车牌豫A12345，新能源粤B·D12345，还有滬AD12345"
    assert _values(text, "plate") == ["豫A12345", "粤BD12345", "沪AD12345"]


def test_masked_plate_is_not_an_identifier() -> None:
    assert _values("被告人见徐某停放的豫k×××××号面包车", "plate") == []


def test_bank_card_needs_luhn_or_an_account_word() -> None:
    card = "6222021234567890128"  # passes Luhn
    assert _values(f"转到{card}", "bank_account") == [card]
    assert _values("订单号6222021234567890121", "bank_account") == []
    assert _values("对公账号 41001234567890", "bank_account") == ["41001234567890"]
    assert _values("卡号 6222 0212 3456 7890 128", "bank_account") == [card]


def test_company_variants_are_one_company() -> None:
    written = ["鄭州宏遠（集團）有限責任公司", "郑州宏远集团有限公司", "郑州 宏远(集团)有限公司"]
    values = {value for text in written for value in _values(f"他控制的{text}在收保护费", "company")}
    assert values == {"郑州宏远集团有限公司"}


def test_generic_and_anonymised_companies_are_not_identifiers() -> None:
    assert _values("他开了一家贷款公司，还有某某贸易有限公司", "company") == []


def test_company_name_starts_after_the_words_before_it() -> None:
    assert _values("老板开了一家郑州金水家具有限公司", "company") == ["郑州金水家具有限公司"]
    found = _values("他在郑州市金水区鑫达建材有限公司上班，砖厂厂长也去过", "company")
    assert found == ["郑州市金水区鑫达建材有限公司"]


def test_identifiers_come_in_text_order_with_spans_into_the_original() -> None:
    text = "车牌豫A12345，电话１３８１２３４５６７８，身份证" + STANDARD_EXAMPLE_ID
    found = identifiers_find(text)
    assert [item.kind for item in found] == ["plate", "phone", "id_number"]
    assert all(isinstance(item, Identifier) for item in found)
    assert text[found[1].start:found[1].end] == "１３８１２３４５６７８"
    assert text[found[2].start:found[2].end] == STANDARD_EXAMPLE_ID
