"""The clue's life as one table: every move, where it may start, where it leads, and who may make it.

Read it top to bottom as a person would; `saohei workflow diagram` draws it.
Track moves (`level="track"`) act on one assignment and their sources name the
track's state; the clue follows when every active track has got there (a
dual-assigned clue concludes when both tracks have).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import AssignmentState, State
from saohei.orgs.choices import Role


class Scope(StrEnum):
    OFFICE = "office"  # staff of an office whose jurisdiction covers the clue
    HIGHER_OFFICE = "higher_office"  # staff of an office above the clue's own office
    ASSIGNED_UNIT = "assigned_unit"  # members of the unit holding the track, or of a unit above it
    SIGNOFF_CHAIN = "signoff_chain"  # the holder of the next step of the sign-off policy


@dataclass(frozen=True)
class Move:
    name: str
    label: str | Promise
    sources: tuple[State, ...]
    target: State | None  # None: the state does not change
    roles: frozenset[str]
    scope: Scope
    level: str = "clue"  # "clue" or "track"


TRIAGE_ROLES = frozenset({Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR})
OFFICE_ROLES = frozenset({Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR})
DIRECTOR = frozenset({Role.OFFICE_DIRECTOR})
VERIFIERS = frozenset({Role.VERIFIER, Role.UNIT_CHIEF, Role.DEPUTY_CHIEF})
CHIEFS = frozenset({Role.UNIT_CHIEF, Role.DEPUTY_CHIEF})
FEEDBACK_ROLES = frozenset({Role.INTAKE_CLERK, Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR})
SUPERVISORS = frozenset({Role.OFFICE_DIRECTOR, Role.SUPERVISOR})

R, V, D, RF, INV = State.RECEIVED, State.VALID, State.DUPLICATE, State.REFERRED, State.INVALID
A, VF, C, S, CL, RV = State.ASSIGNED, State.VERIFYING, State.CONCLUDED, State.SIGNED, State.CLOSED, State.REVIEW

MOVES: tuple[Move, ...] = (
    Move("triage_valid", _("triage: valid clue"), (R,), V, TRIAGE_ROLES, Scope.OFFICE),
    Move("triage_duplicate", _("triage: duplicate"), (R,), D, TRIAGE_ROLES, Scope.OFFICE),
    Move("triage_refer", _("triage: refer elsewhere"), (R,), RF, TRIAGE_ROLES, Scope.OFFICE),
    Move("triage_invalid", _("triage: invalid"), (R,), INV, TRIAGE_ROLES, Scope.OFFICE),
    Move("assign", _("assign"), (V,), A, OFFICE_ROLES, Scope.OFFICE),
    Move("assign_dual", _("dual assignment"), (V,), A, OFFICE_ROLES, Scope.OFFICE),
    Move("start", _("start verification"), (A,), VF, VERIFIERS, Scope.ASSIGNED_UNIT, "track"),
    Move("record_musts", _("record the three musts"), (VF,), None, VERIFIERS, Scope.ASSIGNED_UNIT, "track"),
    Move("conclude", _("conclude"), (VF,), C, VERIFIERS, Scope.ASSIGNED_UNIT, "track"),
    Move("amend_conclusion", _("amend the conclusion"), (C,), C, CHIEFS | {Role.VERIFIER},
         Scope.ASSIGNED_UNIT, "track"),
    Move("sign", _("sign"), (C,), S, frozenset(Role.values), Scope.SIGNOFF_CHAIN, "track"),
    Move("return", _("return for rework"), (VF, C), A, OFFICE_ROLES, Scope.OFFICE, "track"),
    Move("escalate", _("escalate (upgrade or off-site)"), (A, VF), A, DIRECTOR, Scope.OFFICE, "track"),
    Move("report_progress", _("report progress"), (A, VF, C), None, VERIFIERS, Scope.ASSIGNED_UNIT, "track"),
    Move("feedback", _("feedback to the reporter"), (S,), None, FEEDBACK_ROLES | VERIFIERS,
         Scope.OFFICE),
    Move("reply", _("reply to the assigning office"), (S,), None, VERIFIERS, Scope.ASSIGNED_UNIT),
    Move("close", _("close"), (S,), CL, OFFICE_ROLES, Scope.OFFICE),
    Move("acknowledge_repeat", _("review the repeat report"), (C, S), None, OFFICE_ROLES, Scope.OFFICE),
    Move("uphold", _("uphold the conclusion"), (RV,), CL, OFFICE_ROLES, Scope.OFFICE),
    Move("reopen", _("reopen"), (CL, RV), A, OFFICE_ROLES, Scope.OFFICE),
    Move("supervise", _("put under supervision"), (V, A, VF, C, S, RV), None, SUPERVISORS, Scope.HIGHER_OFFICE),
)

MOVES_BY_NAME: dict[str, Move] = {m.name: m for m in MOVES}

# How far each track has got; the clue stands where its slowest active track stands.
TRACK_RANK = {
    AssignmentState.ASSIGNED: 0,
    AssignmentState.VERIFYING: 1,
    AssignmentState.CONCLUDED: 2,
    AssignmentState.SIGNED: 3,
}
TRACK_TO_CLUE = {
    AssignmentState.ASSIGNED: State.ASSIGNED,
    AssignmentState.VERIFYING: State.VERIFYING,
    AssignmentState.CONCLUDED: State.CONCLUDED,
    AssignmentState.SIGNED: State.SIGNED,
}


def move_get(name: str) -> Move:
    try:
        return MOVES_BY_NAME[name]
    except KeyError:
        raise KeyError(name) from None


def clue_state_from_tracks(track_states: list[str]) -> State:
    """The clue's state from the states of its active tracks."""
    if not track_states:
        return State.VALID
    ranks = [TRACK_RANK[AssignmentState(s)] for s in track_states]
    slowest = min(ranks)
    if slowest == 0 and max(ranks) > 0:
        return State.VERIFYING
    state = next(s for s, r in TRACK_RANK.items() if r == slowest)
    return TRACK_TO_CLUE[state]


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES if state in m.sources]


def mermaid() -> str:
    """The state diagram in Mermaid syntax."""
    lines = ["stateDiagram-v2", "    [*] --> received"]
    for move in MOVES:
        for source in move.sources:
            target = move.target or source
            lines.append(f"    {source} --> {target}: {move.name}")
    lines.append("    closed --> review: repeat report")
    lines.append("    duplicate --> [*]")
    lines.append("    referred --> [*]")
    lines.append("    invalid --> [*]")
    lines.append("    closed --> [*]")
    return "\n".join(lines) + "\n"


def graphviz_dot() -> str:
    """The same diagram for Graphviz, from which docs/workflow.svg is drawn."""
    lines = ["digraph clue {", "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for move in MOVES:
        for source in move.sources:
            target = move.target or source
            lines.append(f'  {source} -> {target} [label="{move.name}"];')
    lines.append('  closed -> review [label="repeat report", style=dashed];')
    lines.append("}")
    return "\n".join(lines) + "\n"
