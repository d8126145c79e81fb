"""Choosing where it happened without JavaScript: one step per level of the jurisdiction tree.

Only places that some office receives reports for are offered: a place is choosable when an office
sits at or above it, and worth opening when it is choosable or an office sits below it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.db.models.signals import post_save

from saohei.orgs.models import Jurisdiction, Office
from saohei.orgs.selectors import jurisdiction_ancestors, jurisdiction_root


@dataclass
class PlaceStep:
    node: Jurisdiction | None
    ancestors: list[Jurisdiction]
    children: list[Jurisdiction]
    choosable: bool


# The form page and every submission ask "does some office receive reports for this place?". Offices and
# jurisdictions change a few times a year, so each server process keeps the answers for a short while
# (and forgets them at once when it saves an office or a jurisdiction itself).
CACHE_SECONDS = 60.0


@dataclass
class _Directory:
    loaded_at: float
    office_paths: list[str]
    places: dict[str, Jurisdiction | None] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


_lock = threading.Lock()
_directory: _Directory | None = None


def _current() -> _Directory:
    global _directory
    with _lock:
        if _directory is None or time.monotonic() - _directory.loaded_at > CACHE_SECONDS:
            paths = list(Office.objects.values_list("jurisdiction__path", flat=True))
            _directory = _Directory(loaded_at=time.monotonic(), office_paths=paths)
        return _directory


def places_forget(**_kwargs: object) -> None:
    global _directory
    with _lock:
        _directory = None


post_save.connect(places_forget, sender=Office, dispatch_uid="portal-places-office")
post_save.connect(places_forget, sender=Jurisdiction, dispatch_uid="portal-places-jurisdiction")


def office_paths() -> list[str]:
    return _current().office_paths


def is_choosable(place: Jurisdiction, paths: list[str]) -> bool:
    return any(place.path.startswith(p) for p in paths)


def is_navigable(place: Jurisdiction, paths: list[str]) -> bool:
    return is_choosable(place, paths) or any(p.startswith(place.path) for p in paths)


def place_step(code: str | None) -> PlaceStep:
    paths = office_paths()
    node = Jurisdiction.objects.filter(code=code).first() if code else None
    if node is None:
        node = jurisdiction_root()
    if node is None:
        return PlaceStep(node=None, ancestors=[], children=[], choosable=False)
    if not is_navigable(node, paths):
        node = jurisdiction_root() or node
    children = [c for c in Jurisdiction.objects.filter(parent=node).order_by("code") if is_navigable(c, paths)]
    ancestors = [a for a in jurisdiction_ancestors(node) if a.parent_id is not None or is_choosable(a, paths)]
    return PlaceStep(node=node, ancestors=ancestors, children=children, choosable=is_choosable(node, paths))


def place_for_code(code: str) -> Jurisdiction | None:
    """The chosen place if some office receives its reports."""
    directory = _current()
    if code in directory.places:
        return directory.places[code]
    place = Jurisdiction.objects.filter(code=code).select_related("parent__parent").first()
    if place is not None and not is_choosable(place, directory.office_paths):
        place = None
    if len(directory.places) < 10_000:  # bounded: codes come from the public
        directory.places[code] = place
    return place


def place_unknown() -> Jurisdiction | None:
    """Where a report goes when the reporter cannot say where: the highest office's jurisdiction."""
    offices = list(Office.objects.select_related("jurisdiction"))
    if not offices:
        return None
    highest: Office = min(offices, key=lambda o: (o.jurisdiction.depth, o.jurisdiction.path))
    return highest.jurisdiction


def place_label(place: Jurisdiction) -> str:
    """"湖北省 · 武汉市 · 江汉区" (without the national root)."""
    directory = _current()
    label = directory.labels.get(place.path)
    if label is None:
        names = [a.name for a in jurisdiction_ancestors(place) if a.parent_id is not None]
        label = " · ".join([*names, place.name])
        if len(directory.labels) < 10_000:
            directory.labels[place.path] = label
    return label
