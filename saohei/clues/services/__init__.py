"""Every write to a clue goes through one of these services."""

from saohei.clues.services.assigning import clue_assign, clue_assign_dual, clue_escalate, clue_reopen, clue_return
from saohei.clues.services.closing import (
    clue_acknowledge_repeat,
    clue_close,
    clue_feedback,
    clue_reply,
    clue_supervise,
    clue_uphold,
)
from saohei.clues.services.receiving import report_receive
from saohei.clues.services.triage import clue_attach_reports, clue_triage
from saohei.clues.services.verifying import (
    clue_amend_conclusion,
    clue_conclude,
    clue_record_musts,
    clue_report_progress,
    clue_sign,
    clue_start,
)

__all__ = [
    "clue_acknowledge_repeat",
    "clue_amend_conclusion",
    "clue_assign",
    "clue_assign_dual",
    "clue_attach_reports",
    "clue_close",
    "clue_conclude",
    "clue_escalate",
    "clue_feedback",
    "clue_record_musts",
    "clue_reopen",
    "clue_reply",
    "clue_report_progress",
    "clue_return",
    "clue_sign",
    "clue_start",
    "clue_supervise",
    "clue_triage",
    "clue_uphold",
    "report_receive",
]
