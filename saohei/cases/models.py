"""Cases and what they yield: suspects, protective umbrellas, assets, fugitives, and the reviews of
clues that a later case showed to be wrongly concluded.

Every record carries the jurisdiction path of its case (or its own, for fugitives listed without a
case) so that subtree figures and visibility need no join.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.cases.choices import (
    AssetKind,
    AssetState,
    CaseKind,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    ReviewFinding,
    ReviewState,
    Stage,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
    UmbrellaState,
)
from saohei.clues.choices import SupervisionLevel
from saohei.core.models import NoDeleteModel, NoDeleteQuerySet, VoidableModel

USER = settings.AUTH_USER_MODEL


def _path_index(model: str) -> models.Index:
    return models.Index(fields=["jurisdiction_path"], name=f"{model}_path_like", opclasses=["varchar_pattern_ops"])


class CaseQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: object) -> CaseQuerySet:
        from saohei.cases.selectors import case_visibility_filter

        return self.filter(case_visibility_filter(user))  # type: ignore[arg-type]


class Case(VoidableModel):
    """A criminal (or administrative) case, formed from clues or opened directly by the police."""

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices, default=CaseKind.CRIMINAL)
    origin = models.CharField(_("origin"), max_length=16, choices=CaseOrigin.choices, default=CaseOrigin.CLUES)
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("office"))
    jurisdiction = models.ForeignKey("orgs.Jurisdiction", on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("jurisdiction"))
    jurisdiction_path = models.CharField(max_length=40)
    organization_type = models.CharField(_("organisation type"), max_length=32, choices=OrganizationType.choices,
                                         blank=True, default=OrganizationType.NONE)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organization_leader = models.CharField(_("organisation leader"), max_length=100, blank=True)
    offences = models.ManyToManyField("clues.OffenceCategory", blank=True, related_name="cases",
                                      verbose_name=_("offences"))
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.INVESTIGATION)
    stage_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("handling unit"))
    filed_on = models.DateField(_("filed (立案) on"), null=True, blank=True)
    solved_on = models.DateField(_("solved (破案) on"), null=True, blank=True)
    # Dates the case first reached these stages; the stage history holds every step.
    indicted_on = models.DateField(_("indicted on"), null=True, blank=True)
    first_judgment_on = models.DateField(_("first-instance judgment on"), null=True, blank=True)
    effective_judgment_on = models.DateField(_("effective judgment on"), null=True, blank=True)
    supervision_level = models.CharField(_("listed supervision level"), max_length=16,
                                         choices=SupervisionLevel.choices, blank=True, default="")
    lead_official = models.CharField(_("lead official (领导包案)"), max_length=100, blank=True)
    lead_official_position = models.CharField(_("lead official's position"), max_length=100, blank=True)
    destroyed = models.BooleanField(_("organisation destroyed (打掉)"), default=False)
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)
    regulator_negligence = models.TextField(_("regulator's negligence (一案三查)"), blank=True)
    clues = models.ManyToManyField("clues.Clue", through="CaseClue", related_name="cases", blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            _path_index("case"),
            models.Index(fields=["solved_on"], name="case_solved_on"),
            models.Index(fields=["destroyed_on", "organization_type"], name="case_destroyed"),
            models.Index(fields=["stage"], name="case_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseClue(NoDeleteModel):
    """A clue that this case was formed from (成案): what the case rate counts."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="clue_links")
    clue = models.ForeignKey("clues.Clue", on_delete=models.PROTECT, related_name="case_links")
    linked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "clue"], name="case_clue_unique")]
        verbose_name = _("clue of a case")
        verbose_name_plural = _("clues of cases")

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.clue_id}"


