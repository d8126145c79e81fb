"""Repeat reports: the analyst sees the earlier report of the same matter, with the reason; nothing else."""

from __future__ import annotations

import random
from functools import cache

import opencc
import pytest

from saohei.analytics.identifiers import identifiers_find
from saohei.analytics.repeats import (
    SIMILAR_TEXT,
    RepeatIndex,
    ShingleWeights,
    Signature,
    report_signature,
    shingle_weights_fit,
    signature_weights_id,
    similarity,
)

BASE = ("我要举报清河县白沙镇柳林村的王建国。他从2021年3月开始在村口的废弃仓库里开设赌场，"
        "每天晚上都有三四十人聚赌，抽头少则几千多则上万。他的手下李二虎、张小军负责放哨和放贷，"
        "输了钱还不上的人就会被他们打。去年腊月，村民赵大庆因为欠了八万块钱，被他们关在仓库里两天。"
        "王建国的表哥在镇派出所当副所长，每次检查他都提前知道。希望领导尽快查处。")
REWORDED = ("我要反映清河县白沙镇柳林村的王建国。他从2021年3月开始在村口的废弃仓库里经营赌场，"
            "每天晚上都有三四十人赌博，抽头少则几千多则上万。他的手下李二虎、张小军专门放哨和放贷，"
            "输了钱还不上的人就会被他们殴打。去年腊月，老百姓赵大庆因为欠了八万块钱，被他们关在仓库里两天。"
            "这个事情我去年就反映过，到现在也没人管。恳请领导尽快查处。")
RETOLD = ("清河县白沙镇柳林村王建国一直在村口那个废弃仓库经营赌场，从2021年3月到现在，"
          "每天晚上有三四十个人在里面赌博。最近他们又开始了，而且比以前更加嚣张，放贷的人电话13512345678。")
SAME_OFFENCE_SAME_TOWN = ("反映清河县白沙镇石桥村的刘长春在自家养猪场后面开设赌场的问题。刘长春外号刀疤，"
                          "2023年夏天以来每逢集市就组织推牌九，参赌的多是附近的货车司机。"
                          "赌场里有人专门放高利贷，月息三分，还不上就拿车抵债。他的小舅子在镇政府上班，村里人都不敢说。")
OTHER = ("金水区文化路夜市的烧烤摊最近总有人来闹事，白吃白喝不给钱，还把一个摊主的桌子掀了。"
         "领头的是个光头，开一辆黑色越野车。")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超霞平刚英华兰萍鹏建国红亮飞斌宇浩凯健俊帆帅旭宁龙林欣波宏志忠"
ROOTS = ["清河", "石桥", "白沙", "青山", "柳林", "杨庄", "马坊", "龙泉", "桃源", "河口", "东湖", "西岭", "南坪",
         "北塘", "高岗", "双庙", "黄土", "红星", "新安", "永丰", "长乐", "太平", "兴隆"]
PLACES = [first + second for first in ["村口", "河边", "镇上", "山脚", "路边", "厂区", "集市"]
          for second in ["仓库", "棚子", "二楼", "包间"]]
STOCK_CLOSING = "希望有关部门彻查此事，还老百姓一个公道。"


def _templated(*, town: str, village: str, name: str, place: str, amount: int) -> str:
    """A tip written on a common pattern: what many unrelated tips about gambling dens share."""
    return (f"我要举报{town}{village}的{name}，他长期在{place}开设赌场，每天晚上都有几十人聚赌，"
            f"赌场抽头少则几千多则上万元，还派人在路口放哨，输了钱的人被逼着借高利贷，有人输掉了{amount}万元，"
            f"还不上就被打。这种情况已经持续了好几年，附近的群众都敢怒不敢言。{STOCK_CLOSING}")


def _random_tip(rng: random.Random) -> str:
    return _templated(town=rng.choice(ROOTS) + rng.choice("镇乡"), village=rng.choice(ROOTS) + "村",
                      name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), place=rng.choice(PLACES),
                      amount=rng.randint(3, 90))


@cache
def _weights() -> ShingleWeights:
    """Weights fitted as in production on the office's stored reports: here 1,500 tips written on one pattern."""
    rng = random.Random(5)
    return shingle_weights_fit([_random_tip(rng) for _ in range(1500)] + [BASE, SAME_OFFENCE_SAME_TOWN, OTHER])


