"""Hooks for layers above clues. Sent after commit; receivers only schedule work (tasks), they never
decide anything the services decide."""

from django.dispatch import Signal

#: A report was stored and its clue opened (``report_id``); analytics matches it against stored reports.
report_received = Signal()

#: A clue's title or summary was written (``clue_id``): at intake, or when a service changes either text.
#: Analytics extracts the clue's entities again. Not sent when the texts stay as they were.
clue_text_changed = Signal()

#: Reports were attached to a clue (``clue_id``): a repeat report confirmed, or a duplicate triaged.
#: Analytics scores the clue again (independent repeats count towards its priority).
clue_reports_attached = Signal()
