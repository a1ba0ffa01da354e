"""Limits on guessing: failed sign-ins (through django-axes) and password-reset emails.

Both count in the database, which every web worker shares; a per-process cache would let each
worker grant its own allowance (OWASP ASVS 4.0 V2.2.1, OWASP Authentication Cheat Sheet).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from creatordesk.accounts.models import ThrottleHit
from creatordesk.accounts.services import throttle_hit_record

log = logging.getLogger(__name__)

# An ISP hands one subscriber at least a whole /64 (RFC 6177), and privacy addresses (RFC 8981)
# rotate inside it at will: counting single IPv6 addresses would give every client 2**64 allowances.
IPV6_CLIENT_PREFIX = 64

_proxy_warning_logged = False


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Count `Owner@x` and `owner@x ` as one account: users sign in with their email address."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return username.strip().lower() if isinstance(username, str) else None


def address_stands_for_every_client(address: str | None) -> bool:
    """Whether `address` is most likely a local reverse proxy rather than one client.

    Without BEHIND_PROXY every request through a proxy on the same machine (the usual set-up, `serve`
    binds 127.0.0.1) comes from loopback; a limit on that address would be a limit on the whole site.
    With BEHIND_PROXY a loopback client address really is a client on this machine.
    """
    if settings.TRUST_X_FORWARDED_FOR or address is None:
        return False
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _failure_sum(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with three limits instead of one.

    Axes compares one failure count with one limit (AXES_FAILURE_LIMIT). The count reported here is
    that of the account from this address, unless the address or the account as a whole is over its
    own limit; then it is the limit itself, so the request is locked:
    - LOGIN_IP_FAILURE_LIMIT failures from this address over any accounts (password spraying) lock
      every account for this address;
    - LOGIN_ACCOUNT_FAILURE_LIMIT failures of this account over all addresses (guessing from many
      addresses) lock this account for every address it has never signed in from.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # AXES_LOCKOUT_PARAMETERS lists the account+address pair first, the address alone second.
        account_attempts, address_attempts = self.get_user_attempts(request, credentials)
        account = _failure_sum(account_attempts)
        locked = max(account, settings.AXES_FAILURE_LIMIT)
        address = getattr(request, "axes_ip_address", None)
        if (
            not address_stands_for_every_client(address)
            and _failure_sum(address_attempts) >= settings.LOGIN_IP_FAILURE_LIMIT
        ):
            return locked
        username = login_username(request, credentials)
        # Anyone can spray wrong passwords at a known email address; sparing the addresses the
        # account has signed in from keeps its owner in (their own pair limit still applies).
        if (
            username
            and self._account_failures(request, username) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
            and (
                address is None
                or not AccessLog.objects.filter(username=username, ip_address=address).exists()
            )
        ):
            return locked
        return account

    @staticmethod
    def _account_failures(request: HttpRequest, username: str) -> int:
        """Failures of `username` within the cool-off over all addresses, at most AXES_FAILURE_LIMIT
        from each: once an address is locked its tries are refused unchecked, they guess nothing,
        and one address must not lock the account everywhere by repeating them."""
        per_address = (
            AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
            .order_by()
            .values("ip_address")
            .annotate(n=Sum("failures_since_start"))
            .values_list("n", flat=True)
        )
        return sum(min(n or 0, settings.AXES_FAILURE_LIMIT) for n in per_address)


def _counting_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        # The network's first address, not "a::/64": axes stores it in a GenericIPAddressField.
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False).network_address)
    return str(address)


def _warn_about_unconfigured_proxy(remote: str, forwarded: str) -> None:
    global _proxy_warning_logged
    if _proxy_warning_logged or not forwarded:
        return
    try:
        if not ipaddress.ip_address(remote).is_loopback:
            return
    except ValueError:
        return
    # Once per process: it is a set-up mistake, every request would repeat it. Request data does not
    # exist at start-up, so no system check can see it.
    _proxy_warning_logged = True
    log.warning(
        "Requests come from %s with an X-Forwarded-For header, but BEHIND_PROXY is off: every client "
        "looks like the proxy, so failed sign-ins of one account lock it for everybody. Set "
        "BEHIND_PROXY=true when CreatorDesk runs behind a reverse proxy.",
        remote,
    )


def client_address(request: HttpRequest) -> str | None:
    """The client's address, for sign-in and reset limits (AXES_CLIENT_IP_CALLABLE).

    Behind a proxy (BEHIND_PROXY) it is the last X-Forwarded-For entry, the one the proxy appended;
    entries before it come from the client and could name anyone. An IPv6 address stands for its
    whole /64 (as that network's first address), an IPv4-mapped one for the IPv4 address. None when
    there is no valid one.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidates = [remote]
    if settings.TRUST_X_FORWARDED_FOR:
        candidates.insert(0, forwarded.split(",")[-1].strip())
    else:
        _warn_about_unconfigured_proxy(remote, forwarded)
    for candidate in candidates:
        try:
            return _counting_address(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _reset_counters(*, request: HttpRequest, email: str) -> list[tuple[str, str, int]]:
    """(scope, key, limit) of every counter a reset mail to `email` for this request moves."""
    email = email.strip().lower()
    address = client_address(request)
    # The total per inbox bounds mail flooding; per inbox *and* client address a stranger uses up
    # only their own share, so the owner asking from elsewhere still gets a mail.
    counters = [("reset-email", email, settings.PASSWORD_RESET_EMAIL_LIMIT)]
    if not address_stands_for_every_client(address):
        key = address or "unknown"
        counters.append(("reset-ip", key, settings.PASSWORD_RESET_IP_LIMIT))
        counters.append(("reset-email-ip", f"{email} {key}", settings.PASSWORD_RESET_EMAIL_CLIENT_LIMIT))
    return counters


def _reset_window() -> timedelta:
    return timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)


def password_reset_allowed(*, request: HttpRequest, email: str) -> bool:
    """Whether a reset mail to `email` for this request stays within every limit (records nothing).

    At most PASSWORD_RESET_EMAIL_LIMIT mails per inbox, PASSWORD_RESET_EMAIL_CLIENT_LIMIT per inbox
    from one client address and PASSWORD_RESET_IP_LIMIT per client address in
    PASSWORD_RESET_WINDOW_MINUTES. Only mails sent count (password_reset_sent): refused requests and
    requests for addresses without an account would otherwise let anyone block anyone's reset.
    """
    # Checked before sending, counted after: requests racing in the same instant may each send one
    # more mail, a bounded overshoot that a lock around mail delivery would not be worth.
    since = timezone.now() - _reset_window()
    for scope, key, limit in _reset_counters(request=request, email=email):
        # Same digest as throttle_hit_record keeps.
        digest = hashlib.sha256(key.encode()).hexdigest()
        if ThrottleHit.objects.filter(scope=scope, key_digest=digest, created_at__gte=since).count() >= limit:
            return False
    return True


def password_reset_sent(*, request: HttpRequest, email: str) -> None:
    """Count one reset mail to `email` against every limit of password_reset_allowed."""
    for scope, key, _limit in _reset_counters(request=request, email=email):
        throttle_hit_record(scope=scope, key=key, window=_reset_window())
