"""One guarded HTTP client for requests to addresses that users or platforms choose.

A URL somebody types in (a webhook receiver) must not become a way into the installation's own
network: the loopback interface, cloud metadata at 169.254.169.254, databases on private ranges
(server-side request forgery; OWASP Server-Side Request Forgery Prevention Cheat Sheet). So:

- only http and https;
- the host is resolved once and every address it resolves to must be public; loopback, link-local,
  private (RFC 1918, RFC 4193), shared (RFC 6598), reserved, multicast and unspecified addresses are
  refused, also when wrapped in an IPv6 form (IPv4-mapped, IPv4-compatible, 6to4, NAT64) or written
  as a decimal, octal or hex number (`http://2130706433/`, `http://0x7f.1/`), which the C resolver
  would quietly accept;
- the connection goes to the address that was checked, not to a second lookup of the name, so DNS
  rebinding between check and connect gains nothing; the Host header, TLS SNI and the certificate
  check still use the host name;
- redirects are followed by hand, a few at most, and every hop is checked like the first URL;
- answers are capped in size and every request has a time limit.

Internal receivers an administrator trusts are named in an explicit allow-list (host names, IP
addresses or CIDR ranges, optionally with a port). This module reads no Django settings: callers pass
the allow-list in. Errors carry their detail for the server log; callers decide what a user sees.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
type IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that may follow a redirect to another origin; anything else (tokens, cookies) stays behind.
CROSS_ORIGIN_HEADERS = frozenset({"accept", "accept-language", "user-agent"})
# RFC 6052 well-known prefix: on IPv6-only hosts with DNS64, public IPv4 sites resolve into it.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LEGACY_PART = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")
# Special-purpose ranges (IANA registries) that Python's `is_global` lets through in some versions.
_ALSO_BLOCKED = (
    ipaddress.IPv4Network("192.0.0.0/24"),  # IETF protocol assignments, RFC 6890
    ipaddress.IPv4Network("192.88.99.0/24"),  # former 6to4 relay anycast, RFC 7526
    ipaddress.IPv6Network("2001::/23"),  # IETF protocol assignments, RFC 2928
)


class OutboundError(Exception):
    """A request that was refused or did not complete; the message is for the server log only."""


class BlockedTarget(OutboundError):
    """The URL points at an address that is not public and not allow-listed."""


class UnsupportedURL(BlockedTarget):
    """Not an http(s) URL this client will request (scheme, credentials, port, malformed host)."""


class UnresolvableHost(OutboundError):
    """The host name does not resolve."""


class Unreachable(OutboundError):
    """Connecting, sending or reading failed or timed out, or the answer was not HTTP."""


class ResponseTooLarge(OutboundError):
    """The answer was longer than the cap."""


class TooManyRedirects(OutboundError):
    """The redirect chain was longer than allowed."""


@dataclass(frozen=True)
class AllowList:
    """Internal targets an administrator trusts: host names or networks, each optionally on one port."""

    hosts: frozenset[tuple[str, int | None]] = frozenset()
    networks: tuple[tuple[IPNetwork, int | None], ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Read entries such as `hooks.internal`, `hooks.internal:8443`, `10.0.0.0/8`, `127.0.0.1:8080`,
        `[fd00::1]:443`; raises ValueError naming the first entry that is none of these."""
        hosts: set[tuple[str, int | None]] = set()
        networks: list[tuple[IPNetwork, int | None]] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                host, port = _split_entry(entry)
                try:
                    networks.append((ipaddress.ip_network(host, strict=False), port))
                except ValueError:
                    if not re.fullmatch(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?", host.rstrip(".")):
                        raise
                    hosts.add((host.rstrip("."), port))
            except ValueError:
                raise ValueError(f"{raw!r} is not a host, host:port, IP address or CIDR range") from None
        return cls(hosts=frozenset(hosts), networks=tuple(networks))

    def allows_host(self, host: str, port: int) -> bool:
        host = host.lower().rstrip(".")
        return (host, port) in self.hosts or (host, None) in self.hosts

    def allows_address(self, address: IPAddress, port: int) -> bool:
        return any(
            address.version == network.version and address in network and allowed in (None, port)
            for network, allowed in self.networks
        )


def _split_entry(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):
        host, _bracket, rest = entry[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError(entry)
        return host, _port(rest[1:]) if rest else None
    if "/" in entry or entry.count(":") != 1:
        return entry, None  # a CIDR range or a bare IPv6 address: any port
    host, _colon, port = entry.partition(":")
    return host, _port(port)


def _port(text: str) -> int:
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError(text)
    return port


@dataclass(frozen=True)
class Limits:
    """How long and how much: per socket operation, for the whole request, for the answer."""

    timeout_s: float = 10.0
    total_timeout_s: float = 30.0
    max_bytes: int = 1024 * 1024
    max_redirects: int = 3


@dataclass(frozen=True)
class Response:
    """A complete, size-capped answer of the last hop."""

    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes
    url: str


@dataclass(frozen=True)
class Target:
    """A URL that passed the checks, with the addresses it may be fetched from."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[IPAddress, ...] = field(default=())


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for `host` (the one place DNS is asked)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableHost(f"{host}: {exc}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]))
        if address not in addresses:
            addresses.append(address)
    return addresses


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet, judged by the IPv4 address an IPv6 form wraps."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo is not None:
            return False  # a tunnel whose far end cannot be checked here
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
        if address.is_site_local:
            return False
    return address.is_global and not (
        any(address in network for network in _ALSO_BLOCKED if network.version == address.version)
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or int(address) >> 32 == 0:  # NAT64, or the deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address `inet_aton` would read from `host` (e.g. `2130706433`, `0x7f.1`, `0177.0.0.1`)."""
    parts = host.rstrip(".").split(".")
    if not 1 <= len(parts) <= 4 or not all(_LEGACY_PART.fullmatch(p) for p in parts):
        return None
    values = [
        int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if p.startswith("0") else int(p) for p in parts
    ]
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        return None
    number = last
    for index, value in enumerate(head):
        number |= value << (8 * (3 - index))
    return ipaddress.IPv4Address(number)


def check_url(url: str, allow: AllowList = AllowList()) -> Target:
    """Parse, resolve and check `url`; raises BlockedTarget, UnsupportedURL or UnresolvableHost."""
    scheme, host, port, path = _parsed_url(url)
    if allow.allows_host(host, port):
        return Target(scheme, host, port, path, tuple(_resolve_checked(host, port)))
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    spelled = legacy_ipv4(host) if literal is None else None
    if spelled is not None:
        # A number the C resolver reads as an address, never a real host name; refused whatever it is.
        raise BlockedTarget(f"{host}: an address written as {spelled} in another notation")
    addresses = [literal] if literal is not None else _resolve_checked(host, port)
    for address in addresses:
        if not is_public(address) and not allow.allows_address(address, port):
            raise BlockedTarget(f"{host} resolves to {address}, which is not public")
    return Target(scheme, host, port, path, tuple(addresses))


def _parsed_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, ASCII host, port and path with query of a URL this client may request; UnsupportedURL if not."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        scheme = parts.scheme.lower()
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError as exc:
        raise UnsupportedURL(f"malformed URL: {exc}") from None
    if scheme not in DEFAULT_PORTS:
        raise UnsupportedURL(f"scheme {scheme!r}")
    if parts.username is not None or parts.password is not None:
        raise UnsupportedURL("credentials in the URL")
    try:
        # A trailing dot names the same host; without it /etc/hosts answers as it would for DNS.
        host = (parts.hostname or "").removesuffix(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise UnsupportedURL("malformed host name") from None
    if not host or any(c in host for c in "%\\ \t\r\n"):
        raise UnsupportedURL("malformed host name")
    return scheme, host, port, urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))


def _resolve_checked(host: str, port: int) -> list[IPAddress]:
    addresses = resolve(host, port)
    if not addresses:
        raise UnresolvableHost(f"{host}: no addresses")
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to one checked address while the request still names the host."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT
    context = ssl.create_default_context()  # verifies the certificate chain and the host name

    def connect(self) -> None:
        super().connect()
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    allow: AllowList = AllowList(),
    limits: Limits = Limits(),
) -> Response:
    """Make one request, following up to `limits.max_redirects` checked redirects.

    Any status comes back as a Response (4xx and 5xx included); failures raise an OutboundError.
    """
    deadline = time.monotonic() + limits.total_timeout_s
    sent_headers = dict(headers or {})
    for hop in range(limits.max_redirects + 1):
        target = check_url(url, allow)
        response = _exchange(target, method, url, body, sent_headers, limits, deadline)
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        if hop == limits.max_redirects:
            raise TooManyRedirects(f"{target.host}: more than {limits.max_redirects} redirects")
        next_url = urllib.parse.urljoin(url, location.strip())
        if response.status == 303 or (response.status in (301, 302) and method not in ("GET", "HEAD")):
            # What browsers do (RFC 9110 section 15.4): the follow-up is a GET without the body.
            method, body = "GET", None
            sent_headers = {k: v for k, v in sent_headers.items() if k.lower() != "content-type"}
        if _origin(next_url) != _origin(url):
            sent_headers = {k: v for k, v in sent_headers.items() if k.lower() in CROSS_ORIGIN_HEADERS}
        url = next_url
    raise AssertionError("unreachable")  # the loop returns or raises on its last hop


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (
        parts.scheme.lower(),
        (parts.hostname or "").lower(),
        port or DEFAULT_PORTS.get(parts.scheme.lower()),
    )


