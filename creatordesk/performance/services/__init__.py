"""Writes of the performance app: posts, metric snapshots, viral alerts and Spark Ads requests.

Split by responsibility: `posts` (posts, snapshots, alerts), `breakouts` (the assessment, with the
workspace's model), `amplify` (ad code requests) and `polling` (the platform APIs).
"""

from creatordesk.performance.services.amplify import (
    OPEN_STATUSES,
    amplify_code_submit,
    amplify_request_notify,
    amplify_task_request,
    amplify_task_set_status,
)
from creatordesk.performance.services.breakouts import (
    CREATOR_RATIO,
    MIN_CREATOR_PEERS,
    MIN_WORKSPACE_PEERS,
    MODEL_THRESHOLD,
    Breakout,
    Peers,
    breakout_assessment,
    peers_load,
)
from creatordesk.performance.services.polling import PollResult, post_metrics_poll
from creatordesk.performance.services.posts import (
    DETECTION_WINDOW,
    SNOOZE_HOURS,
    alert_snooze,
    post_create,
    snapshots_record,
    viral_check,
    viral_check_posts,
)

__all__ = [
    "CREATOR_RATIO",
    "DETECTION_WINDOW",
    "MIN_CREATOR_PEERS",
    "MIN_WORKSPACE_PEERS",
    "MODEL_THRESHOLD",
    "OPEN_STATUSES",
    "SNOOZE_HOURS",
    "Breakout",
    "Peers",
    "PollResult",
    "alert_snooze",
    "amplify_code_submit",
    "amplify_request_notify",
    "amplify_task_request",
    "amplify_task_set_status",
    "breakout_assessment",
    "peers_load",
    "post_create",
    "post_metrics_poll",
    "snapshots_record",
    "viral_check",
    "viral_check_posts",
]
