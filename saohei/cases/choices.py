"""The closed vocabularies of cases and their outcomes (domain.md, "Cases and their outcomes")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", _("criminal case")
    ADMINISTRATIVE = "administrative", _("administrative case")


class CaseOrigin(models.TextChoices):
    CLUES = "clues", _("formed from clues")
    POLICE = "police", _("opened directly by the police")


class OrganizationType(models.TextChoices):
    NONE = "", _("no organisation")
    MAFIA_TYPE = "mafia_type_organization", _("mafia-type organisation")
    EVIL_FORCE_GROUP = "evil_force_group", _("evil-force criminal group")
    EVIL_FORCE_GANG = "evil_force_gang", _("evil-force gang")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("investigation")
    PROSECUTION_REVIEW = "prosecution_review", _("prosecution review")
    INDICTED = "indicted", _("indicted")
    FIRST_INSTANCE = "first_instance", _("first-instance trial")
    SECOND_INSTANCE = "second_instance", _("second-instance trial")
    EFFECTIVE_JUDGMENT = "effective_judgment", _("effective judgment")
    EXECUTION = "execution", _("execution")


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)
# Which kind of unit handles each stage: the police investigate, the procuratorate reviews and
# indicts, the courts try and judge (execution of the sentence is the court's to order).
STAGE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Stage.INVESTIGATION: frozenset({"police_bureau", "criminal_brigade", "police_station"}),
    Stage.PROSECUTION_REVIEW: frozenset({"procuratorate"}),
    Stage.INDICTED: frozenset({"procuratorate"}),
    Stage.FIRST_INSTANCE: frozenset({"court"}),
    Stage.SECOND_INSTANCE: frozenset({"court"}),
    Stage.EFFECTIVE_JUDGMENT: frozenset({"court"}),
    Stage.EXECUTION: frozenset({"court", "justice_bureau"}),
}


class SuspectRole(models.TextChoices):
    LEADER = "leader", _("leader (首要分子)")
    CORE = "core", _("core member")
    MEMBER = "member", _("member")
    OTHER = "other", _("other person involved")


class Custody(models.TextChoices):
    AT_LARGE = "at_large", _("at large")
    DETAINED = "detained", _("criminally detained")
    ARRESTED = "arrested", _("arrested")
    BAIL = "bail", _("released on bail")
    RESIDENTIAL = "residential", _("residential surveillance")
    RELEASED = "released", _("released")
    SERVING = "serving", _("serving sentence")


class SuspectOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    NOT_PROSECUTED = "not_prosecuted", _("not prosecuted")
    INDICTED = "indicted", _("indicted")
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")


class UmbrellaState(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", _("under investigation")
    CONCLUDED = "concluded", _("concluded")


class UmbrellaOutcome(models.TextChoices):
    PENDING = "", _("pending")
    PARTY_DISCIPLINE = "party_discipline", _("party discipline")
    ADMINISTRATIVE_SANCTION = "administrative_sanction", _("administrative sanction")
    BOTH_SANCTIONS = "party_and_administrative", _("party discipline and administrative sanction")
    TRANSFERRED_JUDICIAL = "transferred_judicial", _("transferred to judicial organs")
    NOT_SUBSTANTIATED = "not_substantiated", _("not substantiated")


SANCTIONED_OUTCOMES = frozenset({
    UmbrellaOutcome.PARTY_DISCIPLINE, UmbrellaOutcome.ADMINISTRATIVE_SANCTION, UmbrellaOutcome.BOTH_SANCTIONS,
    UmbrellaOutcome.TRANSFERRED_JUDICIAL,
})


class AssetKind(models.TextChoices):
    CASH = "cash", _("cash")
    DEPOSIT = "deposit", _("bank deposit")
    REAL_ESTATE = "real_estate", _("real estate")
    VEHICLE = "vehicle", _("vehicle")
    EQUITY = "equity", _("equity or shares")
    VALUABLES = "valuables", _("valuables")
    OTHER = "other", _("other property")


class AssetState(models.TextChoices):
    SEALED = "sealed", _("sealed")
    SEIZED = "seized", _("seized")
    FROZEN = "frozen", _("frozen")
    CONFISCATED = "confiscated", _("confiscated")
    RETURNED = "returned", _("returned")


# The states in which an asset counts as "sealed, seized or frozen" in the figures.
SECURED_STATES = frozenset({AssetState.SEALED, AssetState.SEIZED, AssetState.FROZEN})


class FugitiveLocation(models.TextChoices):
    HOME = "home", _("in China")
    ABROAD = "abroad", _("abroad")
    UNKNOWN = "unknown", _("not known")


class FugitiveOutcome(models.TextChoices):
    AT_LARGE = "at_large", _("still at large")
    ARRESTED = "arrested", _("arrested")
    SURRENDERED = "surrendered", _("surrendered")
    PERSUADED = "persuaded", _("persuaded to return")
    EXTRADITED = "extradited", _("extradited or repatriated")
    DIED = "died", _("died")


# "Caught" in the fugitive arrest rate: arrested, surrendered, or returned.
CAUGHT_OUTCOMES = frozenset({
    FugitiveOutcome.ARRESTED, FugitiveOutcome.SURRENDERED, FugitiveOutcome.PERSUADED, FugitiveOutcome.EXTRADITED,
})


class ReviewState(models.TextChoices):
    OPEN = "open", _("awaiting review")
    DECIDED = "decided", _("finding recorded")


class ReviewFinding(models.TextChoices):
    JUSTIFIED = "justified", _("conclusion justified on what was known")
    ERROR_NO_FAULT = "error_no_fault", _("wrong conclusion, no fault of the signers")
    NEGLIGENT = "negligent", _("wrong conclusion through negligence")
    MISCONDUCT = "misconduct", _("wrong conclusion through misconduct")
