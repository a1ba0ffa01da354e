from __future__ import annotations

from django import forms

from creatordesk.creators.models import Creator


class CreatorForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = ["display_name", "email", "tiktok_handle", "country", "languages", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
