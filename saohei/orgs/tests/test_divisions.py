"""Loading the GB/T 2260 division tree and browsing it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from saohei.orgs.choices import Level
from saohei.orgs.divisions import divisions_for_year
from saohei.orgs.models import Jurisdiction
from saohei.orgs.selectors import jurisdiction_level_counts

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("orgs", "load-divisions", "--year", "2024", stdout=out)
    return out.getvalue()


def test_load_divisions_prints_the_2024_counts() -> None:
    output = _load()
    assert "34 provinces" in output
    assert "333 prefectures" in output
    assert "2846 county-level units" in output
    assert Jurisdiction.objects.filter(level=Level.COUNTY).count() == 2846


def test_loading_twice_changes_nothing() -> None:
    _load()
    assert "(0 updated)" in _load()
    assert Jurisdiction.objects.count() == 1 + 34 + 333 + 2846


def test_hubei_subtree_by_path_matches_the_data() -> None:
    _load()
    divisions = divisions_for_year(2024)
    under_hubei = {d.code for d in divisions if d.code.startswith("42") and d.code != "420000"}
    direct = [d for d in divisions if d.parent_code == "420000"]
    expected_cities = sum(d.level == Level.CITY for d in direct)
    expected_counties = sum(d.level == Level.COUNTY for d in divisions if d.code in under_hubei)

    hubei = Jurisdiction.objects.get(code="420000")
    subtree = Jurisdiction.objects.subtree(hubei).exclude(pk=hubei.pk)
    assert set(subtree.values_list("code", flat=True)) == under_hubei
    assert hubei.children.count() == len(direct) == 17  # 12 cities, 恩施州, 4 county-level units
    assert hubei.children.filter(level=Level.CITY).count() == expected_cities
    counts = jurisdiction_level_counts(hubei)
    assert (counts.provinces, counts.prefectures, counts.counties) == (0, expected_cities, expected_counties)
    wuhan = Jurisdiction.objects.get(code="420100")
    assert Jurisdiction.objects.get(code="420103").is_within(wuhan)


def test_jurisdiction_pages_browse_search_and_breadcrumbs(client, org) -> None:
    _load()
    client.force_login(org.users["verifier.jianghan"])
    page = client.get(reverse("jurisdiction-list")).content.decode()
    assert "湖北省" in page and "2846" in page

    found = client.get(reverse("jurisdiction-list"), {"q": "江汉"}).content.decode()
    assert "420103" in found and "江汉区" in found

    detail = client.get(reverse("jurisdiction-detail", args=["420103"])).content.decode()
    assert "武汉市" in detail and "湖北省" in detail  # breadcrumbs
    assert "江汉区扫黑除恶斗争领导小组办公室" in detail

    hubei = client.get(reverse("jurisdiction-detail", args=["420000"]))
    assert "仙桃市" in hubei.content.decode()
    assert hubei.context["counts"].counties == sum(
        d.level == Level.COUNTY for d in divisions_for_year(2024) if d.code.startswith("42")
    )
    assert client.get(reverse("jurisdiction-detail", args=["999999"])).status_code == 404
