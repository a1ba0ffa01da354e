"""The performance part of a creator's export and erasure (see creatordesk/creators/privacy.py)."""

from __future__ import annotations

from creatordesk.accounts.models import User
from creatordesk.creators.models import Creator
from creatordesk.creators.privacy import redact_rows
from creatordesk.lib.redaction import Identity
from creatordesk.performance.models import AmplifyTask, Post, ViralAlert


def export_creator(creator: Creator) -> dict[str, object]:
    posts = Post.objects.filter(collaboration__creator=creator)
    return {
        "posts": list(
            posts.values(
                "platform",
                "url",
                "external_id",
                "caption",
                "posted_at",
                "views",
                "likes",
                "comments",
                "shares",
            )
        ),
        "ad_codes": list(
            AmplifyTask.objects.filter(post__in=posts).values(
                "status", "spark_code", "code_expires_on", "requested_at", "received_at"
            )
        ),
    }


def erase_creator(creator: Creator, *, actor: User | str, identity: Identity) -> dict[str, object]:
    """Posts keep their figures for the campaign's results; link, platform id and caption go.

    The link and the platform id lead straight to the creator's profile, and an ad code
    authorises the brand to use the creator's account, so none of them survives.
    """
    posts = Post.objects.filter(collaboration__creator=creator)
    tasks = AmplifyTask.objects.filter(post__in=posts)
    alerts = redact_rows(
        ViralAlert.objects.filter(post__in=posts),
        identity=identity,
        text_fields=["explanation"],
        json_fields=["explanations"],
    )
    return {
        "posts": posts.update(url="", external_id="", caption=""),
        "amplify_tasks": tasks.update(spark_code="", note=""),
        "viral_alerts": alerts,
    }
