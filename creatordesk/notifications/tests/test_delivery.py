"""Webhooks are posted to a real HTTP server on localhost; failures are retried and stay visible."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from creatordesk.notifications.models import Delivery, Webhook
from creatordesk.notifications.receivers import RECEIVER_FAILED
from creatordesk.notifications.services import MAX_ATTEMPTS, delivery_attempt, delivery_retry, notify

pytestmark = pytest.mark.django_db


def _webhooks(deliveries: list[Delivery]) -> list[Delivery]:
    return [d for d in deliveries if d.channel == Delivery.Channel.WEBHOOK]


class Receiver:
    def __init__(self) -> None:
        self.bodies: list[dict[str, object]] = []
        self.fail_next = 0


@pytest.fixture(autouse=True)
def _loopback_receivers_allowed(settings) -> None:
    # The receivers here listen on loopback, which webhooks reach only when an admin allow-lists it.
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state.fail_next:
                state.fail_next -= 1
                self.send_response(500)
            else:
                state.bodies.append(json.loads(body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_slack_and_discord_webhooks_get_their_payload_shape(side_a, receiver) -> None:
    state, url = receiver
    Webhook.objects.create(workspace=side_a.workspace, name="Slack", url=url, flavour="slack")
    Webhook.objects.create(workspace=side_a.workspace, name="Discord", url=url, flavour="discord")
    for delivery in notify(
        workspace=side_a.workspace, event="decision", text="Video approved", url="/reviews/1/"
    ):
        delivery_attempt(delivery=delivery)
    assert {"text": "Video approved http://127.0.0.1:8000/reviews/1/"} in state.bodies
    assert {"content": "Video approved http://127.0.0.1:8000/reviews/1/"} in state.bodies


def test_new_version_emails_the_reviewing_roles(side_a) -> None:
    for delivery in notify(workspace=side_a.workspace, event="version_uploaded", text="v2 is in"):
        delivery_attempt(delivery=delivery)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([side_a.owner.email, side_a.manager.email, side_a.reviewer.email])


def test_a_failing_receiver_is_retried_then_marked_failed_and_can_be_sent_again(side_a, receiver) -> None:
    state, url = receiver
    Webhook.objects.create(workspace=side_a.workspace, name="Flaky", url=url, flavour="json")
    state.fail_next = 1
    [delivery] = _webhooks(
        notify(workspace=side_a.workspace, event="changes_requested", text="Please change")
    )
    wait = delivery_attempt(delivery=delivery)
    assert wait is not None and delivery.status == Delivery.Status.PENDING
    assert delivery.last_error == RECEIVER_FAILED
    assert delivery_attempt(delivery=delivery) is None
    assert delivery.status == Delivery.Status.SENT
    assert state.bodies[0]["event"] == "changes_requested"

    state.fail_next = MAX_ATTEMPTS
    [delivery] = _webhooks(notify(workspace=side_a.workspace, event="decision", text="Again"))
    while delivery_attempt(delivery=delivery) is not None:
        pass
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == MAX_ATTEMPTS
    delivery_retry(delivery=delivery)
    assert delivery_attempt(delivery=delivery) is None
    assert delivery.status == Delivery.Status.SENT


def test_unreachable_webhook_is_recorded_not_raised(side_a) -> None:
    Webhook.objects.create(
        workspace=side_a.workspace, name="Gone", url="http://127.0.0.1:9/nothing", flavour="json"
    )
    [delivery] = _webhooks(notify(workspace=side_a.workspace, event="decision", text="x"))
    delivery_attempt(delivery=delivery)
    assert delivery.status == Delivery.Status.PENDING and delivery.last_error == RECEIVER_FAILED


def test_delivery_log_is_shown_to_managers(side_a, login_as) -> None:
    Webhook.objects.create(workspace=side_a.workspace, name="Team Slack", url="https://example.com/h")
    page = login_as(side_a.manager).get("/notifications/").content.decode()
    assert "Team Slack" in page
    assert login_as(side_a.viewer).get("/notifications/").status_code == 403


def test_a_malformed_allow_list_entry_stops_start_up(settings) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = ["hooks.internal:http"]
    with pytest.raises(
        SystemCheckError, match=r"OUTBOUND_ALLOWED_HOSTS: 'hooks\.internal:http' is not a host"
    ):
        call_command("check")
    settings.OUTBOUND_ALLOWED_HOSTS = ["hooks.internal:8443", "10.0.0.0/8"]
    call_command("check")
