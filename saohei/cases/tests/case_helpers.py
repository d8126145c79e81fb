"""Building cases in tests: clues walked to a signed conclusion, cases formed from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saohei.cases import services
from saohei.cases.models import Case
from saohei.clues import services as clue_services
from saohei.clues.models import Clue, OffenceCategory
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, to_signed, triage_valid

THREE_CHIEFS_JIANGAN = ["head.dazhi", "chief.jiangan", "head.jabureau"]
DISCIPLINE_CHAIN = ["discipline.jianghan", "deputy.jhdiscipline", "head.jhdiscipline"]


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def signed_clue(org: Any, conclusion: str = "substantiated", *, place: str = "jianghan",
                subject: str = "江汉区某KTV老板纠集人员强迫交易") -> Clue:
    """A clue whose conclusion has been signed by the whole chain."""
    if place == "jianghan":
        return to_signed(org, receive(org, subject=subject), conclusion)
    clue = receive(org, place="jiangan", subject=subject or "江岸区大智街某棋牌室聚众赌博")
    clerk = org.users["clerk.jiangan"]
    clue_services.clue_triage(clue=clue, actor=clerk, decision="valid", priority=2,
                              category=OffenceCategory.objects.get(code="gambling"))
    clue_services.clue_assign(clue=clue, unit=org.units["ja_dazhi"], actor=clerk)
    v = org.users["verifier.jiangan"]
    clue_services.clue_start(clue=clue, actor=v)
    clue_services.clue_record_musts(clue=clue, actor=v, reporter_met="met", reporter_met_note="当面询问举报人",
                                    content_rechecked=True, content_recheck_note="走访周边商户",
                                    feedback_planned=True)
    clue_services.clue_conclude(clue=clue, actor=v, conclusion=conclusion,
                                finding="经走访核实，该棋牌室确有组织赌博、暴力讨债的事实。")
    for name in THREE_CHIEFS_JIANGAN:
        clue_services.clue_sign(clue=clue, actor=org.users[name])
    return Clue.objects.get(pk=clue.pk)


def dual_clue(org: Any, conclusion: str = "substantiated") -> Clue:
    """A clue naming an official, assigned to the police and the discipline commission, both tracks signed."""
    clue = receive(org, subject="江汉区某拆迁公司暴力拆迁，街道干部充当保护伞")
    triage_valid(org, clue, names_officials=True)
    police, discipline = clue_services.clue_assign_dual(
        clue=clue, police_unit=org.units["jh_minzu"], discipline_unit=org.units["jh_discipline"],
        actor=org.users["clerk.jianghan"])
    for track, people in ((police, FIVE_CHIEFS), (discipline, DISCIPLINE_CHAIN)):
        v = org.users[people[0]]
        clue_services.clue_start(clue=clue, actor=v, assignment_id=track.pk)
        clue_services.clue_record_musts(clue=clue, actor=v, reporter_met="met", reporter_met_note="当面询问",
                                        content_rechecked=True, content_recheck_note="调取拆迁档案",
                                        feedback_planned=True, assignment_id=track.pk)
        clue_services.clue_conclude(clue=clue, actor=v, conclusion=conclusion, assignment_id=track.pk,
                                    finding="经核查，反映的暴力拆迁及公职人员包庇问题属实。")
        for name in people:
            clue_services.clue_sign(clue=clue, actor=org.users[name], assignment_id=track.pk)
    return Clue.objects.get(pk=clue.pk)


def new_case(org: Any, *, clues: list[Clue] | None = None, actor: str = "director.jianghan",
             unit: str = "jh_brigade", place: str = "jianghan", filed_days_ago: int = 60, **kw: Any) -> Case:
    if clues is None:
        clues = [signed_clue(org, place=place)]
    fields: dict[str, Any] = {
        "title": "万某等人强迫交易案", "organization_type": "evil_force_gang", "organization_name": "万某恶势力团伙",
        "organization_leader": "万某", "offences": ["forced_transactions"], "filed_on": days_ago(filed_days_ago),
    }
    fields.update(kw)
    return services.case_create(actor=org.users[actor], office=org.offices[place], jurisdiction=org.places[place],
                                unit=org.units[unit], clues=clues, **fields)
