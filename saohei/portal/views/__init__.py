"""The public portal's pages."""

from saohei.portal.views.follow import follow
from saohei.portal.views.submit import done, home, submit

__all__ = ["done", "follow", "home", "submit"]
