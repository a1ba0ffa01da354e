"""The JSON API: every endpoint needs a workspace token and sees only that workspace."""

from __future__ import annotations

from ninja import NinjaAPI

from creatordesk import __version__
from creatordesk.accounts.api import TokenAuth
from creatordesk.accounts.api import router as accounts_router
from creatordesk.campaigns.api import router as campaigns_router
from creatordesk.creators.api import router as creators_router

api = NinjaAPI(
    title="CreatorDesk API",
    version=__version__,
    description="Creators, campaigns and reviews of one workspace. Authenticate with a token from "
    "Settings → API tokens: `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    docs_url="/docs",
)
api.add_router("", accounts_router)
api.add_router("", creators_router)
api.add_router("", campaigns_router)
