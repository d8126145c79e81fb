"""Receiving reports in analytics tests with the tasks they queue run at once (match, entities, score)."""

from __future__ import annotations

from typing import Any

from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive


def received(org: Any, subject: str, content: str, run: Any, **kw: Any) -> Clue:
    """Receive a report through the services; `run` is django_capture_on_commit_callbacks, so the work queued after
    commit is done before this returns."""
    with run(execute=True):
        return receive(org, subject=subject, content=content, **kw)
