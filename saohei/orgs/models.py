"""The organisation: jurisdictions, offices, units, working groups and who holds which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.core.models import NoDeleteModel
from saohei.orgs.choices import Level, Role, Sector, UnitKind, WorkingGroupKind

NATIONAL_CODE = "000000"


class JurisdictionQuerySet(models.QuerySet["Jurisdiction"]):
    def subtree(self, root: Jurisdiction) -> JurisdictionQuerySet:
        return self.filter(path__startswith=root.path)


class Jurisdiction(NoDeleteModel):
    """A node of the GB/T 2260 tree. `path` is the materialised path of codes: "000000/420000/420100/"."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("division year"), default=2024)

    objects = JurisdictionQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta:
        ordering = ["path"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        indexes = [models.Index(fields=["path"], name="jurisdiction_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_within(self, other: Jurisdiction) -> bool:
        return self.path.startswith(other.path)

    def ancestors_paths(self) -> list[str]:
        parts = self.path.strip("/").split("/")
        return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class Office(NoDeleteModel):
    """The anti-gang office (扫黑办) of one jurisdiction."""

    jurisdiction = models.OneToOneField(Jurisdiction, on_delete=models.PROTECT, related_name="office")
    name = models.CharField(_("name"), max_length=120)
    default_deadline_days = models.PositiveSmallIntegerField(_("default deadline (days)"), default=30)
    due_soon_days = models.PositiveSmallIntegerField(_("warn days before deadline"), default=3)
    identity_needs_second_person = models.BooleanField(
        _("reading a reporter's identity needs a second person's approval"), default=False
    )
    portal_stores_client_address = models.BooleanField(
        _("the public portal keeps the client IP address of submissions"), default=False
    )

    class Meta:
        ordering = ["jurisdiction__path"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class Unit(NoDeleteModel):
    """A member unit (成员单位) under an office; police stations sit under a police bureau."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True, default="")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="units")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["jurisdiction__path", "kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def lineage_ids(self) -> list[int]:
        ids = [self.pk]
        node = self.parent
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids


class WorkingGroup(NoDeleteModel):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="working_groups")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=WorkingGroupKind.choices)
    units = models.ManyToManyField(Unit, blank=True, related_name="working_groups", verbose_name=_("units"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class Membership(NoDeleteModel):
    """A role a user holds in exactly one office, unit or working group."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("position title"), max_length=80, blank=True)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(office__isnull=False, unit__isnull=True, working_group__isnull=True)
                    | models.Q(office__isnull=True, unit__isnull=False, working_group__isnull=True)
                    | models.Q(office__isnull=True, unit__isnull=True, working_group__isnull=False)
                ),
                name="membership_exactly_one_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.place}"

    @property
    def place(self) -> Office | Unit | WorkingGroup:
        return self.office or self.unit or self.working_group  # type: ignore[return-value]


class Profile(models.Model):
    """Per-user preferences: the interface language and a display name."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="zh-hans")

    class Meta:
        verbose_name = _("profile")

    def __str__(self) -> str:
        return self.display_name or str(self.user)
