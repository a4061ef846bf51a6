"""Absolute addresses on the site, for emails and feeds, which are read away from it."""

from django.conf import settings


def site_url(path: str) -> str:
    """The site's own address (SITE_URL) with the path after it."""
    return settings.SITE_URL.rstrip("/") + path
