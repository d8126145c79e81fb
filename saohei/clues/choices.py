from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    VALID = "valid", _("valid")
    DUPLICATE = "duplicate", _("duplicate")
    REFERRED = "referred", _("referred")
    INVALID = "invalid", _("invalid")
    ASSIGNED = "assigned", _("assigned")
    VERIFYING = "verifying", _("verifying")
    CONCLUDED = "concluded", _("concluded")
    SIGNED = "signed", _("signed")
    CLOSED = "closed", _("closed")
    REVIEW = "review", _("under review")


OPEN_STATES = frozenset({State.ASSIGNED, State.VERIFYING})
WORKING_STATES = frozenset({State.ASSIGNED, State.VERIFYING, State.CONCLUDED, State.SIGNED})


class Priority(models.IntegerChoices):
    URGENT = 1, _("urgent")
    HIGH = 2, _("high")
    NORMAL = 3, _("normal")
    LOW = 4, _("low")


class Track(models.TextChoices):
    POLICE = "police", _("police track")
    DISCIPLINE = "discipline", _("discipline track")
    GENERAL = "general", _("general track")


class AssignmentMode(models.TextChoices):
    NORMAL = "normal", _("assigned")
    UPGRADE = "upgrade", _("escalated upward")
    OFFSITE = "offsite", _("moved off-site")
    REOPEN = "reopen", _("reopened for review")


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    VERIFYING = "verifying", _("verifying")
    CONCLUDED = "concluded", _("concluded")
    SIGNED = "signed", _("signed")
    RETURNED = "returned", _("returned for rework")
    ESCALATED = "escalated", _("escalated")


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("substantiated")
    PARTLY = "partly_substantiated", _("partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("unsubstantiated")
    UNVERIFIABLE = "unverifiable", _("cannot be verified")


class ReporterMet(models.TextChoices):
    PENDING = "pending", _("not yet recorded")
    MET = "met", _("met and questioned")
    UNREACHABLE = "unreachable", _("could not be reached")
    NOT_APPLICABLE = "not_applicable", _("no reporter (not a public report)")


class SupervisionLevel(models.TextChoices):
    NONE = "", _("not supervised")
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    MUNICIPAL = "municipal", _("municipal")
    COUNTY = "county", _("county")


class TriageDecision(models.TextChoices):
    VALID = "valid", _("valid clue")
    DUPLICATE = "duplicate", _("duplicate of an existing clue")
    REFERRED = "referred", _("not gang-related: referred to the competent department")
    INVALID = "invalid", _("invalid: no substantive content")
