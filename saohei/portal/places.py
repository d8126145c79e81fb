"""Choosing where it happened without JavaScript: one step per level of the jurisdiction tree.

Only places that some office receives reports for are offered: a place is choosable when an office
sits at or above it, and worth opening when it is choosable or an office sits below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from saohei.orgs.models import Jurisdiction, Office
from saohei.orgs.policies import office_for_path
from saohei.orgs.selectors import jurisdiction_ancestors, jurisdiction_root


@dataclass
class PlaceStep:
    node: Jurisdiction | None
    ancestors: list[Jurisdiction]
    children: list[Jurisdiction]
    choosable: bool


def office_paths() -> list[str]:
    return list(Office.objects.values_list("jurisdiction__path", flat=True))


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
    place = Jurisdiction.objects.filter(code=code).select_related("parent__parent").first()
    if place is None or office_for_path(place.path) is None:
        return None
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
    names = [a.name for a in jurisdiction_ancestors(place) if a.parent_id is not None]
    return " · ".join([*names, place.name])
