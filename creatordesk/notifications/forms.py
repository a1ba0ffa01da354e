from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creatordesk.notifications.models import Webhook


class WebhookForm(forms.ModelForm):
    class Meta:
        model = Webhook
        fields = ["name", "url", "flavour"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Use an http(s) URL."))
        return url
