"""The organisation in Django admin: for looking things up. Changes go through the product's own
pages, which call the services and write the audit chain; nothing is ever deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saohei.orgs.models import Jurisdiction, Membership, Office, Profile, Unit, WorkingGroup


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Browse and search only: no add, no change, no delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "year")
    list_filter = ("level", "year")
    search_fields = ("code", "name")
    show_full_result_count = False


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ("name", "jurisdiction", "default_deadline_days", "due_soon_days")
    search_fields = ("name", "jurisdiction__name", "jurisdiction__code")
    list_select_related = ("jurisdiction",)


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "sector", "office", "parent", "jurisdiction", "active")
    list_filter = ("kind", "sector", "active")
    search_fields = ("name", "office__name", "jurisdiction__code")
    list_select_related = ("office", "parent", "jurisdiction")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "office", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "office__name")
    list_select_related = ("office",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "title", "office", "unit", "working_group", "active", "created_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "title", "office__name", "unit__name", "working_group__name")
    list_select_related = ("user", "office", "unit", "working_group")


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ("user", "display_name", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "display_name")
