"""Sign-off chains in the product's pages: who may sign each step, creating and retiring a chain."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext, override

from saohei.audit.models import AuditEvent
from saohei.orgs.choices import Role, UnitKind
from saohei.signoff.models import SignoffPolicy
from saohei.signoff.services import policy_create, policy_for, signers_for, step_add

pytestmark = pytest.mark.django_db


def five_chiefs(org) -> SignoffPolicy:
    return SignoffPolicy.objects.get(office=org.offices["jianghan"], name="五长一警审核责任制")


def step_rows(response) -> dict[str, set[str]]:
    return {step.title: {u.username for u in signers} for step, signers in response.context["rows"]}


def test_five_chiefs_page_names_who_may_sign_each_step_for_minzu_station(client, org, verifier):
    client.force_login(verifier)
    policy = five_chiefs(org)
    response = client.get(
        reverse("signoff-policy-detail", args=[policy.pk]), {"unit": org.units["jh_minzu"].pk}
    )
    assert response.status_code == 200
    assert step_rows(response) == {
        "责任民警": {"verifier.jianghan"},
        "派出所分管副所长": {"deputy.minzu"},
        "派出所所长": {"head.minzu"},
        "刑侦大队大队长": {"chief.jianghan"},
        "分管副局长": {"deputy.jhbureau"},
        "局长": {"head.jhbureau"},
    }
    page = response.content.decode()
    titles = [s.title for s, _ in response.context["rows"]]
    assert titles == ["责任民警", "派出所分管副所长", "派出所所长", "刑侦大队大队长", "分管副局长", "局长"]
    assert "孙立军" in page and "张振华" in page  # display names of head.minzu and chief.jianghan
    # Another station of the same bureau has its own station chain but the same brigade and bureau chiefs.
    wansong = client.get(
        reverse("signoff-policy-detail", args=[policy.pk]), {"unit": org.units["jh_wansong"].pk}
    )
    rows = step_rows(wansong)
    assert rows["派出所所长"] == {"head.wansong"} and rows["刑侦大队大队长"] == {"chief.jianghan"}


def test_policy_list_per_office(client, org, other_verifier):
    client.force_login(other_verifier)
    page = client.get(reverse("signoff-policy-list")).content.decode()
    assert "三长负责制" in page and "五长一警审核责任制" not in page
    refused = client.get(reverse("signoff-policy-list"), {"office": org.offices["jianghan"].pk})
    assert refused.status_code == 403


def test_director_creates_a_three_chiefs_chain_with_ordered_steps(client, org):
    client.force_login(org.users["director.jiangan"])
    office = org.offices["jiangan"]
    data = {
        "office": office.pk,
        "name": "三长负责制（涉黑）",
        "track": "police",
        "category_code": "",
        "steps-TOTAL_FORMS": "8",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
        "steps-0-title": "派出所所长",
        "steps-0-role": Role.UNIT_CHIEF,
        "steps-0-unit_kind": UnitKind.POLICE_STATION,
        "steps-1-title": "刑侦大队大队长",
        "steps-1-role": Role.UNIT_CHIEF,
        "steps-1-unit_kind": UnitKind.CRIMINAL_BRIGADE,
        "steps-3-title": "分局局长",
        "steps-3-role": Role.UNIT_CHIEF,
        "steps-3-unit_kind": UnitKind.POLICE_BUREAU,
    }
    response = client.post(reverse("signoff-policy-create"), data)
    policy = SignoffPolicy.objects.get(name="三长负责制（涉黑）")
    assert response.status_code == 302
    assert [(s.order, s.title, s.unit_kind) for s in policy.steps.order_by("order")] == [
        (1, "派出所所长", UnitKind.POLICE_STATION),
        (2, "刑侦大队大队长", UnitKind.CRIMINAL_BRIGADE),
        (3, "分局局长", UnitKind.POLICE_BUREAU),
    ]
    assert AuditEvent.objects.filter(action="signoff_policy.create", object_id=str(policy.pk)).exists()
    detail = client.get(
        reverse("signoff-policy-detail", args=[policy.pk]), {"unit": org.units["ja_dazhi"].pk}
    )
    assert step_rows(detail) == {
        "派出所所长": {"head.dazhi"},
        "刑侦大队大队长": {"chief.jiangan"},
        "分局局长": {"head.jabureau"},
    }


def test_a_step_without_a_role_is_refused(client, org):
    client.force_login(org.users["director.jiangan"])
    response = client.post(
        reverse("signoff-policy-create"),
        {
            "office": org.offices["jiangan"].pk,
            "name": "缺角色",
            "track": "",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "20",
            "steps-0-title": "派出所所长",
        },
    )
    assert response.status_code == 400
    with override("zh-hans"):
        assert gettext("Choose the role that signs.") in response.content.decode()
    assert not SignoffPolicy.objects.filter(name="缺角色").exists()


def test_other_county_director_may_not_configure_jianghan_chains(client, org):
    client.force_login(org.users["director.jiangan"])
    policy = five_chiefs(org)
    assert (
        client.get(reverse("signoff-policy-create"), {"office": org.offices["jianghan"].pk}).status_code
        == 403
    )
    response = client.post(reverse("signoff-policy-deactivate", args=[policy.pk]), {"reason": "越权"})
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.active
    client.force_login(org.users["verifier.jianghan"])
    assert client.get(reverse("signoff-policy-create")).status_code == 403


def test_deactivating_a_chain_needs_a_reason_and_the_next_policy_takes_over(client, org):
    client.force_login(org.users["director.jianghan"])
    policy = five_chiefs(org)
    assert (
        client.post(reverse("signoff-policy-deactivate", args=[policy.pk]), {"reason": ""}).status_code == 400
    )
    policy.refresh_from_db()
    assert policy.active
    response = client.post(
        reverse("signoff-policy-deactivate", args=[policy.pk]), {"reason": "改用三长负责制"}
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert not policy.active
    assert (
        AuditEvent.objects.get(action="signoff_policy.deactivate", object_id=str(policy.pk)).reason
        == "改用三长负责制"
    )
    in_force = policy_for(
        unit=org.units["jh_minzu"], subject_type="verification", track="police", category_code=""
    )
    assert in_force is not None and in_force.pk != policy.pk


def test_step_add_appends_at_the_end(org):
    director = org.users["director.jianghan"]
    policy = policy_create(
        office=org.offices["jianghan"],
        name="试行链",
        actor=director,
        steps=[
            {"title": "承办人", "role": Role.VERIFIER, "unit_kind": ""},
        ],
    )
    step = step_add(
        policy=policy, actor=director, title="区扫黑办主任", role=Role.OFFICE_DIRECTOR, at_office=True
    )
    assert step.order == 2
    assert list(signers_for(step=step, assigned_unit=org.units["jh_housing"])) == [director]
    with pytest.raises(ValidationError):
        policy_create(office=org.offices["jianghan"], name="空链", actor=director, steps=[])
    with pytest.raises(ValidationError):
        step_add(
            policy=policy,
            actor=director,
            title="x",
            role=Role.OFFICE_DIRECTOR,
            at_office=True,
            unit_kind=UnitKind.COURT,
        )


def test_admin_shows_chains_read_only(client, org):
    client.force_login(org.users["admin"])
    policy = five_chiefs(org)
    page = client.get(reverse("admin:signoff_signoffpolicy_change", args=[policy.pk]))
    assert page.status_code == 200 and "刑侦大队大队长" in page.content.decode()
    assert client.get(reverse("admin:signoff_signoffpolicy_delete", args=[policy.pk])).status_code == 403
