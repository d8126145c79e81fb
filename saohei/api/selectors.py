"""What the API reads: the apps' own selectors, re-exported where the routers look for them."""

from __future__ import annotations

from saohei.clues.selectors import clue_get_for_user as clue_get_for_caller
from saohei.clues.selectors import report_list_for_user

__all__ = ["clue_get_for_caller", "report_list_for_user"]
