from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_login_form_asks_for_the_email_the_account_signs_in_with(client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Email:</label>' in page
    assert "Username" not in page
    assert 'name="username"' in page
