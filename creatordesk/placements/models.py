"""Paid placements as CreatorDesk keeps them: delivery rows per placement, what is known about ad sets,
exclusion-test plans, their analyses, and Insights sync runs.

Plans and analyses keep their inputs, not their results: the figures are computed again from the
inputs and the stored rows whenever they are shown, so they always say what the data now says.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.scoping import WorkspaceScopedModel
from creatordesk.placements.audit import PlacementChoice as Choice
from creatordesk.placements.exports import PlacementRow


class Source(models.TextChoices):
    EXPORT = "export", _("Ads Manager export")
    API = "api", _("Marketing API")


class PlacementRecord(WorkspaceScopedModel):
    """One ad (or ad set, campaign) on one placement for one day or reporting period."""

    key = models.CharField(max_length=64)  # a digest of what names the row; see services.row_key
    source = models.CharField(max_length=10, choices=Source.choices)
    account_id = models.CharField(max_length=64, blank=True)
    account_name = models.CharField(max_length=200, blank=True)
    campaign_id = models.CharField(max_length=64, blank=True)
    campaign_name = models.CharField(max_length=200, blank=True)
    adset_id = models.CharField(max_length=64, blank=True)
    adset_name = models.CharField(max_length=200, blank=True)
    ad_id = models.CharField(max_length=64, blank=True)
    ad_name = models.CharField(max_length=200, blank=True)
    publisher_platform = models.CharField(max_length=40)
    platform_position = models.CharField(max_length=60)
    platform_label = models.CharField(max_length=100, blank=True)
    placement_label = models.CharField(max_length=100, blank=True)
    day = models.DateField(null=True, blank=True)
    starts = models.DateField()
    ends = models.DateField()
    currency = models.CharField(max_length=3, blank=True)
    spend = models.DecimalField(max_digits=16, decimal_places=4)
    impressions = models.BigIntegerField()
    reach = models.BigIntegerField(null=True, blank=True)
    link_clicks = models.BigIntegerField(default=0)
    results = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0))
    result_indicator = models.CharField(max_length=120, blank=True)
    cost_per_result = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    revenue = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    attribution_setting = models.CharField(max_length=60, blank=True)
    attribution_label = models.CharField(max_length=120, blank=True)
    objective = models.CharField(max_length=60, blank=True)
    ad_text_length = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts", "campaign_name", "adset_name", "ad_name", "publisher_platform"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="placement_record_unique_key")
        ]
        indexes = [models.Index(fields=["workspace", "starts"], name="placement_record_starts")]

    def __str__(self) -> str:
        return f"{self.ad_name or self.adset_name or self.campaign_name} {self.publisher_platform}"

    def as_row(self) -> PlacementRow:
        """The row as the audit and the statistics read it (texts are kept as their lengths)."""
        return PlacementRow(
            row=0,
            day=self.day,
            starts=self.starts,
            ends=self.ends,
            publisher_platform=self.publisher_platform,
            platform_position=self.platform_position,
            platform_label=self.platform_label,
            placement_label=self.placement_label,
            spend=self.spend,
            currency=self.currency,
            impressions=self.impressions,
            reach=self.reach,
            link_clicks=self.link_clicks,
            results=self.results,
            result_indicator=self.result_indicator,
            cost_per_result=self.cost_per_result,
            revenue=self.revenue,
            attribution_setting=self.attribution_setting,
            attribution_label=self.attribution_label,
            objective=self.objective,
            account_id=self.account_id,
            account_name=self.account_name,
            campaign_id=self.campaign_id,
            campaign_name=self.campaign_name,
            adset_id=self.adset_id,
            adset_name=self.adset_name,
            ad_id=self.ad_id,
            ad_name=self.ad_name,
        )


class PlacementChoice(models.TextChoices):
    MANUAL = Choice.MANUAL.value, _("chosen by hand")
    AUTOMATIC = Choice.AUTOMATIC.value, _("automatic (Advantage+ or unset)")
    UNKNOWN = Choice.UNKNOWN.value, _("not known")


class AdSetSetting(WorkspaceScopedModel):
    """What delivery rows do not say about an ad set: how its placements were set, its start, its objective."""

    adset_key = models.CharField(_("ad set"), max_length=200)  # its id, or its name in exports without ids
    placements = models.CharField(
        _("placements"), max_length=10, choices=PlacementChoice.choices, default=PlacementChoice.UNKNOWN
    )
    start = models.DateField(_("start date"), null=True, blank=True)
    objective = models.CharField(_("objective"), max_length=60, blank=True)
    ad_text_lengths = models.JSONField(default=dict, blank=True)  # ad id -> characters
    source = models.CharField(max_length=10, choices=[*Source.choices, ("user", _("entered"))])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["adset_key"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "adset_key"], name="adset_setting_unique_key")
        ]

    def __str__(self) -> str:
        return self.adset_key


class ExclusionPlan(WorkspaceScopedModel):
    """An exclusion test planned for a campaign: cell A keeps the placement, cell B leaves it out."""

    name = models.CharField(_("name"), max_length=200)
    campaign_key = models.CharField(_("campaign"), max_length=200, blank=True)
    publisher_platform = models.CharField(_("placement to exclude"), max_length=40, default="threads")
    daily_budget = models.DecimalField(_("daily budget of both cells"), max_digits=12, decimal_places=2)
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    results_per_euro = models.DecimalField(_("results per euro"), max_digits=12, decimal_places=6)
    placement_share = models.DecimalField(_("placement's share of spend"), max_digits=6, decimal_places=4)
    dispersion = models.DecimalField(_("overdispersion"), max_digits=8, decimal_places=3, default=1)
    alpha = models.DecimalField(
        _("error rate (alpha)"), max_digits=4, decimal_places=3, default=Decimal("0.05")
    )
    power = models.DecimalField(_("power"), max_digits=4, decimal_places=3, default=Decimal("0.8"))
    target_difference = models.DecimalField(
        _("difference to detect"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    start = models.DateField(_("start date"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    CAMPAIGN = "campaign", _("campaigns")
    AD_SET = "ad_set", _("ad sets")


class ExclusionAnalysis(WorkspaceScopedModel):
    """An exclusion test as it ran: which campaigns (or ad sets) were its two cells, and its margin."""

    name = models.CharField(_("name"), max_length=200)
    plan = models.ForeignKey(
        ExclusionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="analyses"
    )
    level = models.CharField(_("cells are"), max_length=10, choices=Level.choices, default=Level.CAMPAIGN)
    cell_a_key = models.CharField(_("cell A (with the placement)"), max_length=200)
    cell_b_key = models.CharField(_("cell B (without it)"), max_length=200)
    margin = models.DecimalField(
        _("non-inferiority margin"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class SyncStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class InsightsRun(WorkspaceScopedModel):
    """One read of the Marketing API's Insights for a period: its progress, counts and error."""

    since = models.DateField()
    until = models.DateField()
    status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.since}–{self.until} {self.status}"
