"""Forms of the placements area: export upload, audit period, ad set settings, plans and analyses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.placements.models import ExclusionAnalysis, ExclusionPlan, Level, PlacementChoice


class ExportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Ads Manager export with a placement breakdown (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // (1 << 20)}
            )
        return upload


class PeriodForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("From"), required=False)
    until = forms.DateField(label=gettext_lazy("Until"), required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Per"),
        required=False,
        choices=[
            ("account", gettext_lazy("Ad account")),
            ("campaign", gettext_lazy("Campaign")),
            ("ad_set", gettext_lazy("Ad set")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def period(self, stored: tuple[date, date] | None) -> tuple[date, date] | None:
        """The chosen period, with the stored rows' first and last day where a bound is left open."""
        if not self.is_bound or not self.is_valid() or stored is None:
            return stored
        return (self.cleaned_data["since"] or stored[0], self.cleaned_data["until"] or stored[1])


class AdSetSettingForm(forms.Form):
    adset_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    placements = forms.ChoiceField(label=gettext_lazy("Placements"), choices=PlacementChoice.choices)
    start = forms.DateField(label=gettext_lazy("Ad set started on"), required=False)
    objective = forms.CharField(label=gettext_lazy("Objective"), max_length=60, required=False)


class ExclusionPlanForm(forms.ModelForm):
    campaign_key = forms.ChoiceField(label=gettext_lazy("Campaign"), required=False)
    placement_share_percent = forms.DecimalField(
        label=gettext_lazy("Threads' share of spend (%)"),
        min_value=0,
        max_value=Decimal("95"),
        decimal_places=2,
    )
    target_difference_percent = forms.DecimalField(
        label=gettext_lazy("Difference you want to be able to see (%, optional)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("500"),
        decimal_places=2,
    )

    class Meta:
        model = ExclusionPlan
        fields = [
            "name",
            "campaign_key",
            "daily_budget",
            "weeks",
            "results_per_euro",
            "dispersion",
            "alpha",
            "power",
            "start",
        ]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "dispersion": gettext_lazy(
                "1 means daily results vary like pure chance; the campaign's daily rows usually show more."
            ),
            "results_per_euro": gettext_lazy(
                "Results divided by spend, e.g. 0.05 for a cost per result of 20 €."
            ),
        }

    def __init__(self, *args: Any, campaigns: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["campaign_key"]).choices = [("", _("— none —")), *campaigns]
        self.fields["weeks"].validators.append(_at_least_two_weeks)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("results_per_euro", "daily_budget"):
            if data.get(name) is not None and data[name] <= 0:
                self.add_error(name, _("Enter a number above 0."))
        if data.get("dispersion") is not None and data["dispersion"] < 1:
            self.add_error("dispersion", _("Overdispersion is at least 1."))
        alpha, power = data.get("alpha"), data.get("power")
        if alpha is not None and not Decimal(0) < alpha < Decimal("0.5"):
            self.add_error("alpha", _("Alpha lies between 0 and 0.5."))
        if power is not None and not Decimal("0.5") <= power < 1:
            self.add_error("power", _("Power lies between 0.5 and 1."))
        return data

    def inputs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        share = data.pop("placement_share_percent")
        target = data.pop("target_difference_percent")
        data["placement_share"] = (share / 100).quantize(Decimal("0.0001"))
        data["target_difference"] = None if target is None else (target / 100).quantize(Decimal("0.0001"))
        return data


def _at_least_two_weeks(value: int) -> None:
    if value < 2:
        raise forms.ValidationError(
            _("A test runs at least two whole weeks, so every weekday is in both cells.")
        )


class ExclusionAnalysisForm(forms.ModelForm):
    margin_percent = forms.DecimalField(
        label=gettext_lazy("Non-inferiority margin (%, optional)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("50"),
        decimal_places=2,
        help_text=gettext_lazy("How much fewer results per euro without Threads you would still accept."),
    )
    cell_a_key = forms.ChoiceField(label=gettext_lazy("Cell A (with Threads)"))
    cell_b_key = forms.ChoiceField(label=gettext_lazy("Cell B (without Threads)"))

    class Meta:
        model = ExclusionAnalysis
        fields = ["name", "plan", "level", "cell_a_key", "cell_b_key"]

    def __init__(self, *args: Any, cells: list[tuple[str, str]], plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cell_a_key"]).choices = cells
        cast(forms.ChoiceField, self.fields["cell_b_key"]).choices = cells
        cast(forms.ModelChoiceField, self.fields["plan"]).queryset = plans
        self.fields["plan"].required = False
        cast(forms.ChoiceField, self.fields["level"]).choices = Level.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cell_a_key") and data.get("cell_a_key") == data.get("cell_b_key"):
            self.add_error("cell_b_key", _("Choose two different cells."))
        return data

    def margin(self) -> Decimal | None:
        value = self.cleaned_data.get("margin_percent")
        return None if value is None else (value / 100).quantize(Decimal("0.0001"))
