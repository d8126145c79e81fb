"""The clue page: facts, reports, tracks, signatures, moves offered, timeline; 404 for clues not yours."""

from __future__ import annotations

from django.urls import reverse

from saohei.clues import services
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, to_concluded, triage_valid


def _page(client, clue) -> str:
    response = client.get(reverse("clue-detail", kwargs={"pk": clue.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_clerk_sees_the_facts_reports_and_timeline_of_a_received_clue(client, org, clerk):
    clue = receive(org, subject="民族街KTV强迫交易", content="举报人称万某强迫商户购买酒水。")
    report = clue.reports.get()
    client.force_login(clerk)
    html = _page(client, clue)
    assert clue.number in html
    assert "江汉区扫黑除恶斗争领导小组办公室" in html
    assert "举报人称万某强迫商户购买酒水。" in html
    assert reverse("report-detail", kwargs={"pk": report.pk}) in html
    assert report.number in html
    assert 'class="timeline"' in html and "李晓燕" in html
    # The triage moves are offered as buttons opening the modal.
    for name in ("triage_valid", "triage_duplicate", "triage_refer", "triage_invalid"):
        assert f'data-move="{name}"' in html
    assert 'hx-target="#modal"' in html
    assert 'data-move="assign"' not in html


def test_another_countys_verifier_gets_404_on_a_jianghan_clue(client, org, other_verifier):
    clue = receive(org)
    client.force_login(other_verifier)
    assert client.get(reverse("clue-detail", kwargs={"pk": clue.pk})).status_code == 404
    assert client.get(reverse("clue-move", kwargs={"pk": clue.pk, "name": "triage_valid"})).status_code == 404
    assert (
        client.post(
            reverse("clue-move", kwargs={"pk": clue.pk, "name": "triage_invalid"}), {"note": "无实质内容"}
        ).status_code
        == 404
    )
    clue.refresh_from_db()
    assert clue.state == "received"
    assert client.get(reverse("clue-detail", kwargs={"pk": 999999})).status_code == 404


def test_the_verifier_is_offered_the_track_moves_of_his_unit_only(client, org, verifier, clerk):
    clue = triage_valid(org, receive(org))
    track = services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    client.force_login(verifier)
    html = _page(client, clue)
    start = reverse("clue-move", kwargs={"pk": clue.pk, "name": "start"}) + f"?assignment={track.pk}"
    assert start in html
    assert 'data-move="triage_valid"' not in html
    client.force_login(clerk)
    html = _page(client, clue)
    assert 'data-move="start"' not in html


def test_signatures_missing_signatures_and_the_next_signer(client, org, clerk):
    clue = to_concluded(org, receive(org))
    for username in FIVE_CHIEFS[:2]:
        services.clue_sign(clue=clue, actor=org.users[username])
    client.force_login(clerk)
    html = _page(client, clue)
    assert "五长一警" in html
    assert "王磊" in html and "赵海" in html  # the two who signed
    missing = html[html.find('class="missing"') :]
    assert "派出所所长" in missing and "孙立军" in missing  # next step and who may sign it
    assert "局长" in missing
    track = clue.assignments.get()
    hashes = {
        e.content_hash[:12]
        for e in services.verifying.Endorsement.objects.filter(subject_id=str(track.verification.pk))
    }
    assert all(h in html for h in hashes)


def test_an_amended_conclusion_shows_the_voided_signatures_with_the_reason(client, org, clerk, verifier):
    clue = to_concluded(org, receive(org))
    for username in FIVE_CHIEFS[:2]:
        services.clue_sign(clue=clue, actor=org.users[username])
    services.clue_amend_conclusion(
        clue=clue,
        actor=verifier,
        conclusion="partly_substantiated",
        finding="补充走访后，部分商户承认曾被强迫购买酒水。",
        reason="补充调查发现新情况",
    )
    client.force_login(clerk)
    html = _page(client, clue)
    assert html.count('class="muted voided"') == 2
    assert "补充调查发现新情况" in html
