from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creatordesk.campaigns.models import Campaign
from creatordesk.creators.models import Creator


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "description", "starts_on", "ends_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class AddCreatorForm(forms.Form):
    creator = forms.ModelChoiceField(label=_("Creator"), queryset=Creator.objects.none())

    def __init__(self, *args: object, workspace: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["creator"].queryset = Creator.objects.for_workspace(workspace)  # type: ignore[attr-defined,arg-type]
