"""Webhooks cannot be aimed at the installation's own network (OWASP SSRF Prevention Cheat Sheet).

Receivers are real HTTP servers on 127.0.0.1; the only thing made up is a DNS answer for names that
would otherwise need a real DNS server.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from creatordesk.lib import outbound
from creatordesk.notifications import receivers
from creatordesk.notifications.models import Delivery, Resend, Webhook
from creatordesk.notifications.receivers import RECEIVER_FAILED
from creatordesk.notifications.services import (
    RESENDS_PER_HOUR,
    delivery_attempt,
    delivery_retry,
    notify,
    webhook_create,
)
from creatordesk.notifications.tasks import deliver

pytestmark = pytest.mark.django_db

INTERNAL_URLS = [
    "http://127.0.0.1/hook",
    "http://127.0.0.1:5432/",
    "http://localhost/hook",
    "http://localhost.:8000/",
    "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://10.0.0.5/hook",
    "http://192.168.1.1/hook",
    "http://172.16.0.1/hook",
    "http://100.64.0.1/hook",
    "http://0.0.0.0:8000/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
]


@dataclass
class Receiver:
    """A real HTTP receiver on 127.0.0.1 and what it got."""

    port: int
    url: str
    got: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start(status: int = 204, location: str = "") -> Receiver:
        state = Receiver(0, "")

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                state.got.append((self.command, self.path))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _any

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        state.port = server.server_address[1]
        state.url = f"http://127.0.0.1:{state.port}/hook"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def dns(monkeypatch) -> dict[str, str]:
    """Made-up DNS answers (no DNS server is reachable here); everything else uses the real resolver."""
    answers: dict[str, str] = {}
    real = outbound.resolve

    def resolve(host: str, port: int) -> list[outbound.IPAddress]:
        if host in answers:
            return [ipaddress.ip_address(answers[host])]
        return real(host, port)

    monkeypatch.setattr(outbound, "resolve", resolve)
    return answers


@pytest.fixture(autouse=True)
def _nothing_allow_listed(settings) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []


def _webhook_delivery(side, url: str) -> Delivery:
    # Saved without the save-time check, as a receiver saved long ago (or whose DNS changed) would be.
    webhook = Webhook.objects.create(workspace=side.workspace, name="Receiver", url=url, flavour="json")
    [delivery] = [
        d for d in notify(workspace=side.workspace, event="decision", text="x") if d.webhook_id == webhook.pk
    ]
    return delivery


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_a_webhook_to_an_internal_address_is_refused_when_saved(side_a, url) -> None:
    with pytest.raises(ValidationError) as refused:
        webhook_create(workspace=side_a.workspace, name="Internal", url=url, flavour="json")
    codes = {error.code for error in refused.value.error_dict["url"]}
    assert codes & {"internal", "unsupported"}, codes
    assert not Webhook.objects.exists()


def test_the_form_explains_why_an_internal_receiver_is_refused(side_a, login_as) -> None:
    page = login_as(side_a.manager).post(
        "/notifications/",
        {"name": "Metadata", "url": "http://169.254.169.254/latest/meta-data/", "flavour": "json"},
    )
    assert page.status_code == 200 and not Webhook.objects.exists()
    assert "Webhooks can only be sent to receivers on the public internet." in page.content.decode()


def test_editing_a_webhook_in_the_admin_cannot_point_it_inside(side_a, login_as, dns) -> None:
    dns["hooks.example.com"] = "93.184.215.14"
    webhook = webhook_create(
        workspace=side_a.workspace, name="Hook", url="https://hooks.example.com/x", flavour="json"
    )
    side_a.owner.is_staff = side_a.owner.is_superuser = True
    side_a.owner.save()
    page = login_as(side_a.owner).post(
        f"/admin/notifications/webhook/{webhook.pk}/change/",
        {
            "workspace": side_a.workspace.pk,
            "name": "Hook",
            "url": "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
            "flavour": "json",
            "active": "on",
        },
    )
    assert page.status_code == 200
    assert "Webhooks can only be sent to receivers on the public internet." in page.content.decode()
    webhook.refresh_from_db()
    assert webhook.url == "https://hooks.example.com/x"


def test_a_host_name_that_does_not_resolve_is_refused_with_its_own_message(side_a, login_as) -> None:
    page = login_as(side_a.manager).post(
        "/notifications/", {"name": "Typo", "url": "https://hooks.no-such-host.invalid/x", "flavour": "json"}
    )
    assert "The host name of this URL could not be found." in page.content.decode()
    assert not Webhook.objects.exists()


def test_a_public_receiver_is_saved(side_a, dns) -> None:
    dns["hooks.slack.com"] = "18.158.70.122"
    webhook = webhook_create(
        workspace=side_a.workspace,
        name="Slack",
        url="https://hooks.slack.com/services/T0/B0/x",
        flavour="slack",
    )
    assert Webhook.objects.get() == webhook


def test_a_name_that_turned_internal_after_saving_is_refused_when_sending(side_a, dns, receiver) -> None:
    inside = receiver()
    dns["hooks.example.com"] = "93.184.215.14"
    url = f"http://hooks.example.com:{inside.port}/hook"
    webhook_create(workspace=side_a.workspace, name="Rebinding", url=url, flavour="json")
    dns["hooks.example.com"] = "127.0.0.1"  # now it points at the receiver inside
    [delivery] = [
        d for d in notify(workspace=side_a.workspace, event="decision", text="x") if d.channel == "webhook"
    ]
    deliver.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert inside.got == []
    assert (delivery.status, delivery.last_error) == (Delivery.Status.PENDING, RECEIVER_FAILED)


def test_a_stored_internal_url_is_refused_when_sending(side_a, receiver) -> None:
    inside = receiver()
    delivery = _webhook_delivery(side_a, inside.url)
    delivery_attempt(delivery=delivery)
    assert inside.got == [] and delivery.last_error == RECEIVER_FAILED


@pytest.mark.parametrize("target", ["127.0.0.1:{other}", "169.254.169.254", "[::ffff:7f00:1]:{other}"])
def test_a_redirect_into_the_internal_network_is_refused_at_that_hop(
    side_a, settings, receiver, target
) -> None:
    other = receiver()
    first = receiver(status=302, location=f"http://{target.format(other=other.port)}/admin")
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{first.port}"]  # this receiver only, not its neighbours
    delivery = _webhook_delivery(side_a, first.url)
    delivery_attempt(delivery=delivery)
    assert first.got == [("POST", "/hook")] and other.got == []
    assert delivery.status == Delivery.Status.PENDING and delivery.last_error == RECEIVER_FAILED


def test_a_redirect_to_an_allow_listed_receiver_is_followed(side_a, settings, receiver) -> None:
    other = receiver()
    first = receiver(status=307, location=other.url)
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{first.port}", f"127.0.0.1:{other.port}"]
    delivery = _webhook_delivery(side_a, first.url)
    delivery_attempt(delivery=delivery)
    assert other.got == [("POST", "/hook")] and delivery.status == Delivery.Status.SENT


def test_every_failure_reads_the_same_so_the_log_is_no_port_scanner(
    side_a, settings, receiver, dns, login_as, monkeypatch
) -> None:
    answering_500 = receiver(status=500)
    silent = socket.socket()  # accepts connections and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    monkeypatch.setattr(receivers, "LIMITS", outbound.Limits(timeout_s=0.3, total_timeout_s=1))
    dns["gone.example.com"] = "10.9.8.7"
    settings.OUTBOUND_ALLOWED_HOSTS = [
        f"127.0.0.1:{answering_500.port}",
        f"127.0.0.1:{silent.getsockname()[1]}",
        "127.0.0.1:1",
    ]
    urls = {
        "open port answering 500": answering_500.url,
        "closed port": f"http://127.0.0.1:{_closed_port()}/",  # not allow-listed: blocked
        "closed allow-listed port": "http://127.0.0.1:1/",
        "port that never answers": f"http://127.0.0.1:{silent.getsockname()[1]}/",
        "blocked metadata address": "http://169.254.169.254/latest/meta-data/",
        "name resolving inside": "http://gone.example.com/",
        "name that does not resolve": "http://nothing.invalid/",
        "blocked scheme": "gopher://127.0.0.1:6379/_INFO",
    }
    errors = {}
    for what, url in urls.items():
        delivery = _webhook_delivery(side_a, url)
        delivery_attempt(delivery=delivery)
        errors[what] = delivery.last_error
        Webhook.objects.all().delete()
    silent.close()
    assert set(errors.values()) == {RECEIVER_FAILED}, errors
    assert answering_500.got == [("POST", "/hook")]
    page = login_as(side_a.manager).get("/notifications/").content.decode()
    assert page.count("The receiver could not be reached or did not accept the message.") == len(urls)


def _failed(side) -> Delivery:
    delivery = _webhook_delivery(side, "http://127.0.0.1:1/")
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, attempts=5)
    delivery.refresh_from_db()
    return delivery


def _queued(delivery: Delivery) -> int:
    return DBTaskResult.objects.filter(
        task_path="creatordesk.notifications.tasks.deliver", args_kwargs__kwargs__delivery_id=delivery.pk
    ).count()


def test_send_again_works_once_a_minute_per_delivery(
    side_a, login_as, django_capture_on_commit_callbacks
) -> None:
    delivery = _failed(side_a)
    client = login_as(side_a.manager)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/notifications/deliveries/{delivery.pk}/retry/", follow=True).content.decode()
    assert "Sending again." in first and _queued(delivery) == 1
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(f"/notifications/deliveries/{delivery.pk}/retry/", follow=True).content.decode()
    assert "This delivery was just sent again. Please wait a minute" in second and _queued(delivery) == 1
    Resend.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notifications/deliveries/{delivery.pk}/retry/")
    assert _queued(delivery) == 2


def test_a_workspace_can_send_again_only_so_often_per_hour(side_a, side_b) -> None:
    earlier = [_failed(side_a) for _ in range(RESENDS_PER_HOUR)]
    for delivery in earlier:
        delivery_retry(delivery=delivery)
    one_more = _failed(side_a)
    with pytest.raises(ValidationError, match="in the last hour"):
        delivery_retry(delivery=one_more)
    assert Delivery.objects.get(pk=one_more.pk).status == Delivery.Status.FAILED
    delivery_retry(delivery=_failed(side_b))  # another workspace has its own allowance
    Resend.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert delivery_retry(delivery=one_more).status == Delivery.Status.PENDING


def test_only_failed_deliveries_can_be_sent_again(side_a) -> None:
    delivery = _webhook_delivery(side_a, "http://127.0.0.1:1/")
    with pytest.raises(ValidationError, match="Only failed deliveries"):
        delivery_retry(delivery=delivery)
