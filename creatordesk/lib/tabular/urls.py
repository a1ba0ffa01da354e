"""Which platform a link belongs to."""

from __future__ import annotations

import re

_HOSTS = {
    "tiktok.com": "tiktok", "instagram.com": "instagram", "youtube.com": "youtube", "youtu.be": "youtube",
    "facebook.com": "facebook", "fb.com": "facebook", "fb.watch": "facebook", "threads.net": "threads",
    "threads.com": "threads",
}  # fmt: skip


def platform_of_host(host: str) -> str:
    """ "tiktok", "instagram", ... for a host name or one of its subdomains; "" for any other host."""
    host = host.lower().rstrip(".")
    for domain, platform in _HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return platform
    return ""


def platform_of_url(url: str) -> str:
    """The platform of a link, with or without scheme ("www.instagram.com/p/x"); "" when unknown."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/", 1)[0]
    return platform_of_host(host.split("@")[-1].split(":")[0])


def clean_url(url: str) -> str:
    """A post link without query, fragment and trailing slash, as posts are matched by it."""
    return url.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