def _signature(text: str) -> Signature:
    return report_signature(text, weights=_weights())


def _index(texts: dict[int, str]) -> RepeatIndex:
    return RepeatIndex.build(((key, _signature(text)) for key, text in texts.items()), weights_id=_weights().weights_id)


def _keys(index: RepeatIndex, text: str) -> list[int]:
    return [candidate.key for candidate in index.match(signature=_signature(text))]


def test_traditional_script_rewrite_is_found() -> None:
    index = _index({1: BASE, 2: SAME_OFFENCE_SAME_TOWN, 3: OTHER})
    candidates = index.match(signature=_signature(opencc.OpenCC("s2t").convert(BASE)))
    assert [candidate.key for candidate in candidates] == [1]
    assert candidates[0].similarity > 0.9
    assert candidates[0].reasons[0].code == SIMILAR_TEXT


def test_reworded_report_with_sentences_added_and_dropped_is_found() -> None:
    index = _index({1: BASE, 2: SAME_OFFENCE_SAME_TOWN, 3: OTHER})
    assert _keys(index, REWORDED) == [1]


def test_unrelated_report_about_the_same_offence_in_the_same_town_is_not_a_candidate() -> None:
    index = _index({1: BASE, 3: OTHER})
    assert _keys(index, SAME_OFFENCE_SAME_TOWN) == []


def test_a_retelling_in_other_words_is_found_through_the_phone_it_shares() -> None:
    index = _index({1: BASE.replace("希望领导尽快查处。", "放贷的人电话135-1234-5678。"), 2: SAME_OFFENCE_SAME_TOWN})
    candidates = index.match(signature=_signature(RETOLD))
    assert [candidate.key for candidate in candidates] == [1]
    assert "same-phone" in {reason.code for reason in candidates[0].reasons}


def test_reports_sharing_only_a_phone_number_are_candidates_with_the_reason() -> None:
    index = _index({1: OTHER + "收钱的人电话13912345678。", 2: BASE})
    candidates = index.match(signature=_signature("他们在工地上强行拉土方，不给就堵门，联系人电话139-1234-5678。"))
    assert [candidate.key for candidate in candidates] == [1]
    assert [(reason.code, reason.value) for reason in candidates[0].reasons] == [("same-phone", "13912345678")]
    assert candidates[0].similarity < index.threshold


def test_identifiers_given_by_the_caller_count_too() -> None:
    index = RepeatIndex(weights_id=_weights().weights_id)
    index.add(key=1, signature=_signature(OTHER), identifiers=identifiers_find("车牌豫A12345"))
    candidates = index.match(signature=_signature(BASE), identifiers=identifiers_find("豫A·12345"))
    assert [(candidate.key, candidate.reasons[0].code) for candidate in candidates] == [(1, "same-plate")]


def test_advertising_injected_into_a_copy_does_not_hide_the_repeat() -> None:
    spammed = "[ad_1]\n" + BASE.replace("。", "。Sky bet ", 3) + "\n[ad_1]"
    index = _index({1: BASE, 2: SAME_OFFENCE_SAME_TOWN})
    candidates = index.match(signature=_signature(spammed))
    assert [candidate.key for candidate in candidates] == [1]
    assert candidates[0].similarity > 0.9


def test_stronger_evidence_ranks_first() -> None:
    index = _index({1: REWORDED, 2: BASE})
    candidates = index.match(signature=_signature(BASE), exclude=2)
    assert [candidate.key for candidate in candidates] == [1]
    assert _keys(index, BASE) == [2, 1]


def test_signature_round_trips_through_bytes_and_rebuilds_the_same_index() -> None:
    texts = {1: BASE + "电话13812345678", 2: SAME_OFFENCE_SAME_TOWN, 3: OTHER}
    stored = {key: _signature(text).to_bytes() for key, text in texts.items()}
    weights = ShingleWeights.from_bytes(_weights().to_bytes())
    rebuilt = RepeatIndex.build(((key, Signature.from_bytes(data)) for key, data in stored.items()),
                                weights_id=weights.weights_id)
    query = report_signature(REWORDED + "电话13812345678", weights=weights)
    assert rebuilt.match(signature=query) == _index(texts).match(signature=query) != []
    again = Signature.from_bytes(stored[1])
    assert again.identifiers == (("phone", "13812345678"),)
    assert similarity(again, _signature(texts[1])) == 1.0


