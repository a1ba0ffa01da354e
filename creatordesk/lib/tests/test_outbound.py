"""The guarded outbound client against real HTTP(S) servers on loopback; only DNS answers are made up."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from creatordesk.lib import outbound

FAST = outbound.Limits(timeout_s=2, total_timeout_s=5, max_bytes=1000, max_redirects=3)


@dataclass
class Seen:
    """What a test server received."""

    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)


Answer = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Server:
    port: int
    seen: Seen
    url: str


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Answer, *, tls: ssl.SSLContext | None = None) -> Server:
        seen = Seen()

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen.requests.append((self.command, self.path, dict(self.headers), body))
                answer(self)

            do_GET = do_POST = _any

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if tls is not None:
            tls.sni_callback = lambda sock, name, ctx: seen.sni.append(name)
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        servers.append(server)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        port = server.server_address[1]
        return Server(port, seen, f"{'https' if tls else 'http'}://127.0.0.1:{port}")

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def reply(status: int, body: bytes = b"ok", **headers: str) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def loopback(port: int | None = None) -> outbound.AllowList:
    return outbound.AllowList.parse([f"127.0.0.1:{port}" if port else "127.0.0.1"])


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[list[str]]]:
    """Made-up DNS answers: each look-up of a name takes the next answer; the last one repeats."""
    answers: dict[str, list[list[str]]] = {}

    def resolve(host: str, port: int) -> list[outbound.IPAddress]:
        if host not in answers:
            raise outbound.UnresolvableHost(host)
        queue = answers[host]
        chosen = queue.pop(0) if len(queue) > 1 else queue[0]
        return [ipaddress.ip_address(a) for a in chosen]

    monkeypatch.setattr(outbound, "resolve", resolve)
    return answers


BLOCKED = [
    "127.0.0.1",
    "127.8.9.10",
    "0.0.0.0",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "192.0.0.8",
    "198.18.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "64:ff9b::a00:1",
    "2002:7f00:1::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_internal_and_special_addresses_are_not_public(address: str) -> None:
    assert not outbound.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_are_public_also_inside_ipv6_forms(address: str) -> None:
    assert outbound.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("host", "address"),
    [("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
     ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"), ("0x7f000001", "127.0.0.1"), ("0", "0.0.0.0")],
)  # fmt: skip
def test_numeric_spellings_are_read_like_the_c_resolver_reads_them(host: str, address: str) -> None:
    assert outbound.legacy_ipv4(host) == ipaddress.IPv4Address(address)
    # The system resolver agrees, which is why these spellings must be caught.
    assert socket.getaddrinfo(host, 80, type=socket.SOCK_STREAM)[0][4][0] == address


@pytest.mark.parametrize("host", ["example.com", "1.2.3.4.5", "0x", "0x.1", "256.1.1.1.1", "09.1.1.1"])
def test_names_that_are_not_numeric_addresses_are_left_to_dns(host: str) -> None:
    assert outbound.legacy_ipv4(host) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0/",
        "http://[::ffff:7f00:1]/",
        "http://10.0.0.1:6379/",
    ],
)
def test_urls_to_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(outbound.BlockedTarget):
        outbound.check_url(url)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://example.com/", "http://user:pw@example.com/",
     "http://example.com:99999/", "//example.com/", "http:///path"],
)  # fmt: skip
def test_urls_that_are_not_plain_http_are_refused(url: str) -> None:
    with pytest.raises(outbound.UnsupportedURL):
        outbound.check_url(url)


def test_a_name_is_refused_when_any_of_its_addresses_is_internal(dns) -> None:
    dns["mixed.example"] = [["93.184.215.14", "10.0.0.7"]]
    with pytest.raises(outbound.BlockedTarget, match=r"10\.0\.0\.7"):
        outbound.check_url("https://mixed.example/hook")
    dns["public.example"] = [["93.184.215.14"]]
    assert outbound.check_url("https://public.example/hook").addresses == (
        ipaddress.ip_address("93.184.215.14"),
    )


def test_a_name_that_does_not_resolve_is_reported_as_such() -> None:
    with pytest.raises(outbound.UnresolvableHost):
        outbound.check_url("https://no-such-host.invalid/")  # RFC 6761: never resolves


def test_the_allow_list_takes_hosts_ports_addresses_and_ranges() -> None:
    allow = outbound.AllowList.parse(
        ["hooks.internal", "ci.internal:8443", "10.0.0.0/8", "127.0.0.1:8080", "[fd00::1]:443"]
    )
    assert allow.allows_host("HOOKS.internal.", 1234) and allow.allows_host("ci.internal", 8443)
    assert not allow.allows_host("ci.internal", 443) and not allow.allows_host("other.internal", 80)
    assert allow.allows_address(ipaddress.ip_address("10.200.0.1"), 5432)
    assert allow.allows_address(ipaddress.ip_address("127.0.0.1"), 8080)
    assert not allow.allows_address(ipaddress.ip_address("127.0.0.1"), 8081)
    assert allow.allows_address(ipaddress.ip_address("fd00::1"), 443)
    assert not allow.allows_address(ipaddress.ip_address("fd00::2"), 443)
    for bad in ["http://x", "10.0.0.0/33", "host:http", "[::1]x", "a b"]:
        with pytest.raises(ValueError, match="is not a host"):
            outbound.AllowList.parse([bad])


def test_an_allow_listed_port_opens_that_port_only(serve) -> None:
    server = serve(reply(200))
    assert outbound.request("GET", server.url + "/", allow=loopback(server.port), limits=FAST).status == 200
    with pytest.raises(outbound.BlockedTarget):
        outbound.request("GET", server.url + "/", allow=loopback(server.port + 1), limits=FAST)
    assert len(server.seen.requests) == 1


def test_the_connection_goes_to_the_checked_address_while_host_names_the_host(serve, dns) -> None:
    server = serve(reply(200, b"hello"))
    # A rebinding name: checked once as loopback (allow-listed), then answering another address.
    dns["rebind.example"] = [["127.0.0.1"], ["127.0.0.2"]]
    response = outbound.request(
        "POST",
        f"http://rebind.example:{server.port}/hook?x=1",
        body=b"{}",
        allow=loopback(server.port),
        limits=FAST,
    )
    assert (response.status, response.body) == (200, b"hello")
    method, path, headers, body = server.seen.requests[0]
    assert (method, path, headers["Host"], body) == (
        "POST",
        "/hook?x=1",
        f"rebind.example:{server.port}",
        b"{}",
    )
    assert dns["rebind.example"] == [["127.0.0.2"]]  # asked exactly once


def test_a_redirect_to_an_address_outside_the_allow_list_is_refused_at_that_hop(serve) -> None:
    inner = serve(reply(200, b"secret"))
    outer = serve(reply(302, Location=f"http://127.0.0.1:{inner.port}/admin"))
    with pytest.raises(outbound.BlockedTarget):
        outbound.request("GET", outer.url + "/", allow=loopback(outer.port), limits=FAST)
    assert inner.seen.requests == []
    both = outbound.AllowList.parse([f"127.0.0.1:{outer.port}", f"127.0.0.1:{inner.port}"])
    assert outbound.request("GET", outer.url + "/", allow=both, limits=FAST).body == b"secret"


def test_redirects_stop_after_the_limit(serve) -> None:
    server = serve(reply(307, Location="/again"))
    with pytest.raises(outbound.TooManyRedirects):
        outbound.request("POST", server.url + "/", body=b"x", allow=loopback(), limits=FAST)
    assert [r[:2] for r in server.seen.requests] == [("POST", "/")] + [("POST", "/again")] * 3


def test_a_302_after_a_post_becomes_a_get_and_tokens_stay_with_their_origin(serve) -> None:
    other = serve(reply(200))
    first = serve(reply(302, Location=f"http://127.0.0.1:{other.port}/next"))
    headers = {"Access-Token": "secret", "Content-Type": "application/json", "User-Agent": "CreatorDesk"}
    outbound.request("POST", first.url + "/", body=b"{}", headers=headers, allow=loopback(), limits=FAST)
    method, _path, seen, body = other.seen.requests[0]
    assert (method, body, seen.get("User-Agent")) == ("GET", b"", "CreatorDesk")
    assert "Access-Token" not in seen and "Content-Type" not in seen
    assert first.seen.requests[0][2]["Access-Token"] == "secret"


def test_answers_over_the_cap_are_refused_with_or_without_a_length(serve) -> None:
    declared = serve(reply(200, b"x" * 5000))

    def streamed(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"y" * 5000)

    undeclared = serve(streamed)
    for server in (declared, undeclared):
        with pytest.raises(outbound.ResponseTooLarge):
            outbound.request("GET", server.url + "/", allow=loopback(), limits=FAST)


def test_a_receiver_that_never_answers_times_out(serve) -> None:
    release = threading.Event()
    server = serve(lambda handler: release.wait(5))
    started = time.monotonic()
    with pytest.raises(outbound.Unreachable):
        outbound.request("GET", server.url + "/", allow=loopback(), limits=outbound.Limits(timeout_s=0.3))
    release.set()
    assert time.monotonic() - started < 2


def test_a_closed_port_is_unreachable(serve) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(outbound.Unreachable):
        outbound.request("GET", f"http://127.0.0.1:{port}/", allow=loopback(), limits=FAST)


def _certificate(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for `name`, and a client context trusting only its issuer."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    client = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    return server, client


def test_https_to_a_pinned_address_still_checks_the_certificate_for_the_host_name(
    serve, dns, tmp_path, monkeypatch
) -> None:
    server_tls, client_tls = _certificate(tmp_path, "receiver.example")
    monkeypatch.setattr(outbound._PinnedHTTPSConnection, "context", client_tls)
    server = serve(reply(200, b"over tls"), tls=server_tls)
    dns["receiver.example"] = [["127.0.0.1"]]
    dns["impostor.example"] = [["127.0.0.1"]]
    allow = loopback(server.port)
    response = outbound.request("GET", f"https://receiver.example:{server.port}/", allow=allow, limits=FAST)
    assert response.body == b"over tls" and server.seen.sni == ["receiver.example"]
    with pytest.raises(outbound.Unreachable, match="certificate"):
        outbound.request("GET", f"https://impostor.example:{server.port}/", allow=allow, limits=FAST)
