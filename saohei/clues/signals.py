"""Hooks for layers above clues. Sent after commit; receivers only schedule work (tasks), they never
decide anything the services decide."""

from django.dispatch import Signal

#: A report was stored and its clue opened (``report_id``); analytics matches it against stored reports.
report_received = Signal()
