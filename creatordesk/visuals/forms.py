"""Forms of the AI-visuals area: upload, brand palette and references, prompt templates."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.engine.visuals.brief import USES
from creatordesk.visuals.models import Declared, ReferenceKind

USE_LABELS = {
    "tiktok": gettext_lazy("TikTok (1080 × 1920)"),
    "instagram_feed": gettext_lazy("Instagram feed (1080 × 1350)"),
    "instagram_story": gettext_lazy("Instagram Story / Reel (1080 × 1920)"),
    "facebook_feed": gettext_lazy("Facebook feed (1080 × 1350)"),
    "square": gettext_lazy("Square (1080 × 1080)"),
    "web_banner": gettext_lazy("Web banner (1920 × 1080)"),
    "print_a4": gettext_lazy("Print A4 at 300 dpi"),
}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


class AssetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Image (JPEG, PNG, WebP, TIFF or HEIF)"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    campaign = forms.TypedChoiceField(
        label=gettext_lazy("Campaign"), required=False, coerce=int, empty_value=None
    )
    declared = forms.ChoiceField(
        label=gettext_lazy("Was AI used to make it?"), choices=Declared.choices, required=False
    )
    is_ad = forms.BooleanField(label=gettext_lazy("Used in an ad"), required=False, initial=True)
    realistic_person = forms.NullBooleanField(
        label=gettext_lazy("Shows a realistic person"),
        required=False,
        widget=forms.Select(
            choices=[
                ("unknown", gettext_lazy("Let the check decide (faces)")),
                ("true", gettext_lazy("Yes")),
                ("false", gettext_lazy("No")),
            ]
        ),
    )
    realistic_product = forms.BooleanField(
        label=gettext_lazy("Shows the product realistically"), required=False
    )
    health_product = forms.BooleanField(label=gettext_lazy("Health or cosmetics product"), required=False)
    uses = forms.MultipleChoiceField(
        label=gettext_lazy("Where it will run"), required=False, choices=[(k, USE_LABELS[k]) for k in USES],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    expected_text = forms.CharField(
        label=gettext_lazy("Text the image must show (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )  # fmt: skip
    packshot_required = forms.BooleanField(
        label=gettext_lazy("The approved packshot must be visible"), required=False
    )
    prompt = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, campaigns: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["campaign"]).choices = [("", _("— none —")), *campaigns]


class PaletteForm(forms.Form):
    colours = forms.CharField(
        label=gettext_lazy("Brand colours, one per line: name #rrggbb"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=2000,
    )  # fmt: skip
    tolerance = forms.FloatField(
        label=gettext_lazy("Tolerance (CIEDE2000)"), min_value=1, max_value=50, initial=12
    )
    min_share = forms.FloatField(
        label=gettext_lazy("Least share of brand colours (%)"), min_value=0, max_value=100, initial=15
    )

    def clean_colours(self) -> list[dict[str, str]]:
        colours = []
        for number, line in enumerate(self.cleaned_data["colours"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            match = _HEX.search(text)
            if match is None:
                raise forms.ValidationError(_("Line %(n)s has no colour like #e0245e.") % {"n": number})
            name = (text[: match.start()] + text[match.end() :]).strip(" :,-") or match.group(0)
            colours.append({"name": name[:60], "hex": match.group(0).lower()})
        return colours


class ReferenceForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ReferenceKind.choices)
    image = forms.FileField(label=gettext_lazy("Image"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PromptTemplateForm(forms.Form):
    """A prompt brief; the subject may hold variants such as {amber|clear} glass and fields such as {{ product }}."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=160)
    template = forms.CharField(
        label=gettext_lazy("Subject (leads the prompt; variants as {a|b})"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    product = forms.CharField(label=gettext_lazy("Product"), max_length=300, required=False)
    setting = forms.CharField(label=gettext_lazy("Setting"), max_length=300, required=False)
    light = forms.CharField(label=gettext_lazy("Light"), max_length=300, required=False)
    mood = forms.CharField(label=gettext_lazy("Mood"), max_length=300, required=False)
    style = forms.CharField(label=gettext_lazy("Style"), max_length=300, required=False)
    camera = forms.CharField(label=gettext_lazy("Camera"), max_length=300, required=False)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("9:16", "9:16"), ("4:5", "4:5"), ("1:1", "1:1"), ("16:9", "16:9")],
    )
    purpose = forms.ChoiceField(
        label=gettext_lazy("Purpose"), choices=[("draft", gettext_lazy("Quick draft")), ("final", gettext_lazy("Final, high resolution"))],
        initial="final",
    )  # fmt: skip
    must_avoid = forms.CharField(
        label=gettext_lazy("Must avoid (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    brand_colours = forms.CharField(
        label=gettext_lazy("Brand colours (names or #rrggbb, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    variables = forms.CharField(
        label=gettext_lazy("Fields (name = value, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    mj_stylize = forms.IntegerField(label=gettext_lazy("Midjourney --s (0–1000)"), required=False)
    mj_chaos = forms.IntegerField(label=gettext_lazy("Midjourney --c (0–100)"), required=False)
    mj_seed = forms.IntegerField(label=gettext_lazy("Midjourney --seed"), required=False)
    mj_raw = forms.BooleanField(label=gettext_lazy("Midjourney --style raw"), required=False)
    sd_base_size = forms.TypedChoiceField(
        label=gettext_lazy("Stable Diffusion model size"),
        coerce=int,
        choices=[(1024, "SDXL (1024)"), (768, "SD 2 (768)"), (512, "SD 1.5 (512)")],
        initial=1024,
    )
    gpt_model = forms.ChoiceField(
        label=gettext_lazy("OpenAI model"), choices=[("gpt-image-1", "gpt-image-1"), ("dall-e-3", "dall-e-3")]
    )
    firefly_content_type = forms.ChoiceField(
        label=gettext_lazy("Firefly content type"),
        choices=[("auto", "auto"), ("photo", "photo"), ("art", "art")],
    )
    shared = forms.BooleanField(label=gettext_lazy("Share with the workspace"), required=False, initial=True)

    def clean_variables(self) -> dict[str, str]:
        values = {}
        for line in _lines(self.cleaned_data["variables"]):
            name, sep, value = line.partition("=")
            if not sep or not name.strip().isidentifier():
                raise forms.ValidationError(_("Write each field as name = value."))
            values[name.strip()] = value.strip()
        return values

    def brief(self) -> dict[str, Any]:
        data = self.cleaned_data
        midjourney = {
            "stylize": data["mj_stylize"],
            "chaos": data["mj_chaos"],
            "seed": data["mj_seed"],
            "raw": data["mj_raw"],
        }
        return {
            **{
                k: data[k]
                for k in ("product", "setting", "light", "mood", "style", "camera", "format", "purpose")
            },
            "must_avoid": _lines(data["must_avoid"]),
            "brand_colours": _lines(data["brand_colours"]),
            "variables": data["variables"],
            "midjourney": {k: v for k, v in midjourney.items() if v not in (None, False)},
            "stable_diffusion": {"base_size": data["sd_base_size"]},
            "gpt_image": {"model": data["gpt_model"]},
            "firefly": {"content_type": data["firefly_content_type"]},
        }

    @staticmethod
    def initial_from(template: Any) -> dict[str, Any]:
        brief = template.brief
        midjourney = brief.get("midjourney", {})
        return {
            "name": template.name,
            "template": template.template,
            **{
                k: brief.get(k, "")
                for k in ("product", "setting", "light", "mood", "style", "camera", "format", "purpose")
            },
            "must_avoid": "\n".join(brief.get("must_avoid", [])),
            "brand_colours": "\n".join(brief.get("brand_colours", [])),
            "variables": "\n".join(f"{k} = {v}" for k, v in brief.get("variables", {}).items()),
            "mj_stylize": midjourney.get("stylize"),
            "mj_chaos": midjourney.get("chaos"),
            "mj_seed": midjourney.get("seed"),
            "mj_raw": midjourney.get("raw", False),
            "sd_base_size": brief.get("stable_diffusion", {}).get("base_size", 1024),
            "gpt_model": brief.get("gpt_image", {}).get("model", "gpt-image-1"),
            "firefly_content_type": brief.get("firefly", {}).get("content_type", "auto"),
            "shared": template.shared,
        }