def _exchange(
    target: Target,
    method: str,
    url: str,
    body: bytes | None,
    headers: Mapping[str, str],
    limits: Limits,
    deadline: float,
) -> Response:
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    failures: list[str] = []
    for address in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = connection_class(
            target.host, target.port, address=address, timeout=min(limits.timeout_s, remaining)
        )
        try:
            try:
                connection.connect()
            except OSError as exc:
                failures.append(f"{address}: {exc}")
                continue  # another address of the same host may answer
            connection.request(method, target.path, body=body, headers=dict(headers))
            answer = connection.getresponse()
            payload = _read_capped(answer, limits.max_bytes, deadline)
            return Response(answer.status, answer.reason, answer.msg, payload, url)
        except (OSError, http.client.HTTPException) as exc:
            raise Unreachable(f"{target.host} ({address}) port {target.port}: {exc!r}") from None
        finally:
            connection.close()
    raise Unreachable(f"{target.host} port {target.port}: {'; '.join(failures) or 'out of time'}")


def _read_capped(answer: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = answer.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"declared {declared} bytes, the cap is {max_bytes}")
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read(min(65536, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"more than {max_bytes} bytes")
        if time.monotonic() > deadline:
            # A receiver trickling bytes just inside the socket timeout must not hold a worker forever.
            raise Unreachable("the answer took longer than the time limit")
    return b"".join(chunks)
