from __future__ import annotations

from django.http import HttpRequest

from creatordesk.accounts.selectors import memberships_of


def workspace(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_workspace": getattr(request, "workspace", None),
        "current_membership": getattr(request, "membership", None),
        "all_memberships": lambda: list(memberships_of(user)),
    }
