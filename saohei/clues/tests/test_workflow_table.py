from pathlib import Path

from django.core.management import call_command

from saohei.clues.choices import State
from saohei.clues.workflow import MOVES, clue_state_from_tracks, mermaid

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_every_state_is_reachable_from_received():
    reached = {State.RECEIVED.value}
    changed = True
    while changed:
        changed = False
        for move in MOVES:
            target = move.target or None
            if target and reached.intersection(move.sources) and target not in reached:
                reached.add(target)
                changed = True
    reached.add(State.REVIEW.value)  # a repeat report on a closed clue
    assert reached == set(State.values)


def test_move_names_are_unique_and_every_move_names_roles():
    names = [m.name for m in MOVES]
    assert len(names) == len(set(names))
    assert all(m.roles for m in MOVES)


def test_a_dual_clue_stands_where_its_slower_track_stands():
    assert clue_state_from_tracks(["assigned", "assigned"]) == State.ASSIGNED
    assert clue_state_from_tracks(["verifying", "assigned"]) == State.VERIFYING
    assert clue_state_from_tracks(["concluded", "verifying"]) == State.VERIFYING
    assert clue_state_from_tracks(["concluded", "signed"]) == State.CONCLUDED
    assert clue_state_from_tracks(["signed", "signed"]) == State.SIGNED


def test_the_diagram_command_prints_mermaid_and_the_docs_copy_is_current(capsys):
    call_command("workflow", "diagram")
    out = capsys.readouterr().out
    assert out.startswith("stateDiagram-v2") and "concluded --> signed: sign" in out
    assert (DOCS / "workflow.mmd").read_text(encoding="utf-8") == mermaid(), "run `make diagram`"
    assert (DOCS / "workflow.svg").stat().st_size > 1000
