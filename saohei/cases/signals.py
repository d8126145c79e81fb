"""Hooks for layers above cases. Sent after commit; receivers only schedule work (tasks), they never
decide anything the services decide."""

from django.dispatch import Signal

#: A case's title or summary was written (``case_id``): when the case is opened, or when an update changed
#: either text. Analytics extracts the case's entities again. Not sent when the texts stay as they were.
case_text_changed = Signal()
