"""Every state change of submissions, versions, findings, comments and decisions.

The modules of this package are cut by responsibility; their public names are re-exported here, so
callers import from `creatordesk.reviews.services` without knowing the cut.
"""

from creatordesk.reviews.services.analysis import analyses_recover_stalled, version_analyse
from creatordesk.reviews.services.audit import Actor, audit, audit_workspace
from creatordesk.reviews.services.comments import comment_add, comment_set_resolved, finding_set_state
from creatordesk.reviews.services.decisions import (
    APPROVALS,
    DecisionRefused,
    decision_record,
    open_block_count,
)
from creatordesk.reviews.services.stages import (
    DEFAULT_STAGE,
    StageConfig,
    StageRow,
    campaign_stage_owners,
    campaign_stages,
    review_settings,
    review_settings_update,
    stages_and_settings_save,
    stages_configure,
    version_stage_rows,
    version_stage_states,
)
from creatordesk.reviews.services.submissions import (
    VERSION_INSERT_ATTEMPTS,
    engine_context,
    submission_create,
    submission_refuse_if_approved,
    submission_submit,
)

__all__ = [
    "APPROVALS",
    "DEFAULT_STAGE",
    "VERSION_INSERT_ATTEMPTS",
    "Actor",
    "DecisionRefused",
    "StageConfig",
    "StageRow",
    "analyses_recover_stalled",
    "audit",
    "audit_workspace",
    "campaign_stage_owners",
    "campaign_stages",
    "comment_add",
    "comment_set_resolved",
    "decision_record",
    "engine_context",
    "finding_set_state",
    "open_block_count",
    "review_settings",
    "review_settings_update",
    "stages_and_settings_save",
    "stages_configure",
    "submission_create",
    "submission_refuse_if_approved",
    "submission_submit",
    "version_analyse",
    "version_stage_rows",
    "version_stage_states",
]
