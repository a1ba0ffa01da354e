from __future__ import annotations

import logging

from django.test import RequestFactory

from creatordesk.accounts import throttling
from creatordesk.accounts.throttling import client_address, login_username


def test_client_address_is_the_connection_unless_behind_a_proxy(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_address(request) == "10.0.0.5"


def test_behind_a_proxy_only_the_address_the_proxy_appended_counts(settings) -> None:
    settings.TRUST_X_FORWARDED_FOR = True
    spoofed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_address(spoofed) == "198.51.100.7"
    direct = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")
    assert client_address(direct) == "10.0.0.5"


def test_sign_in_names_are_counted_case_and_space_insensitively() -> None:
    request = RequestFactory().post("/", {"username": " Owner@Example.com "})
    assert login_username(request, None) == "owner@example.com"
    assert login_username(request, {"username": "OWNER@example.com"}) == "owner@example.com"
    assert login_username(request, {"password": "x"}) is None


def test_a_missing_or_malformed_address_is_none(settings) -> None:
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="bogus")) is None
    garbled = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, bogus")
    assert client_address(garbled) == "10.0.0.5"


def test_an_ipv6_client_counts_as_its_whole_64_network(settings) -> None:
    settings.TRUST_X_FORWARDED_FOR = False
    first = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    second = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:bbbb:cccc:dddd:eeee")
    assert client_address(first) == client_address(second) == "2001:db8:1:2::"
    other = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert client_address(other) == "2001:db8:1:3::"


def test_an_ipv4_client_in_ipv6_notation_counts_as_its_ipv4_address(settings) -> None:
    settings.TRUST_X_FORWARDED_FOR = True
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="::ffff:198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_a_proxy_without_behind_proxy_is_reported_once(settings, caplog, monkeypatch) -> None:
    monkeypatch.setattr(throttling, "_proxy_warning_logged", False)
    settings.TRUST_X_FORWARDED_FOR = False
    direct = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    proxied = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    with caplog.at_level(logging.WARNING, logger="creatordesk.accounts.throttling"):
        client_address(direct)
        assert not caplog.records
        for _n in range(3):
            assert client_address(proxied) == "127.0.0.1"
    assert len(caplog.records) == 1
    assert "BEHIND_PROXY" in caplog.records[0].getMessage()


def test_a_configured_proxy_is_not_reported(settings, caplog, monkeypatch) -> None:
    monkeypatch.setattr(throttling, "_proxy_warning_logged", False)
    settings.TRUST_X_FORWARDED_FOR = True
    proxied = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    with caplog.at_level(logging.WARNING, logger="creatordesk.accounts.throttling"):
        client_address(proxied)
    assert not caplog.records
