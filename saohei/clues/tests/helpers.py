"""Walking a clue through its life in tests."""

from __future__ import annotations

from typing import Any

from saohei.clues import services
from saohei.clues.models import Clue, OffenceCategory
from saohei.intake.choices import Channel
from saohei.intake.services import reporter_create

FIVE_CHIEFS = ["verifier.jianghan", "deputy.minzu", "head.minzu", "chief.jianghan", "deputy.jhbureau", "head.jhbureau"]


def receive(org: Any, *, subject: str = "江汉区某KTV老板纠集人员强迫交易", content: str | None = None,
            channel: str = Channel.HOTLINE, contact: str = "13800001111", place: str = "jianghan") -> Clue:
    reporter = reporter_create(name="张三", contact=contact) if channel in ("hotline", "portal", "letter") else None
    _report, clue, _code = services.report_receive(
        office=org.offices[place], jurisdiction=org.places[place], channel=channel, subject=subject,
        content=content or "举报人称：万某等人长期在江汉区民族街一带强迫商户购买其酒水，不从者遭殴打。",
        actor=org.users["clerk.jianghan" if place == "jianghan" else "clerk.jiangan"], reporter=reporter,
    )
    return clue


def triage_valid(org: Any, clue: Clue, **kw: Any) -> Clue:
    return services.clue_triage(clue=clue, actor=org.users["clerk.jianghan"], decision="valid",
                                category=OffenceCategory.objects.get(code="forced_transactions"), priority=2, **kw)


def to_concluded(org: Any, clue: Clue, conclusion: str = "unsubstantiated") -> Clue:
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=org.users["clerk.jianghan"])
    v = org.users["verifier.jianghan"]
    services.clue_start(clue=clue, actor=v)
    services.clue_record_musts(clue=clue, actor=v, reporter_met="met", reporter_met_note="3月2日在派出所当面询问",
                               content_rechecked=True, content_recheck_note="走访商户12家，调取监控",
                               feedback_planned=True)
    services.clue_conclude(clue=clue, actor=v, conclusion=conclusion,
                           finding="经走访核实，未发现万某强迫交易的事实，相关商户否认被强迫。")
    return Clue.objects.get(pk=clue.pk)


def to_signed(org: Any, clue: Clue, conclusion: str = "unsubstantiated") -> Clue:
    to_concluded(org, clue, conclusion)
    for username in FIVE_CHIEFS:
        services.clue_sign(clue=clue, actor=org.users[username])
    return Clue.objects.get(pk=clue.pk)


def to_closed(org: Any, clue: Clue) -> Clue:
    to_signed(org, clue)
    services.clue_feedback(clue=clue, actor=org.users["clerk.jianghan"], text="经核查，您反映的问题未查实。")
    services.clue_reply(clue=clue, actor=org.users["head.minzu"], text="已按要求核查完毕，结论已签批。")
    services.clue_close(clue=clue, actor=org.users["clerk.jianghan"])
    return Clue.objects.get(pk=clue.pk)
