"""The `network-warm` subcommand of `saohei analytics`: build the networks before the first user asks (ADR 0008)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

ACTIONS = frozenset({"network-warm"})


def network_parsers_add(sub: Any) -> None:
    warm = sub.add_parser("network-warm", help="Build and keep the network of every member of each office (or of "
                                               "one office), so that nobody waits for it on the network page.")
    warm.add_argument("--office", help="Only this office (the code of its jurisdiction, e.g. 420103).")


def network_handle(command: BaseCommand, options: dict[str, Any]) -> bool:
    """Run the subcommand if it is one of these; False for the others."""
    if options["action"] not in ACTIONS:
        return False
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from saohei.analytics.network_selectors import network_warm_office
    from saohei.orgs.models import Office

    offices = Office.objects.select_related("jurisdiction").order_by("jurisdiction__path")
    if options.get("office"):
        offices = offices.filter(jurisdiction__code=options["office"])
        if not offices.exists():
            raise CommandError(f"No office of the jurisdiction {options['office']}.")
    if isinstance(caches["default"], LocMemCache):
        command.stderr.write("The cache is this process's memory (SAOHEI_CACHE_URL=locmem://): the server processes "
                             "will not see these networks. Use db:// or redis:// to share them (ADR 0008).")
    for office in offices:
        done = network_warm_office(office=office)
        command.stdout.write(f"{office.jurisdiction.code} {done.office}: built {done.built} of {done.membership_sets} "
                             f"networks (one per set of memberships) in {done.seconds:.1f} s.")
    return True
