"""My work: what waits for each persona."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from saohei.clues import services
from saohei.clues.models import Assignment, Clue
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, to_concluded, triage_valid


def _section(html: str, key: str) -> str:
    start = html.find(f'id="inbox-{key}"')
    if start < 0:
        return ""
    end = html.find("</section>", start)
    return html[start:end]


def test_clerk_sees_a_received_clue_to_triage(client, org, clerk):
    clue = receive(org, subject="民族街KTV强迫交易")
    client.force_login(clerk)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    triage = _section(response.content.decode(), "triage")
    assert clue.number in triage
    assert "民族街KTV强迫交易" in triage
    assert reverse("clue-detail", kwargs={"pk": clue.pk}) in triage


def test_verifier_sees_an_assigned_clue_with_its_deadline_level(client, org, verifier):
    clue = receive(org, subject="万某收保护费")
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=org.users["clerk.jianghan"])
    # Ten days pass without verification: the deadline lies 3 days behind (yellow).
    late = timezone.localdate() - dt.timedelta(days=3)
    Assignment.objects.filter(clue=clue).update(deadline=late)
    Clue.objects.filter(pk=clue.pk).update(deadline=late)
    client.force_login(verifier)
    html = client.get(reverse("inbox")).content.decode()
    verify = _section(html, "verify")
    assert clue.number in verify
    assert "overdue-2" in verify
    assert "江汉区分局民族街派出所" in verify
    # Nothing to triage for a verifier.
    assert _section(html, "triage") == ""


def test_received_clue_is_not_in_the_verifiers_inbox(client, org, verifier):
    clue = receive(org)
    client.force_login(verifier)
    assert clue.number not in client.get(reverse("inbox")).content.decode()


def test_the_deputy_director_sees_the_conclusion_when_his_signature_is_next(client, org):
    clue = to_concluded(org, receive(org))
    deputy = org.users["deputy.jhbureau"]  # fifth of 五长一警
    client.force_login(deputy)
    assert clue.number not in _section(client.get(reverse("inbox")).content.decode(), "sign")
    for username in FIVE_CHIEFS[:4]:
        services.clue_sign(clue=clue, actor=org.users[username])
    sign = _section(client.get(reverse("inbox")).content.decode(), "sign")
    assert clue.number in sign
    assert reverse("clue-detail", kwargs={"pk": clue.pk}) in sign


def test_the_brigade_chief_sees_the_conclusion_when_his_signature_is_next(client, org, chief):
    clue = to_concluded(org, receive(org))
    for username in FIVE_CHIEFS[:3]:
        services.clue_sign(clue=clue, actor=org.users[username])
    client.force_login(chief)
    assert clue.number in _section(client.get(reverse("inbox")).content.decode(), "sign")


def test_inbox_needs_login(client, org):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
