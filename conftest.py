"""Shared fixtures: the demo organisation and its named personas."""

from __future__ import annotations

import logging

import pytest

# A failing test prints its captured log; django_tasks logs every state change of every task at INFO,
# which buries the assertion that failed (CI shows only part of the output).
logging.getLogger("django_tasks").setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing thirty demo passwords with PBKDF2 costs seconds per test; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and built networks live in the cache; the portal's places, the repeat index, the
    gazetteer and the networks also in per-process memos. Each test starts with none (the rows they remember are
    rolled back with the test; the live server of a browser test is this process)."""
    from django.core.cache import cache

    from saohei.analytics.entity_services import gazetteer_forget
    from saohei.analytics.network_selectors import network_forget
    from saohei.analytics.repeat_store import repeat_index_forget
    from saohei.portal.places import places_forget

    def forget() -> None:
        cache.clear()
        places_forget()
        repeat_index_forget()
        gazetteer_forget()
        network_forget()

    forget()
    yield
    forget()


@pytest.fixture
def org(db):
    from saohei.clues.categories import offence_categories_ensure
    from saohei.demo.org import build_org

    offence_categories_ensure()  # a live-server test before this one may have flushed them
    return build_org()


@pytest.fixture
def clerk(org):
    """A county intake clerk and triage analyst of the 江汉区 office."""
    return org.users["clerk.jianghan"]


@pytest.fixture
def verifier(org):
    """A county verifier: the responsible officer at 民族街派出所, 江汉."""
    return org.users["verifier.jianghan"]


@pytest.fixture
def chief(org):
    """The 江汉 criminal-investigation brigade chief, fourth in the 五长一警 chain."""
    return org.users["chief.jianghan"]


@pytest.fixture
def city_director(org):
    """The director of the 武汉 municipal office."""
    return org.users["director.wuhan"]


@pytest.fixture
def other_verifier(org):
    """A verifier of another county: 大智街派出所, 江岸."""
    return org.users["verifier.jiangan"]