def test_signature_made_with_other_weights_is_refused() -> None:
    index = RepeatIndex(weights_id=_weights().weights_id)
    with pytest.raises(ValueError, match="weights"):
        index.add(key=1, signature=report_signature(BASE))  # unweighted


def test_without_fitted_weights_a_copy_in_traditional_script_is_still_found() -> None:
    index = RepeatIndex.build([(1, report_signature(BASE)), (2, report_signature(OTHER))])
    query = report_signature(opencc.OpenCC("s2t").convert(BASE))
    assert [candidate.key for candidate in index.match(signature=query)] == [1]


def test_removed_report_is_no_longer_proposed_and_a_key_added_again_replaces_it() -> None:
    index = RepeatIndex(weights_id=_weights().weights_id)
    index.add(key=1, signature=_signature(BASE))
    index.add(key=2, signature=_signature(OTHER))
    index.remove(1)
    assert _keys(index, REWORDED) == []
    index.add(key=2, signature=_signature(BASE))
    assert _keys(index, REWORDED) == [2]
    assert len(index) == 1


def test_reports_added_one_by_one_are_found_before_and_after_they_are_merged() -> None:
    index = RepeatIndex(weights_id=_weights().weights_id)
    index._bands.merge_at = 3  # merge the recent additions into the sorted arrays early
    for key, text in enumerate([OTHER, SAME_OFFENCE_SAME_TOWN, BASE, OTHER + "。", BASE + "附近的群众都敢怒不敢言。"]):
        index.add(key=key, signature=_signature(text))
    assert set(_keys(index, REWORDED)) == {2, 4}


def test_fitted_weights_tell_a_repeat_from_a_report_that_only_shares_the_wording() -> None:
    original = _templated(town="白沙镇", village="柳林村", name="王建国", place="村口仓库", amount=8)
    near_miss = _templated(town="白沙镇", village="石桥村", name="刘长春", place="养猪场后面", amount=15)
    repeat = opencc.OpenCC("s2t").convert(original.replace(STOCK_CLOSING, "这个事情我去年就反映过。"))
    index = _index({1: original})
    assert similarity(report_signature(original), report_signature(near_miss)) > index.threshold  # unweighted
    assert _keys(index, near_miss) == []
    assert _keys(index, repeat) == [1]


def test_weights_stored_as_bytes_sign_alike_and_signatures_tell_their_weights() -> None:
    weights = _weights()
    again = ShingleWeights.from_bytes(weights.to_bytes())
    assert again.weights_id == weights.weights_id != 0
    assert (again.reports, again.latin_reports) == (weights.reports, weights.latin_reports)
    assert report_signature(REWORDED, weights=again).to_bytes() == _signature(REWORDED).to_bytes()
    assert signature_weights_id(_signature(BASE).to_bytes()) == weights.weights_id
    assert signature_weights_id(report_signature(BASE).to_bytes()) == 0
    assert shingle_weights_fit([BASE, OTHER]).weights_id != weights.weights_id


def test_an_index_built_in_chunks_beyond_its_first_capacity_finds_what_one_built_row_by_row_finds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import saohei.analytics.repeats as repeats

    monkeypatch.setattr(repeats, "_BUILD_CHUNK", 500)
    signatures = [_signature(text) for text in (BASE, SAME_OFFENCE_SAME_TOWN, OTHER + "电话13912345678")]
    rows = [(key, signatures[key % 3]) for key in range(2100)]  # more than the 1,024 rows it starts with
    built = RepeatIndex.build(iter(rows), weights_id=_weights().weights_id)
    one_by_one = RepeatIndex(weights_id=_weights().weights_id)
    for key, signature in rows:
        one_by_one.add(key=key, signature=signature)
    assert len(built) == 2100 and 2099 in built
    for query in (_signature(REWORDED), _signature("联系电话139-1234-5678")):
        assert built.match(signature=query, limit=3000) == one_by_one.match(signature=query, limit=3000) != []
    with pytest.raises(ValueError, match="duplicate"):
        RepeatIndex.build([(1, signatures[0]), (1, signatures[1])], weights_id=_weights().weights_id)
