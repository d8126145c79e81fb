"""The surname table: names split where a reader would split them, surnames read as surnames."""

from __future__ import annotations

import pytest

from saohei.analytics.surnames import (
    is_anonymised,
    name_is_common,
    name_split,
    name_syllables,
    surname_reading,
    surname_table,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王建国", ("王", "建国")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        ("尉迟恭", ("尉迟", "恭")),
        ("曾國強", ("曾", "國強")),  # Traditional characters are looked up through their Simplified form
        ("张某某", ("张", "某某")),
        ("李某甲", ("李", "某甲")),
    ],
)
def test_names_split_into_surname_and_given_name(name: str, expected: tuple[str, str]) -> None:
    assert name_split(name) == expected


@pytest.mark.parametrize("not_a_name", ["Smith", "王", "12345", "买买提·艾力", "张三李四王五赵六"])
def test_strings_that_are_not_chinese_names_do_not_split(not_a_name: str) -> None:
    assert name_split(not_a_name) is None


@pytest.mark.parametrize(
    ("surname", "reading"),
    [("曾", "zeng"), ("单", "shan"), ("解", "xie"), ("仇", "qiu"), ("区", "ou"), ("查", "zha"), ("朴", "piao"),
     ("盖", "ge"), ("覃", "qin"), ("尉迟", "yuchi"), ("万俟", "moqi"), ("王", "wang")],
)
def test_surnames_are_read_as_surnames_not_as_everyday_words(surname: str, reading: str) -> None:
    assert surname_reading(surname) == reading


def test_a_name_is_read_with_its_surname_reading() -> None:
    assert name_syllables("曾国强") == ("zeng", "guo", "qiang")
    assert name_syllables("单雄信")[0] == "shan"


def test_compound_surnames_are_in_the_table() -> None:
    for compound in ("欧阳", "司马", "诸葛", "上官", "皇甫", "令狐", "慕容", "司徒", "东方", "夏侯", "尉迟", "长孙",
                     "宇文", "公孙", "端木", "独孤"):
        assert compound in surname_table()


def test_common_names_are_recognised_and_rare_ones_are_not() -> None:
    assert name_is_common("张伟")
    assert name_is_common("王芳")
    assert not name_is_common("曾国强")
    assert not name_is_common("欧阳娜娜")


def test_mou_forms_are_anonymised_given_names() -> None:
    assert is_anonymised("某")
    assert is_anonymised("某某")
    assert is_anonymised("某甲")
    assert not is_anonymised("建国")
