from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.models import Platform
from creatordesk.performance.importing import ALIASES


class MetricsImportForm(forms.Form):
    file = forms.FileField(label=_("Export file (CSV or XLSX)"))
    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=Platform.choices,
        initial=Platform.TIKTOK,
        help_text=_("Used for rows without a platform column or a recognisable link."),
    )
    collaboration = forms.ModelChoiceField(
        label=_("Create unknown posts for"),
        queryset=Collaboration.objects.none(),
        required=False,
        empty_label=_("Nobody: report unknown posts as errors"),
    )
    taken_at = forms.DateTimeField(
        label=_("Figures as of"), required=False, help_text=_("Leave empty for now, or use a date column.")
    )
    extra_columns = forms.CharField(
        label=_("Additional column names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line as “column name = field”, e.g. “Aufrufe = views”."),
    )

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["collaboration"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Collaboration.objects.for_workspace(workspace).select_related("campaign", "creator")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload

    def clean_extra_columns(self) -> dict[str, str]:
        mapping = {}
        for line in self.cleaned_data["extra_columns"].splitlines():
            if not line.strip():
                continue
            column, sep, target = line.rpartition("=")
            target = target.strip()
            if not sep or not column.strip() or target not in ALIASES:
                raise forms.ValidationError(
                    _("“%(line)s” is not “column name = field” with a known field.") % {"line": line.strip()}
                )
            mapping[column.strip()] = target
        return mapping


class SparkCodeForm(forms.Form):
    spark_code = forms.CharField(
        label=_("Spark Ads authorisation code"),
        max_length=200,
        help_text=_("Generate it in the TikTok app in the ad settings of the video (ad authorisation)."),
    )
    code_expires_on = forms.DateField(
        label=_("Code valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AmplifyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("in_use", _("In use")), ("expired", _("Expired"))])


class ConnectionForm(forms.Form):
    """Credentials of one platform API; secret fields start empty and keep the stored value if left so."""

    def __init__(self, data: Any = None, *, kind: str, stored: dict[str, str] | None) -> None:
        from creatordesk.performance.connections import FIELDS, masked

        super().__init__(data, prefix=kind)
        self.kind = kind
        for spec in FIELDS[kind]:
            if spec.secret:
                help_text = (
                    _("Stored: %(value)s. Leave empty to keep it.") % {"value": masked(stored[spec.name])}
                    if stored and stored.get(spec.name)
                    else ""
                )
                self.fields[spec.name] = forms.CharField(
                    label=spec.label,
                    required=False,
                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                    help_text=help_text,
                )
            else:
                self.fields[spec.name] = forms.CharField(
                    label=spec.label,
                    required=spec.required,
                    initial=(stored or {}).get(spec.name, ""),
                )
