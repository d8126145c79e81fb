"""Warming the network (ADR 0008): after `saohei analytics network-warm` (or its task) the first visit of the
network page is served from the cache without building the network in the request, for every member of the office
and for a new colleague with the same memberships; nobody is served another county's network; a new clue is in the
next network; and a change schedules one warm-up per office that sees it, only when a worker runs the tasks."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from saohei.analytics import network_selectors
from saohei.analytics.network_selectors import network_forget
from saohei.analytics.tasks import network_warm_soon, network_warm_task
from saohei.analytics.tests.test_entity_services import (
    GANG,
    JIANGAN,
    LOAN,
    received,
)
from saohei.analytics.tests.test_network_page import get, section
from saohei.orgs.choices import Role
from saohei.orgs.services import membership_grant, user_create

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saohei.analytics.tests.urls_network_test")]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The users whose network was built from here on, in order (a warm-up builds one per set of memberships)."""
    built: list[str] = []
    real = network_selectors.network_build

    def counted(user: Any, *, record_limit: int) -> Any:
        built.append(user.get_username())
        return real(user, record_limit=record_limit)

    monkeypatch.setattr(network_selectors, "network_build", counted)
    return built


def finds(user: Any, name: str) -> bool:
    """Whether searching the network page for `name` lists it."""
    status, text, _ = get(user, q=name)
    assert status == 200
    return name in section(text, "network-results")


def test_after_the_warm_up_every_member_s_first_visit_is_served_without_building_it(org, clerk, builds):
    received(org, GANG)
    received(org, LOAN)
    out, err = StringIO(), StringIO()
    code = org.offices["jianghan"].jurisdiction.code
    call_command("analytics", "network-warm", "--office", code, stdout=out, stderr=err)
    assert "built" in out.getvalue() and "locmem" in err.getvalue()  # tests keep the cache in this process
    warmed = len(builds)
    assert "clerk.jianghan" in builds and "director.jianghan" in builds and "verifier.jianghan" in builds

    network_forget()  # as another server process: nothing in its memory, the network comes from the cache
    colleague = user_create(username="clerk2.jianghan", display_name="王芳")
    for role in (Role.INTAKE_CLERK, Role.TRIAGE_ANALYST):
        membership_grant(user=colleague, role=role, office=org.offices["jianghan"], actor=None)
    for user in (clerk, org.users["director.jianghan"], colleague):
        assert finds(user, "陈大明") and finds(user, "张伟")
    assert len(builds) == warmed  # nobody waited for a build

    network_warm_task.call(org.offices["jianghan"].pk)  # nothing changed since: nothing to build again
    assert len(builds) == warmed


def test_a_warmed_network_is_never_served_to_a_clerk_of_another_county(org, clerk, builds):
    received(org, GANG)
    received(org, JIANGAN, place="jiangan")
    assert network_warm_task.call() >= 2  # every office
    warmed = len(builds)

    network_forget()
    other = org.users["clerk.jiangan"]
    assert finds(other, "李四海") and not finds(other, "陈大明")
    assert finds(clerk, "陈大明") and not finds(clerk, "李四海")
    assert len(builds) == warmed


def test_a_clue_received_after_the_warm_up_is_in_the_next_network(org, clerk, builds):
    received(org, GANG)
    network_warm_task.call(org.offices["jianghan"].pk)
    assert finds(clerk, "陈大明") and not finds(clerk, "张伟")
    warmed = len(builds)

    received(org, LOAN)
    assert finds(clerk, "张伟")
    assert builds[warmed:] == ["clerk.jianghan"]  # the clerk's network was built again, once


def test_a_change_schedules_one_warm_up_per_office_that_sees_it_when_a_worker_runs_the_tasks(org, clerk, settings,
                                                                                              tmp_path):
    gang = received(org, GANG)
    assert network_warm_soon(record_kind="clue", record_id=gang.pk) == 0  # tasks run inline: no warm-up in a request

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    # a worker's warm-up in its own process memory would help no server process: nothing is scheduled
    assert network_warm_soon(record_kind="clue", record_id=gang.pk) == 0
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}
    scheduled = network_warm_soon(record_kind="report", record_id=gang.reports.get().pk)
    assert network_warm_soon(record_kind="clue", record_id=gang.pk) == 0  # already pending: one warm-up covers both
    queued = [r for r in network_warm_task.get_backend().results if r.task.name == network_warm_task.name]
    offices = {r.args[0] for r in queued}
    assert scheduled == len(queued) == len(offices)
    assert {org.offices["jianghan"].pk, org.offices["wuhan"].pk} <= offices
    assert org.offices["jiangan"].pk not in offices  # 江岸 cannot see a 江汉 clue
    assert all(r.task.run_after is not None and r.task.priority < 0 for r in queued)
    assert network_warm_soon(record_kind="clue", record_id=0) == 0
