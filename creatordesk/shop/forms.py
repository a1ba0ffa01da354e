"""Forms of the TikTok Shop sync pages: a target collaboration from a campaign, and the blocklist."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.models import Creator
from creatordesk.shop.services import BLOCK_REASON_MAX_LENGTH


class CollaborationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.creator.display_name)


class TargetCollaborationForm(forms.Form):
    collaborations = CollaborationChoice(
        queryset=Collaboration.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Creators"),
    )
    commission_percent = forms.DecimalField(
        label=_("Commission (%)"), min_value=Decimal(1), max_value=Decimal(80), decimal_places=2
    )
    shop_ads_commission_percent = forms.DecimalField(
        label=_("Shop Ads commission (%)"),
        min_value=Decimal(1),
        max_value=Decimal(80),
        decimal_places=2,
        required=False,
    )
    free_sample = forms.BooleanField(label=_("Free sample"), required=False)
    sample_approval_exempt = forms.BooleanField(label=_("Send samples without my approval"), required=False)
    message = forms.CharField(
        label=_("Message to creators"), widget=forms.Textarea, required=False, max_length=500
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    seller_email = forms.EmailField(label=_("Your contact e-mail for creators"))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collaborations"].queryset = (  # type: ignore[attr-defined]
            Collaboration.objects.for_workspace(campaign.workspace)
            .filter(campaign=campaign)
            .select_related("creator")
            .order_by("creator__display_name")
        )
        if campaign.commission_rate and not self.is_bound:
            self.initial.setdefault("commission_percent", campaign.commission_rate)

    def clean_ends_on(self) -> datetime.date:
        ends_on: datetime.date = self.cleaned_data["ends_on"]
        if ends_on <= timezone.localdate():
            raise forms.ValidationError(_("The end date must lie in the future."))
        return ends_on

    def ends_at(self) -> datetime.datetime:
        """The end of the chosen day, in the site's time zone."""
        day = self.cleaned_data["ends_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class BlockForm(forms.Form):
    creator = forms.ModelChoiceField(queryset=Creator.objects.none(), label=_("Creator"))
    reason = forms.CharField(label=_("Reason"), max_length=BLOCK_REASON_MAX_LENGTH)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = (  # type: ignore[attr-defined]
            Creator.objects.for_workspace(workspace).filter(erased_at__isnull=True).order_by("display_name")
        )
