"""`saohei token create USERNAME [--days N]`, `saohei token revoke PREFIX`, `saohei token list [USERNAME]`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saohei.api.models import ApiToken
from saohei.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "API bearer tokens: create (prints the token once), revoke, list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token for a user and print it (shown only once).")
        create.add_argument("username")
        create.add_argument("--days", type=int, default=None, help="Days until it expires (default: "
                            "SAOHEI_API_TOKEN_DAYS).")
        create.add_argument("--label", default="", help="What the token is for.")
        revoke = sub.add_parser("revoke", help="Revoke the token starting with PREFIX (as `token list` shows).")
        revoke.add_argument("prefix")
        revoke.add_argument("--reason", default="")
        listing = sub.add_parser("list", help="List tokens (never the tokens themselves).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "revoke":
            self._revoke(options)
        else:
            self._list(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No such user: {options['username']}")
        try:
            record, token = api_token_create(user=user, actor=None, days=options["days"], label=options["label"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        expires = timezone.localtime(record.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stderr.write(f"Token for {user.get_username()}, expires {expires}. It is shown only this once:")
        self.stdout.write(token)

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].rstrip("…").strip()
        matches: list[ApiToken] = []
        if len(prefix) >= 6:
            matches = list(ApiToken.objects.filter(prefix__startswith=prefix[:16], revoked_at__isnull=True))
        if len(prefix) > 16:
            matches = [m for m in matches if prefix.startswith(m.prefix)]
        if not matches:
            raise CommandError(f"No active token starts with {prefix!r} (give at least 6 characters).")
        if len(matches) > 1:
            raise CommandError(f"{len(matches)} tokens start with {prefix!r}: give more characters.")
        try:
            api_token_revoke(token=matches[0], actor=None, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Revoked {matches[0].prefix}… of {matches[0].user}.")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if options.get("username"):
            tokens = tokens.filter(user__username=options["username"])
        now = timezone.now()
        for t in tokens:
            if t.revoked_at is not None:
                status = f"revoked {timezone.localtime(t.revoked_at):%Y-%m-%d}"
            elif t.expires_at <= now:
                status = "expired"
            else:
                status = f"active until {timezone.localtime(t.expires_at):%Y-%m-%d}"
            used = f"last used {timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
            self.stdout.write(f"{t.prefix}…\t{t.user.get_username()}\t{status}\t{used}\t{t.label}")
