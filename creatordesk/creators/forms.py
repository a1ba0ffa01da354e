from __future__ import annotations

from django import forms

from creatordesk.creators.models import Creator, PlatformAccount


class CreatorForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = [
            "display_name",
            "email",
            "phone",
            "tiktok_handle",
            "country",
            "languages",
            "categories",
            "tags",
            "consent_given_at",
            "consent_method",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "consent_given_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class CreatorEditForm(forms.ModelForm):
    """The profile fields staff edit after a creator exists; consent and handles have their own paths."""

    class Meta:
        model = Creator
        fields = ["display_name", "email", "phone", "country", "languages", "categories", "tags", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PlatformAccountForm(forms.ModelForm):
    class Meta:
        model = PlatformAccount
        fields = ["platform", "handle", "followers", "avg_views", "engagement_rate", "gmv_eur", "url"]
