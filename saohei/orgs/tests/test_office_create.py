"""Setting up the office of a jurisdiction that has none."""

from __future__ import annotations

from django.urls import reverse

from saohei.audit.models import AuditEvent
from saohei.orgs.choices import Level
from saohei.orgs.models import Office
from saohei.orgs.services import jurisdiction_ensure


def test_the_city_director_sets_up_a_district_office(client, org, city_director):
    qiaokou = jurisdiction_ensure(code="420104", name="硚口区", level=Level.COUNTY, parent=org.places["wuhan"])
    client.force_login(city_director)
    page = client.get(reverse("jurisdiction-detail", args=["420104"])).content.decode()
    assert reverse("office-create", args=["420104"]) in page
    form = {"name": "硚口区扫黑除恶斗争领导小组办公室", "default_deadline_days": "20", "due_soon_days": "5"}
    response = client.post(reverse("office-create", args=["420104"]), form)
    office = Office.objects.get(jurisdiction=qiaokou)
    assert response.status_code == 302 and response["Location"] == reverse("office-detail", args=[office.pk])
    assert (office.default_deadline_days, office.due_soon_days) == (20, 5)
    assert AuditEvent.objects.filter(action="office.create", object_id=str(office.pk)).exists()


def test_a_county_director_may_not_set_up_a_neighbours_office(client, org):
    jurisdiction_ensure(code="420104", name="硚口区", level=Level.COUNTY, parent=org.places["wuhan"])
    client.force_login(org.users["director.jianghan"])
    assert reverse("office-create", args=["420104"]) not in client.get(
        reverse("jurisdiction-detail", args=["420104"])).content.decode()
    response = client.post(reverse("office-create", args=["420104"]), {"name": "x", "default_deadline_days": "20",
                                                                       "due_soon_days": "3"})
    assert response.status_code == 403
    assert not Office.objects.filter(jurisdiction__code="420104").exists()


def test_a_second_office_for_the_same_place_is_refused(client, org, city_director):
    client.force_login(city_director)
    assert reverse("office-create", args=["420103"]) not in client.get(
        reverse("jurisdiction-detail", args=["420103"])).content.decode()
    response = client.post(reverse("office-create", args=["420103"]),
                           {"name": "重复的办公室", "default_deadline_days": "30", "due_soon_days": "3"})
    assert response.status_code == 200 and "form-error" in response.content.decode()
    assert Office.objects.filter(jurisdiction__code="420103").count() == 1
