from saohei.clues.choices import State
from saohei.clues.tests.helpers import receive, to_closed


def test_a_hotline_report_walks_from_receipt_to_closed(org):
    clue = receive(org)
    clue = to_closed(org, clue)
    assert clue.state == State.CLOSED
    assert clue.events.count() >= 14
