"""Posted content, its metrics over time, viral alerts, Spark Ads requests and published benchmarks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel
from creatordesk.creators.models import Platform


class PostFormat(models.TextChoices):
    VIDEO = "video", _("Video")
    CAROUSEL = "carousel", _("Carousel")
    IMAGE = "image", _("Image")
    LIVE = "live", _("Live")
    REEL = "reel", _("Reel")
    SHORT = "short", _("Short")


class Figures(models.Model):
    """The cumulative figures of a post: of one snapshot, or the newest one kept on the post."""

    views = models.PositiveBigIntegerField(_("views"), default=0)
    likes = models.PositiveBigIntegerField(_("likes"), default=0)
    comments = models.PositiveBigIntegerField(_("comments"), default=0)
    shares = models.PositiveBigIntegerField(_("shares"), default=0)
    saves = models.PositiveBigIntegerField(_("saves"), default=0)
    orders = models.PositiveBigIntegerField(_("orders"), default=0)
    gmv_eur = models.DecimalField(_("GMV (EUR)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True

    @property
    def interactions(self) -> int:
        return self.likes + self.comments + self.shares + self.saves


class Post(Figures, WorkspaceScopedModel):
    """One piece of content a creator published for a collaboration."""

    collaboration = models.ForeignKey(
        "campaigns.Collaboration", on_delete=models.CASCADE, related_name="posts"
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    external_id = models.CharField(_("platform ID"), max_length=80, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=PostFormat.choices, default=PostFormat.VIDEO
    )
    caption = models.TextField(_("caption"), blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The figures (see Figures) are the newest snapshot's, kept here by the ingest so lists and
    # averages need no scan of the snapshot table; this is that snapshot's moment.
    metrics_at = models.DateTimeField(_("figures as of"), null=True, blank=True)

    class Meta:
        ordering = ["-posted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "external_id"],
                condition=~models.Q(external_id=""),
                name="post_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.url or f"{self.get_platform_display()} {self.external_id}"


class MetricSnapshot(Figures, WorkspaceScopedModel):
    """Cumulative figures of one post at one moment; a series of them shows how it grows.

    The largest table by far, so it carries no index beyond its key and (post, taken_at): every read
    goes through a post, and each extra index would slow the ingest of millions of rows. For the
    same reason the database does not check the post and workspace of every row (a foreign-key
    check per row was a third of the ingest time on PostgreSQL): the ingest checks each post once
    per batch, and deleting a post or workspace still deletes its snapshots through Django.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="snapshots", db_index=False, db_constraint=False
    )
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        ordering = ["post", "taken_at"]
        constraints = [models.UniqueConstraint(fields=["post", "taken_at"], name="snapshot_unique_time")]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class DailyTotal(WorkspaceScopedModel):
    """How much the posts of one collaboration (a creator in a campaign) gained on one day.

    Each figure is the change of the posts' cumulative totals that day (negative after a
    correction), so the running sum over days is the total on each day. The ingest keeps it up to
    date, and the dashboard reads a few hundred of these rows instead of millions of snapshots.
    """

    collaboration = models.ForeignKey(
        "campaigns.Collaboration", on_delete=models.CASCADE, related_name="daily_totals"
    )
    day = models.DateField(_("day"))
    views = models.BigIntegerField(_("views"), default=0)
    orders = models.BigIntegerField(_("orders"), default=0)
    gmv_eur = models.DecimalField(_("GMV (EUR)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "day"], name="daily_total_unique_day")
        ]
        indexes = [models.Index(fields=["workspace", "day"], name="daily_total_workspace_day")]

    def __str__(self) -> str:
        return f"{self.collaboration_id} {self.day}"


class ViralAlert(WorkspaceScopedModel):
    """A post that crossed one breakout threshold; raised once per post and threshold."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="alerts")
    threshold = models.CharField(_("threshold"), max_length=40)
    score = models.FloatField(_("score"))
    explanation = models.TextField(_("explanation"))  # in the app's default language
    explanations = models.JSONField(default=dict, blank=True)  # language code: text
    created_at = models.DateTimeField(auto_now_add=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "threshold"], name="alert_unique_threshold")]

    def __str__(self) -> str:
        return f"{self.post} – {self.threshold}"

    @property
    def localized_explanation(self) -> str:
        """The explanation in the reader's language, when it was worded in it."""
        # Imported here: wording loads the viral model and numpy, which loading the models should not.
        from creatordesk.performance.wording import in_reader_language

        return in_reader_language(self.explanations, self.explanation)


class AmplifyTask(WorkspaceScopedModel):
    """A request to the creator for a Spark Ads code so a breakout post can be boosted as an ad."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        RECEIVED = "received", _("Code received")
        IN_USE = "in_use", _("In use")
        EXPIRED = "expired", _("Expired")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="amplify_tasks")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    spark_code = models.CharField(_("Spark Ads code"), max_length=200, blank=True)
    code_expires_on = models.DateField(_("code valid until"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.post} ({self.status})"


class ConnectorKind(models.TextChoices):
    TIKTOK_BUSINESS = "tiktok_business", _("TikTok API for Business (views, likes, comments, shares)")
    TIKTOK_SHOP = "tiktok_shop", _("TikTok Shop Partner API (orders, GMV)")
    META_GRAPH = "meta_graph", _("Meta Graph API (Instagram insights)")
    META_ADS = "meta_ads", _("Meta Marketing API (ad placements)")


class PlatformConnection(WorkspaceScopedModel):
    """A workspace's credentials for one platform API, encrypted (see connections.py)."""

    kind = models.CharField(_("API"), max_length=20, choices=ConnectorKind.choices)
    secret = models.TextField(editable=False)  # a Fernet token of the credentials as JSON
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "kind"], name="platform_connection_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.kind}"


class Benchmark(models.Model):
    """A published platform figure (per format) that a workspace's own averages are compared with."""

    platform = models.CharField(_("platform"), max_length=20)
    format = models.CharField(_("format"), max_length=20)
    metric = models.CharField(_("metric"), max_length=20)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    # "per_post" values compare directly with a workspace average; "pct_more" and "times" are
    # relative to the baseline named in `compared_with`.
    unit = models.CharField(_("unit"), max_length=20)
    compared_with = models.CharField(_("compared with"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=120)
    citation = models.CharField(_("citation"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["platform", "format", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "format", "metric", "source"], name="benchmark_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}/{self.format} {self.metric} = {self.value} {self.unit}"
