"""Every write to a case, suspect, umbrella, asset, fugitive or accountability review goes through these."""

from saohei.cases.services.assets import asset_record, asset_state_change
from saohei.cases.services.cases import (
    case_clue_link,
    case_create,
    case_destroyed_record,
    case_solve,
    case_stage_advance,
    case_update,
    consultation_record,
    record_void,
)
from saohei.cases.services.fugitives import fugitive_add, fugitive_outcome_record
from saohei.cases.services.reviews import accountability_review_decide, accountability_review_open
from saohei.cases.services.suspects import suspect_add, suspect_custody_change, suspect_outcome_record
from saohei.cases.services.umbrellas import umbrella_conclude, umbrella_open

__all__ = [
    "accountability_review_decide",
    "accountability_review_open",
    "asset_record",
    "asset_state_change",
    "case_clue_link",
    "case_create",
    "case_destroyed_record",
    "case_solve",
    "case_stage_advance",
    "case_update",
    "consultation_record",
    "fugitive_add",
    "fugitive_outcome_record",
    "record_void",
    "suspect_add",
    "suspect_custody_change",
    "suspect_outcome_record",
    "umbrella_conclude",
    "umbrella_open",
]
