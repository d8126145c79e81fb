"""The `saohei` command: any Django management command, from any directory."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["saohei", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
