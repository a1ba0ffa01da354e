"""Framework-free client for the Meta Marketing API Insights the placement audit reads."""

from creatordesk.placements.insights_api.client import (
    DEFAULT_RESULT_ACTION_TYPE,
    DEFAULT_WINDOWS,
    LEVELS,
    VERSION,
    InsightsClient,
    MetaApiError,
    RateLimited,
    ReportJobFailed,
    ReportJobTimeout,
    TokenInvalid,
    TooManyPages,
    appsecret_proof,
)

__all__ = [
    "DEFAULT_RESULT_ACTION_TYPE",
    "DEFAULT_WINDOWS",
    "LEVELS",
    "VERSION",
    "InsightsClient",
    "MetaApiError",
    "RateLimited",
    "ReportJobFailed",
    "ReportJobTimeout",
    "TokenInvalid",
    "TooManyPages",
    "appsecret_proof",
]
