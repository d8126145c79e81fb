"""Scenario fixtures: the demo organisation with the records of one seed loaded into it.

Loading a seed takes seconds (hundreds of service calls), so each test module loads it once: the
records are written inside a transaction that stays open for the module and is rolled back at its
end, and every test runs in a savepoint inside it (pytest-django's usual per-test rollback), so no
test sees another's changes and nothing outlives the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from tests.scenarios.loaders import NationalScenario, Scenario, seed_001, seed_004


@dataclass
class Loaded:
    org: Any
    world: Any


def _loaded(django_db_blocker: Any, load: Any) -> Iterator[Loaded]:
    from saohei.clues.categories import offence_categories_ensure
    from saohei.demo.org import build_org

    with django_db_blocker.unblock(), transaction.atomic():
        offence_categories_ensure()
        org = build_org()
        yield Loaded(org=org, world=load(org))
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def seed_004_loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Loaded]:
    yield from _loaded(django_db_blocker, seed_004)


@pytest.fixture(scope="module")
def seed_001_loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Loaded]:
    yield from _loaded(django_db_blocker, seed_001)


@pytest.fixture
def seed_004_world(seed_004_loaded: Loaded, db: Any) -> Scenario:
    return seed_004_loaded.world


@pytest.fixture
def seed_001_world(seed_001_loaded: Loaded, db: Any) -> NationalScenario:
    return seed_001_loaded.world


@pytest.fixture
def org(request: Any, db: Any) -> Any:
    """The organisation the module's seed was loaded into (not a second one)."""
    for name in ("seed_004_loaded", "seed_001_loaded"):
        if name in request.fixturenames:
            return request.getfixturevalue(name).org
    raise pytest.UsageError("scenario tests take seed_004_world or seed_001_world")
