"""Guessing passwords and flooding password-reset mail are cut off (OWASP ASVS 4.0 V2.2.1, V2.5).

Reproduces: 30 wrong passwords in a few seconds were all answered normally and the right one then
worked, also when every try came from another address of one IPv6 network; every password-reset
request sent another email, and three requests from anyone stopped the owner's own reset mail.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client

from conftest import PASSWORD, Side
from creatordesk.accounts.services import user_create

pytestmark = pytest.mark.django_db

LOCKOUT_TEXT = "Too many failed sign-ins"


def _sign_in(client: Client, username: str, password: str, ip: str = "198.51.100.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def _is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
    side_a: Side, client: Client
) -> None:
    answers = [_sign_in(client, side_a.manager.email, f"wrong-{n}").status_code for n in range(30)]

    # The first four are ordinary "wrong password" pages, from the fifth on the lockout answers.
    assert answers[:4] == [200] * 4
    assert set(answers[4:]) == {429}
    locked = _sign_in(client, side_a.manager.email, PASSWORD)
    assert locked.status_code == 429
    assert not _is_signed_in(client)
    page = locked.content.decode()
    assert LOCKOUT_TEXT in page
    assert 'name="password"' in page  # the login page itself, not a bare error page


def test_the_lockout_page_follows_the_visitors_language(side_a: Side, client: Client) -> None:
    for n in range(5):
        _sign_in(client, side_a.manager.email, f"wrong-{n}")
    response = client.post(
        "/accounts/login/",
        {"username": side_a.manager.email, "password": "wrong"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="de">' in page and "Passwort vergessen?" in page
    assert 'data-testid="lockout"' in page and "Zu viele fehlgeschlagene Anmeldungen" in page


def test_a_locked_account_still_signs_in_from_another_address(side_a: Side, client: Client) -> None:
    for n in range(6):
        _sign_in(client, side_a.manager.email, f"wrong-{n}", ip="198.51.100.7")
    response = _sign_in(client, side_a.manager.email, PASSWORD, ip="203.0.113.9")
    assert response.status_code == 302
    assert _is_signed_in(client)


def test_one_address_guessing_over_many_accounts_is_locked_for_every_account(
    side_a: Side, client: Client, settings
) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    for n in range(12):
        # Three tries per account: never enough to lock one account, enough for the address.
        _sign_in(client, f"guess{n // 3}@alpha.example", "wrong")
    response = _sign_in(client, side_a.viewer.email, PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()
    assert not _is_signed_in(client)
    # The viewer from their own address is unaffected.
    assert _sign_in(client, side_a.viewer.email, PASSWORD, ip="203.0.113.9").status_code == 302


def test_an_admin_unlocks_an_account_with_the_reset_command(side_a: Side, client: Client) -> None:
    for n in range(6):
        _sign_in(client, side_a.manager.email, f"wrong-{n}")
    assert _sign_in(client, side_a.manager.email, PASSWORD).status_code == 429

    call_command("axes_reset_username", side_a.manager.email, verbosity=0)

    assert _sign_in(client, side_a.manager.email, PASSWORD).status_code == 302
    assert _is_signed_in(client)


def test_an_admin_unlocks_an_account_in_the_admin(side_a: Side, client: Client) -> None:
    for n in range(6):
        _sign_in(client, side_a.manager.email, f"wrong-{n}")
    assert _sign_in(client, side_a.manager.email, PASSWORD).status_code == 429
    admin = user_create(email="admin@example.com", password=PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    admin_client = Client()
    admin_client.force_login(admin)
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200

    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert response.status_code == 302
    assert _sign_in(client, side_a.manager.email, PASSWORD).status_code == 302


def _request_reset(client: Client, email: str, ip: str = "198.51.100.7"):
    return client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_emails_are_capped_per_address(side_a: Side, client: Client) -> None:
    answers = [_request_reset(client, side_a.viewer.email, ip=f"198.51.100.{n}") for n in range(15)]

    # However many client addresses ask, one inbox gets at most PASSWORD_RESET_EMAIL_LIMIT mails.
    assert len(mail.outbox) == 10
    # Every request gets the same answer, sent or not.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/accounts/password-reset/sent/")}


def test_password_reset_is_capped_per_client_address(side_a: Side, client: Client) -> None:
    addresses = [side_a.owner.email, side_a.manager.email, side_a.reviewer.email, side_a.viewer.email]
    for n in range(16):
        _request_reset(client, addresses[n % 4] if n < 12 else side_a.viewer.email.upper())
    # Ten requests from this address are allowed, whichever accounts they name.
    assert len(mail.outbox) == 10
    fresh = user_create(email="fresh@alpha.example", password=PASSWORD)
    _request_reset(client, fresh.email)
    assert len(mail.outbox) == 10
    _request_reset(client, fresh.email, ip="203.0.113.9")
    assert len(mail.outbox) == 11


def test_password_reset_answers_the_same_for_unknown_addresses(side_a: Side, client: Client) -> None:
    known = _request_reset(client, side_a.viewer.email)
    unknown = _request_reset(client, "nobody@alpha.example")
    for _n in range(5):
        capped = _request_reset(client, "nobody@alpha.example")
    assert known.status_code == unknown.status_code == capped.status_code == 302
    assert known["Location"] == unknown["Location"] == capped["Location"]
    assert len(mail.outbox) == 1


def test_guessing_from_rotating_addresses_of_one_ipv6_network_is_locked(side_a: Side, client: Client) -> None:
    # A single IPv6 subscriber holds a whole /64 and can pick a fresh address for every try.
    answers = [
        _sign_in(client, side_a.manager.email, f"wrong-{n}", ip=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(30)
    ]

    assert answers[:4] == [200] * 4
    assert set(answers[4:]) == {429}
    assert _sign_in(client, side_a.manager.email, PASSWORD, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert not _is_signed_in(client)
    # Refused tries are not guesses: another network is not locked out by them.
    assert _sign_in(client, side_a.manager.email, PASSWORD, ip="2001:db8:9:9::1").status_code == 302


def test_guessing_one_account_from_many_addresses_locks_it_except_where_it_signed_in_before(
    side_a: Side, client: Client, settings
) -> None:
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    assert _sign_in(Client(), side_a.manager.email, PASSWORD, ip="203.0.113.9").status_code == 302

    answers = [
        _sign_in(client, side_a.manager.email, f"wrong-{n}", ip=f"198.51.100.{n + 1}").status_code
        for n in range(25)
    ]

    assert answers[:19] == [200] * 19
    assert set(answers[19:]) == {429}
    assert _sign_in(client, side_a.manager.email, PASSWORD, ip="192.0.2.44").status_code == 429
    assert not _is_signed_in(client)
    # Other accounts are untouched, and the owner still gets in from where they signed in before.
    assert _sign_in(Client(), side_a.viewer.email, PASSWORD, ip="192.0.2.44").status_code == 302
    assert _sign_in(client, side_a.manager.email, PASSWORD, ip="203.0.113.9").status_code == 302
    assert _is_signed_in(client)


def test_without_behind_proxy_failures_through_a_local_proxy_do_not_lock_the_whole_site(
    side_a: Side, client: Client, settings
) -> None:
    settings.TRUST_X_FORWARDED_FOR = False
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    for n in range(12):
        _sign_in(client, f"guess{n // 3}@alpha.example", "wrong", ip="127.0.0.1")
    assert _sign_in(client, side_a.viewer.email, PASSWORD, ip="127.0.0.1").status_code == 302
    # Each account keeps its own limit.
    for n in range(5):
        _sign_in(Client(), side_a.manager.email, f"wrong-{n}", ip="127.0.0.1")
    assert _sign_in(Client(), side_a.manager.email, PASSWORD, ip="127.0.0.1").status_code == 429


def test_with_behind_proxy_a_loopback_client_counts_as_one_address(
    side_a: Side, client: Client, settings
) -> None:
    settings.TRUST_X_FORWARDED_FOR = True
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    for n in range(12):
        _sign_in(client, f"guess{n // 3}@alpha.example", "wrong", ip="127.0.0.1")
    assert _sign_in(client, side_a.viewer.email, PASSWORD, ip="127.0.0.1").status_code == 429


def test_reset_requests_that_send_nothing_do_not_use_up_the_allowance(side_a: Side, client: Client) -> None:
    for n in range(15):
        _request_reset(client, f"nobody{n}@alpha.example")
    _request_reset(client, side_a.viewer.email)
    assert len(mail.outbox) == 1


def test_one_address_cannot_use_up_the_reset_mails_of_an_account(side_a: Side, client: Client) -> None:
    for _n in range(10):
        _request_reset(client, side_a.viewer.email, ip="198.51.100.7")
    assert len(mail.outbox) == 3

    answer = _request_reset(client, side_a.viewer.email, ip="203.0.113.9")

    assert len(mail.outbox) == 4
    assert answer.status_code == 302 and answer["Location"] == "/accounts/password-reset/sent/"