class CaseStage(NoDeleteModel):
    """One step of the case through the stages, with the unit that handled it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stages")
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="case_stages",
                             verbose_name=_("handling unit"))
    started_on = models.DateField(_("from"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "started_on", "id"]
        indexes = [models.Index(fields=["unit", "case"], name="case_stage_unit")]
        verbose_name = _("case stage")
        verbose_name_plural = _("case stages")

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage}"


class Consultation(NoDeleteModel):
    """A joint meeting (会商) of police, procuratorate and court on a difficult case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField("orgs.Unit", blank=True, related_name="+", verbose_name=_("units"))
    topic = models.TextField(_("topic"))
    decisions = models.TextField(_("decisions"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "held_on", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class Suspect(VoidableModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspects", verbose_name=_("case"))
    jurisdiction_path = models.CharField(max_length=40)
    name = models.CharField(_("name"), max_length=100)
    alias = models.CharField(_("alias or nickname"), max_length=100, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=SuspectRole.choices, default=SuspectRole.MEMBER)
    custody = models.CharField(_("custody"), max_length=16, choices=Custody.choices, default=Custody.AT_LARGE)
    # First dates, kept for the figures; the custody history holds every change.
    detained_on = models.DateField(_("criminally detained on"), null=True, blank=True)
    arrested_on = models.DateField(_("arrested on"), null=True, blank=True)
    surrendered = models.BooleanField(_("surrendered (投案自首)"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=SuspectOutcome.choices,
                               default=SuspectOutcome.PENDING)
    indicted_on = models.DateField(_("indicted on"), null=True, blank=True)
    judged_on = models.DateField(_("judged on"), null=True, blank=True)
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    sentence_months = models.PositiveIntegerField(_("sentence in months"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        indexes = [
            _path_index("suspect"),
            models.Index(fields=["detained_on"], name="suspect_detained_on"),
            models.Index(fields=["arrested_on"], name="suspect_arrested_on"),
        ]

    def __str__(self) -> str:
        return self.name


class CustodyChange(NoDeleteModel):
    suspect = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="custody_changes")
    custody = models.CharField(_("custody"), max_length=16, choices=Custody.choices)
    on = models.DateField(_("on"))
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["suspect", "on", "id"]
        verbose_name = _("custody change")
        verbose_name_plural = _("custody changes")

    def __str__(self) -> str:
        return f"{self.suspect_id} {self.custody} {self.on}"


class Umbrella(VoidableModel):
    """An official investigated for protecting a gang (保护伞): the discipline commission's case."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="umbrellas",
                             verbose_name=_("case"))
    # The discipline track of a dual-assigned clue that brought this official to light.
    clue = models.ForeignKey("clues.Clue", null=True, blank=True, on_delete=models.PROTECT, related_name="umbrellas",
                             verbose_name=_("clue"))
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="umbrellas")
    jurisdiction_path = models.CharField(max_length=40)
    name = models.CharField(_("official"), max_length=100)
    position = models.CharField(_("position"), max_length=200)
    employer = models.CharField(_("unit of the official"), max_length=200, blank=True)
    party_member = models.BooleanField(_("party member"), default=True)
    handling_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="umbrellas",
                                      verbose_name=_("handling discipline commission"))
    opened_on = models.DateField(_("investigation opened on"))
    state = models.CharField(_("state"), max_length=24, choices=UmbrellaState.choices,
                             default=UmbrellaState.UNDER_INVESTIGATION)
    outcome = models.CharField(_("outcome"), max_length=32, choices=UmbrellaOutcome.choices, blank=True,
                               default=UmbrellaOutcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    handling = models.TextField(_("handling by the discipline commission"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("protective umbrella")
        verbose_name_plural = _("protective umbrellas")
        indexes = [_path_index("umbrella"), models.Index(fields=["opened_on"], name="umbrella_opened_on")]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Asset(VoidableModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assets", verbose_name=_("case"))
    jurisdiction_path = models.CharField(max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    description = models.CharField(_("description"), max_length=300)
    holder = models.CharField(_("holder"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=16, decimal_places=2)
    state = models.CharField(_("state"), max_length=16, choices=AssetState.choices)
    # The day it was first sealed, seized or frozen: what the asset figure counts.
    secured_on = models.DateField(_("sealed, seized or frozen on"))
    state_on = models.DateField(_("state since"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        indexes = [_path_index("asset"), models.Index(fields=["secured_on"], name="asset_secured_on")]

    def __str__(self) -> str:
        return self.description


class AssetChange(NoDeleteModel):
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="changes")
    from_state = models.CharField(_("from"), max_length=16, choices=AssetState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=AssetState.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset", "on", "id"]
        verbose_name = _("asset change")
        verbose_name_plural = _("asset changes")

    def __str__(self) -> str:
        return f"{self.asset_id} {self.to_state} {self.on}"


class Fugitive(VoidableModel):
    """A target fugitive on the pursuit list (目标逃犯)."""

    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="fugitives")
    jurisdiction_path = models.CharField(max_length=40)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="fugitives",
                             verbose_name=_("case"))
    suspect = models.ForeignKey(Suspect, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("suspect"))
    name = models.CharField(_("name"), max_length=100)
    alias = models.CharField(_("alias or nickname"), max_length=100, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    listed_on = models.DateField(_("listed on"))
    pursuit_team = models.ForeignKey("orgs.WorkingGroup", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="fugitives", verbose_name=_("pursuit team"))
    location = models.CharField(_("where"), max_length=16, choices=FugitiveLocation.choices,
                                default=FugitiveLocation.UNKNOWN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=FugitiveOutcome.choices,
                               default=FugitiveOutcome.AT_LARGE)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-listed_on", "-id"]
        verbose_name = _("target fugitive")
        verbose_name_plural = _("target fugitives")
        indexes = [_path_index("fugitive"), models.Index(fields=["listed_on"], name="fugitive_listed_on")]

    def __str__(self) -> str:
        return self.name

    @property
    def year_listed(self) -> int:
        return self.listed_on.year


class AccountabilityReview(NoDeleteModel):
    """A clue concluded unsubstantiated whose facts a later case established (倒查): its signers answer."""

    clue = models.ForeignKey("clues.Clue", on_delete=models.PROTECT, related_name="accountability_reviews",
                             verbose_name=_("clue"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="accountability_reviews",
                             verbose_name=_("case"))
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=40)
    reason = models.TextField(_("why the conclusion is questioned"))
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN)
    finding = models.CharField(_("finding"), max_length=24, choices=ReviewFinding.choices, blank=True)
    finding_text = models.TextField(_("finding in detail"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["clue", "case"], name="accountability_review_unique")]
        indexes = [_path_index("review")]
        verbose_name = _("accountability review")
        verbose_name_plural = _("accountability reviews")

    def __str__(self) -> str:
        return f"{self.clue_id} / {self.case_id}"


class AccountabilitySigner(NoDeleteModel):
    """One chief who signed the questioned conclusion, as the endorsement recorded them."""

    review = models.ForeignKey(AccountabilityReview, on_delete=models.PROTECT, related_name="signers")
    endorsement = models.ForeignKey("signoff.Endorsement", on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="accountability_signatures")
    step_label = models.CharField(_("signed as"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    finding = models.CharField(_("finding"), max_length=24, choices=ReviewFinding.choices, blank=True)

    class Meta:
        ordering = ["review", "signed_at", "id"]
        verbose_name = _("signer under review")
        verbose_name_plural = _("signers under review")

    def __str__(self) -> str:
        return f"{self.review_id} {self.signer_id}"
