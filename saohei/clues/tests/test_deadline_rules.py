"""Deadline defaults per office and clue category, set by the office director."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from saohei.audit.models import AuditEvent
from saohei.clues import services
from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive, triage_valid


def test_the_director_sets_a_category_deadline_that_the_next_assignment_takes(client, org, clerk):
    director = org.users["director.jianghan"]
    client.force_login(director)
    url = reverse("office-deadlines", kwargs={"pk": org.offices["jianghan"].pk})
    response = client.post(url, {"days_forced_transactions": "12"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="deadline_default.set").count() == 1
    clue = receive(org)
    triage_valid(org, clue)  # category forced_transactions
    assignment = services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    assert assignment.deadline == timezone.localdate() + dt.timedelta(days=12)
    # Blank drops the rule back to the office default (30 days); the rule's history stays.
    client.post(url, {"days_forced_transactions": ""})
    other = receive(org)
    triage_valid(org, other)
    assert services.clue_assign(clue=other, unit=org.units["jh_minzu"], actor=clerk).deadline == (
        timezone.localdate() + dt.timedelta(days=30)
    )


def test_others_may_read_but_not_set_the_deadlines(client, org, clerk):
    url = reverse("office-deadlines", kwargs={"pk": org.offices["jianghan"].pk})
    client.force_login(clerk)
    page = client.get(url)
    assert page.status_code == 200 and 'type="number"' not in page.content.decode()
    assert client.post(url, {"days_extortion": "5"}).status_code == 403
    client.force_login(org.users["director.jiangan"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("bad", ["0", "999", "abc"])
def test_a_bad_number_of_days_is_refused_and_nothing_changes(client, org, bad):
    client.force_login(org.users["director.jianghan"])
    url = reverse("office-deadlines", kwargs={"pk": org.offices["jianghan"].pk})
    response = client.post(url, {"days_extortion": bad})
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(action="deadline_default.set").exists()


def test_a_missed_progress_report_on_a_supervised_clue_is_listed(org, clerk, city_director):
    clue = receive(org)
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    services.clue_supervise(clue=clue, actor=city_director, level="municipal", interval_days=7)
    visible = Clue.objects.visible_to(city_director)
    assert not ClueFilterSet({"progress_overdue": "true"}, queryset=visible).qs.exists()
    Clue.objects.filter(pk=clue.pk).update(supervision_next_due=timezone.localdate() - dt.timedelta(days=1))
    assert list(ClueFilterSet({"progress_overdue": "true"}, queryset=visible).qs) == [clue]
    services.clue_report_progress(clue=clue, actor=org.users["verifier.jianghan"], text="已走访商户五家，正在调取账目")
    assert not ClueFilterSet({"progress_overdue": "true"}, queryset=visible).qs.exists()
