"""Managing the organisation in the product's own pages: who may, what is written, what is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext, override

from saohei.audit.models import AuditEvent
from saohei.core.models import DeletionForbidden
from saohei.orgs.choices import Role, UnitKind, WorkingGroupKind
from saohei.orgs.models import Membership, Unit, WorkingGroup

pytestmark = pytest.mark.django_db


def zh(text: str) -> str:
    """What a zh-hans user (the default) reads for this message."""
    with override("zh-hans"):
        return gettext(text)


def login(client, org, username):
    client.force_login(org.users[username])
    return client


def test_director_creates_a_police_station_under_the_bureau(client, org):
    login(client, org, "director.jianghan")
    bureau = org.units["jh_bureau"]
    response = client.post(
        reverse("unit-create"),
        {
            "office": org.offices["jianghan"].pk,
            "name": "江汉区分局北湖派出所",
            "kind": UnitKind.POLICE_STATION,
            "parent": bureau.pk,
            "sector": "",
            "jurisdiction": "",
        },
    )
    unit = Unit.objects.get(name="江汉区分局北湖派出所")
    assert response.status_code == 302 and response["Location"] == reverse("unit-detail", args=[unit.pk])
    assert unit.parent == bureau and unit.office == org.offices["jianghan"] and unit.active
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert event.actor == org.users["director.jianghan"]
    page = client.get(reverse("office-detail", args=[org.offices["jianghan"].pk])).content.decode()
    assert "江汉区分局北湖派出所" in page


def test_a_police_station_must_sit_under_a_police_bureau(client, org):
    login(client, org, "director.jianghan")
    response = client.post(
        reverse("unit-create"),
        {
            "office": org.offices["jianghan"].pk,
            "name": "错挂派出所",
            "kind": UnitKind.POLICE_STATION,
            "parent": org.units["jh_court"].pk,
        },
    )
    assert response.status_code == 200
    assert zh("A police station sits under a police bureau.") in response.content.decode()
    assert not Unit.objects.filter(name="错挂派出所").exists()


def test_director_grants_a_role_with_a_position_title(client, org):
    login(client, org, "director.jianghan")
    person = get_user_model().objects.create_user(username="new.officer", password="x" * 12)
    station = org.units["jh_minzu"]
    response = client.post(
        reverse("membership-grant"),
        {
            "username": "new.officer",
            "role": Role.VERIFIER,
            "place": f"unit:{station.pk}",
            "title": "责任民警",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.unit, membership.title, membership.active) == (
        Role.VERIFIER,
        station,
        "责任民警",
        True,
    )
    assert AuditEvent.objects.filter(action="membership.grant", object_id=str(membership.pk)).exists()


def test_director_creates_a_user_with_display_name_and_language(client, org):
    login(client, org, "director.jianghan")
    response = client.post(
        reverse("user-create"),
        {
            "username": "liu.min",
            "display_name": "刘敏",
            "language": "en",
            "password": "a-long-password-1",
        },
    )
    person = get_user_model().objects.get(username="liu.min")
    assert response.status_code == 302 and f"user={person.pk}" in response["Location"]
    assert (person.profile.display_name, person.profile.language) == ("刘敏", "en")
    assert person.check_password("a-long-password-1")
    taken = client.post(
        reverse("user-create"),
        {
            "username": "liu.min",
            "display_name": "x",
            "language": "en",
            "password": "a-long-password-1",
        },
    )
    assert zh("The user name %(name)s is taken.") % {"name": "liu.min"} in taken.content.decode()


def test_other_county_director_may_not_touch_jianghan(client, org):
    login(client, org, "director.jiangan")
    jianghan = org.offices["jianghan"]
    membership = Membership.objects.get(user=org.users["verifier.jianghan"])
    attempts = [
        client.get(reverse("unit-create"), {"office": jianghan.pk}),
        client.post(
            reverse("unit-create"), {"office": jianghan.pk, "name": "越权单位", "kind": UnitKind.OTHER}
        ),
        client.post(
            reverse("membership-grant"),
            {"username": "clerk.jiangan", "role": Role.VERIFIER, "place": f"unit:{org.units['jh_minzu'].pk}"},
        ),
        client.post(reverse("membership-revoke", args=[membership.pk]), {"reason": "越权"}),
        client.post(
            reverse("office-edit", args=[jianghan.pk]),
            {"name": jianghan.name, "default_deadline_days": 5, "due_soon_days": 1},
        ),
        client.post(reverse("unit-deactivate", args=[org.units["jh_minzu"].pk]), {"reason": "越权"}),
        client.get(reverse("office-detail", args=[jianghan.pk])),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert "forbidden-message" in response.content.decode()
    refusal = zh("Only the director of the office responsible for %(place)s, or a system administrator, may change it.")
    assert refusal.split("%(place)s")[-1].strip("。. ") in attempts[0].content.decode()
    assert not Unit.objects.filter(name="越权单位").exists()
    membership.refresh_from_db()
    assert membership.active
    jianghan.refresh_from_db()
    assert jianghan.default_deadline_days == 30
    assert not Membership.objects.filter(user=org.users["clerk.jiangan"], unit=org.units["jh_minzu"]).exists()


def test_a_verifier_reads_the_organisation_but_may_not_manage_it(client, org):
    login(client, org, "verifier.jianghan")
    office = org.offices["jianghan"]
    page = client.get(reverse("office-detail", args=[office.pk]))
    assert page.status_code == 200 and "民族街派出所" in page.content.decode()
    assert reverse("office-edit", args=[office.pk]) not in page.content.decode()
    refused = client.get(reverse("unit-create"))
    assert refused.status_code == 403
    assert zh("Only an office director or a system administrator may create units.") in refused.content.decode()
    units = client.get(reverse("unit-list"), {"kind": UnitKind.POLICE_STATION}).content.decode()
    assert "万松派出所" in units and "大智街派出所" not in units and "江汉区分局刑侦大队" not in units


def test_city_director_manages_the_county_offices_below(client, org):
    login(client, org, "director.wuhan")
    office = org.offices["jianghan"]
    response = client.post(
        reverse("office-edit", args=[office.pk]),
        {"name": office.name, "default_deadline_days": 20, "due_soon_days": 2},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.default_deadline_days == 20


def test_director_edits_the_default_deadline_of_their_office(client, org):
    login(client, org, "director.jianghan")
    office = org.offices["jianghan"]
    bad = client.post(
        reverse("office-edit", args=[office.pk]),
        {"name": office.name, "default_deadline_days": 0, "due_soon_days": 3},
    )
    assert bad.status_code == 200 and "form-error" in bad.content.decode()
    client.post(
        reverse("office-edit", args=[office.pk]),
        {"name": office.name, "default_deadline_days": 15, "due_soon_days": 3},
    )
    office.refresh_from_db()
    assert office.default_deadline_days == 15
    assert AuditEvent.objects.filter(action="office.update", object_id=str(office.pk)).exists()


def test_revoking_needs_a_reason_and_is_audited(client, org):
    login(client, org, "director.jianghan")
    membership = Membership.objects.get(user=org.users["verifier.jianghan"])
    empty = client.post(reverse("membership-revoke", args=[membership.pk]), {"reason": "   "})
    assert empty.status_code == 400
    membership.refresh_from_db()
    assert membership.active
    assert not AuditEvent.objects.filter(action="membership.revoke").exists()

    done = client.post(reverse("membership-revoke", args=[membership.pk]), {"reason": "调离民族街派出所"})
    assert done.status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    event = AuditEvent.objects.get(action="membership.revoke", object_id=str(membership.pk))
    assert event.reason == "调离民族街派出所" and event.actor == org.users["director.jianghan"]
    page = client.get(reverse("user-detail", args=[membership.user_id])).content.decode()
    assert "revoked" in page or "已撤销" in page


def test_a_unit_is_never_deleted_only_deactivated(client, org):
    unit = org.units["jh_tangjiadun"]
    with pytest.raises(DeletionForbidden):
        unit.delete()
    with pytest.raises(DeletionForbidden):
        Unit.objects.filter(pk=unit.pk).delete()
    login(client, org, "director.jianghan")
    assert client.post(reverse("unit-deactivate", args=[unit.pk]), {"reason": ""}).status_code == 400
    response = client.post(reverse("unit-deactivate", args=[unit.pk]), {"reason": "并入万松派出所"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.active is False
    assert AuditEvent.objects.get(action="unit.deactivate", object_id=str(unit.pk)).reason == "并入万松派出所"
    client.post(reverse("unit-reactivate", args=[unit.pk]))
    unit.refresh_from_db()
    assert unit.active


def test_working_group_with_units_and_members(client, org):
    login(client, org, "director.jianghan")
    office = org.offices["jianghan"]
    response = client.post(
        reverse("working-group-create"),
        {
            "office": office.pk,
            "name": "江汉区线索核查专班",
            "kind": WorkingGroupKind.VERIFICATION_TEAM,
            "units": [org.units["jh_bureau"].pk, org.units["jh_discipline"].pk],
        },
    )
    group = WorkingGroup.objects.get(name="江汉区线索核查专班")
    assert response.status_code == 302
    assert set(group.units.all()) == {org.units["jh_bureau"], org.units["jh_discipline"]}
    client.post(
        reverse("membership-grant"),
        {
            "username": "verifier.wansong",
            "role": Role.VERIFIER,
            "place": f"group:{group.pk}",
            "title": "专班成员",
        },
    )
    detail = client.get(reverse("working-group-detail", args=[group.pk])).content.decode()
    assert "刘洋" in detail and "江汉区纪委监委" in detail
    assert "江汉区线索核查专班" in client.get(reverse("working-group-list")).content.decode()
    foreign = client.post(
        reverse("working-group-create"),
        {
            "office": office.pk,
            "name": "跨区专班",
            "kind": WorkingGroupKind.THEMATIC,
            "units": [org.units["ja_bureau"].pk],
        },
    )
    assert foreign.status_code == 200 and not WorkingGroup.objects.filter(name="跨区专班").exists()


def test_only_a_sysadmin_grants_the_sysadmin_role(client, org):
    login(client, org, "director.jianghan")
    response = client.post(
        reverse("membership-grant"),
        {
            "username": "clerk.jianghan",
            "role": Role.SYSADMIN,
            "place": f"office:{org.offices['jianghan'].pk}",
        },
    )
    assert response.status_code == 200 and "form-error" in response.content.decode()
    assert not Membership.objects.filter(role=Role.SYSADMIN).exists()
    login(client, org, "admin")
    client.post(
        reverse("membership-grant"),
        {
            "username": "clerk.jianghan",
            "role": Role.SYSADMIN,
            "place": f"office:{org.offices['hubei'].pk}",
        },
    )
    assert Membership.objects.filter(role=Role.SYSADMIN, user=org.users["clerk.jianghan"]).exists()


def test_home_lists_own_offices_and_roles(client, org):
    login(client, org, "clerk.jianghan")
    page = client.get(reverse("orgs-home")).content.decode()
    assert "江汉区扫黑除恶斗争领导小组办公室" in page
    assert "研判员" in page and "受理员" in page
    assert reverse("unit-create") not in page
    login(client, org, "director.jianghan")
    assert reverse("unit-create") in client.get(reverse("orgs-home")).content.decode()


def test_unit_export_contains_only_visible_units(client, org):
    login(client, org, "verifier.jiangan")
    response = client.get(reverse("unit-export"))
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert "江岸区分局大智街派出所" in names and "江汉区分局民族街派出所" not in names


def test_admin_browses_without_delete(client, org):
    login(client, org, "admin")
    unit = org.units["jh_minzu"]
    assert client.get(reverse("admin:orgs_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:orgs_unit_change", args=[unit.pk])).status_code == 200
    assert client.get(reverse("admin:orgs_unit_delete", args=[unit.pk])).status_code == 403
    assert client.get(reverse("admin:orgs_unit_add")).status_code == 403


def test_every_page_renders_for_a_director_and_for_the_administrator(client, org):
    membership = Membership.objects.get(user=org.users["verifier.jianghan"])
    group = WorkingGroup.objects.create(
        office=org.offices["jianghan"], name="一逃一专班", kind="pursuit_team"
    )
    pages = [
        reverse("orgs-home"),
        reverse("jurisdiction-list"),
        reverse("jurisdiction-detail", args=["420103"]),
        reverse("office-list"),
        reverse("office-detail", args=[org.offices["jianghan"].pk]),
        reverse("office-edit", args=[org.offices["jianghan"].pk]),
        reverse("unit-list"),
        reverse("unit-list") + "?kind=police_station&jurisdiction=420103&active=true",
        reverse("unit-create") + f"?office={org.offices['jianghan'].pk}",
        reverse("unit-detail", args=[org.units["jh_bureau"].pk]),
        reverse("unit-edit", args=[org.units["jh_bureau"].pk]),
        reverse("unit-deactivate", args=[org.units["jh_bureau"].pk]),
        reverse("working-group-list"),
        reverse("working-group-create"),
        reverse("working-group-detail", args=[group.pk]),
        reverse("working-group-edit", args=[group.pk]),
        reverse("user-list"),
        reverse("user-list") + "?q=王",
        reverse("user-create"),
        reverse("user-detail", args=[membership.user_id]),
        reverse("user-edit", args=[membership.user_id]),
        reverse("membership-grant") + f"?user={membership.user_id}&place=unit:{org.units['jh_minzu'].pk}",
        reverse("membership-edit", args=[membership.pk]),
        reverse("membership-revoke", args=[membership.pk]),
        reverse("signoff-policy-list"),
        reverse("signoff-policy-create") + f"?office={org.offices['jianghan'].pk}",
    ]
    for username in ("director.jianghan", "admin"):
        login(client, org, username)
        for url in pages:
            assert client.get(url).status_code == 200, (username, url)


def test_people_list_is_limited_to_the_subtree(client, org):
    login(client, org, "director.jiangan")
    page = client.get(reverse("user-list")).content.decode()
    assert "verifier.jiangan" in page and "verifier.jianghan" not in page
    assert client.get(reverse("user-detail", args=[org.users["verifier.jianghan"].pk])).status_code == 403
