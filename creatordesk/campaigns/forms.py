from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.briefs import MAX_DURATION_S
from creatordesk.campaigns.models import Brief, Campaign, Product, SampleShipment
from creatordesk.creators.models import Creator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    """Campaign settings; the products offered are limited to the workspace's own."""

    class Meta:
        model = Campaign
        fields = [
            "name",
            "description",
            "starts_on",
            "ends_on",
            "products",
            "budget_eur",
            "commission_rate",
            "target_categories",
            "target_countries",
            "target_languages",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DATE,
            "ends_on": DATE,
            "products": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["budget_eur"].validators.append(MinValueValidator(0))
        self.fields["commission_rate"].validators += [MinValueValidator(0), MaxValueValidator(100)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data


class AddCreatorForm(forms.Form):
    creator = forms.ModelChoiceField(label=_("Creator"), queryset=Creator.objects.none())

    def __init__(self, *args: object, workspace: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["creator"].queryset = Creator.objects.for_workspace(workspace)  # type: ignore[attr-defined,arg-type]


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "sku", "shop_url", "shop_product_id", "unit_cost_eur", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "shop_product_id": _("As TikTok Shop shows it; samples and affiliate orders are matched by it.")
        }


class ProductImageForm(forms.Form):
    image = forms.FileField(
        label=_("Reference image"),
        help_text=_("A photo of the product: JPEG, PNG or WebP, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


def _lines(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class BriefForm(forms.ModelForm):
    """The brief builder; one-per-line fields are cleaned and checked by briefs.brief_save."""

    language = forms.ChoiceField(
        label=_("Language of the videos"), choices=[("de", _("German")), ("en", _("English"))]
    )
    min_duration_s = forms.IntegerField(
        label=_("Minimum length (s)"), required=False, min_value=1, max_value=MAX_DURATION_S
    )
    max_duration_s = forms.IntegerField(
        label=_("Maximum length (s)"), required=False, min_value=1, max_value=MAX_DURATION_S
    )

    class Meta:
        model = Brief
        fields = [
            "goal",
            "must_mentions",
            "dos",
            "donts",
            "banned_terms",
            "competitors",
            "disclosure_required",
            "video_format",
            "min_duration_s",
            "max_duration_s",
            "hook_ideas",
            "example_videos",
            "caption",
            "draft_due_on",
            "post_due_on",
            "language",
        ]
        widgets = {
            "goal": _lines(3),
            "must_mentions": _lines(),
            "dos": _lines(),
            "donts": _lines(),
            "banned_terms": _lines(3),
            "competitors": _lines(3),
            "hook_ideas": _lines(3),
            "example_videos": _lines(3),
            "caption": _lines(3),
            "draft_due_on": DATE,
            "post_due_on": DATE,
        }


class ShipmentForm(forms.Form):
    """A sample recorded on the board: which product, how many, how it went out and when."""

    product = forms.ModelChoiceField(queryset=Product.objects.none(), required=False, label=_("Product"))
    units = forms.IntegerField(min_value=1, max_value=999, initial=1, label=_("Units"))
    shipping_cost_eur = forms.DecimalField(
        min_value=0, max_digits=7, decimal_places=2, required=False, label=_("Shipping cost (EUR)")
    )
    carrier = forms.CharField(max_length=60, required=False, label=_("Carrier"))
    tracking_number = forms.CharField(max_length=80, required=False, label=_("Tracking number"))
    status = forms.ChoiceField(choices=SampleShipment.Status.choices, initial=SampleShipment.Status.SHIPPED)
    on = forms.DateField(required=False, label=_("On"))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the campaign's own products: an id of another workspace's product is simply not a choice.
        self.fields["product"].queryset = campaign.products.all()  # type: ignore[attr-defined]


class ShipmentStepForm(forms.Form):
    status = forms.ChoiceField(choices=SampleShipment.Status.choices)
    on = forms.DateField(required=False, label=_("On"))
