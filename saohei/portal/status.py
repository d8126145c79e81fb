"""What a reporter is told about their report: a few plain words derived from the clue's state."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import State
from saohei.clues.models import Clue

RECEIVED = "received"
VERIFYING = "verifying"
CONCLUDED = "concluded"
REFERRED = "referred"
NO_SUBSTANCE = "no_substance"

LABELS: dict[str, Promise] = {
    RECEIVED: _("received"),
    VERIFYING: _("under verification"),
    CONCLUDED: _("concluded"),
    REFERRED: _("referred to the competent department"),
    NO_SUBSTANCE: _("concluded: no substantive content"),
}
EXPLANATIONS: dict[str, Promise] = {
    RECEIVED: _("Your report was received and is waiting to be examined."),
    VERIFYING: _("Your report is being verified. This can take weeks; you may add information at any time."),
    CONCLUDED: _("The verification of your report is concluded."),
    REFERRED: _("Your report concerns matters another department handles; it was sent on to them."),
    NO_SUBSTANCE: _("Your report was examined and found to hold no matter that could be verified."),
}

BY_STATE = {
    State.RECEIVED: RECEIVED,
    State.VALID: RECEIVED,
    State.ASSIGNED: VERIFYING,
    State.VERIFYING: VERIFYING,
    State.REVIEW: VERIFYING,
    State.CONCLUDED: CONCLUDED,
    State.SIGNED: CONCLUDED,
    State.CLOSED: CONCLUDED,
    State.REFERRED: REFERRED,
    State.INVALID: NO_SUBSTANCE,
}


@dataclass(frozen=True)
class ReporterStatus:
    key: str
    label: str
    explanation: str
    feedback: str


def reporter_status(clue: Clue | None) -> ReporterStatus:
    """The status and feedback a reporter sees; a duplicate follows the clue it duplicates."""
    seen: set[int] = set()
    while clue is not None and clue.state == State.DUPLICATE and clue.duplicate_of_id and clue.pk not in seen:
        seen.add(clue.pk)
        clue = clue.duplicate_of
    key = BY_STATE.get(State(clue.state), RECEIVED) if clue is not None and clue.state != State.DUPLICATE else RECEIVED
    feedback = clue.feedback_text.strip() if clue is not None else ""
    return ReporterStatus(key=key, label=str(LABELS[key]), explanation=str(EXPLANATIONS[key]), feedback=feedback)
