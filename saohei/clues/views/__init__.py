"""Staff-side clue pages: my work, the ledger and its export, the clue page and its moves."""

from saohei.clues.views.deadlines import office_deadlines
from saohei.clues.views.detail import clue_detail
from saohei.clues.views.inbox import inbox
from saohei.clues.views.ledger import clue_export, clue_ledger
from saohei.clues.views.moves import clue_move

__all__ = ["clue_detail", "clue_export", "clue_ledger", "clue_move", "inbox", "office_deadlines"]
