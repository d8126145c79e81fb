"""Sign-off chains and endorsements in Django admin: for looking things up, never for changing them."""

from __future__ import annotations

from django.contrib import admin

from saohei.orgs.admin import ReadOnlyAdmin
from saohei.signoff.models import Endorsement, SignoffPolicy, SignoffStep


class SignoffStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SignoffStep
    extra = 0
    fields = ("order", "title", "role", "unit_kind", "at_office", "position_title")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SignoffPolicy)
class SignoffPolicyAdmin(ReadOnlyAdmin):
    list_display = ("name", "office", "track", "category_code", "subject_type", "active")
    list_filter = ("track", "active", "subject_type")
    search_fields = ("name", "office__name")
    list_select_related = ("office",)
    inlines = [SignoffStepInline]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ("subject_type", "subject_id", "step", "signer", "signed_at", "voided_at")
    list_filter = ("subject_type",)
    search_fields = ("subject_id", "signer__username", "content_hash")
    list_select_related = ("step", "signer")
    date_hierarchy = "signed_at"
