"""The demo workspace's AI visuals: brand colours, a prompt template with two variants, and a key
visual made from one of them, queued for its check like any upload (the worker started by `make run`
checks it). Loading again changes nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from creatordesk.accounts.models import User, Workspace
from creatordesk.campaigns.models import Campaign
from creatordesk.visuals import composer, services
from creatordesk.visuals.models import BrandPalette, PromptTemplate, VisualAsset

TEMPLATE_NAME = "Serum Morgenlicht"
BRAND = [
    {"name": "Lumen-Rot", "hex": "#e0245e"},
    {"name": "Weiß", "hex": "#ffffff"},
    {"name": "Tinte", "hex": "#1b1b2f"},
]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _key_visual() -> bytes:
    """A 1080 x 1350 feed ad in the brand's colours with the product name, as a generator might make it."""
    image = Image.new("RGB", (1080, 1350), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1080, 560), fill="#e0245e")
    draw.ellipse((640, 120, 980, 460), fill="#f6c9d6")
    draw.text((70, 200), "Glow Serum", font=ImageFont.truetype(FONT, 110), fill="#ffffff")
    draw.text((70, 680), "Vitamin C für jeden Morgen", font=ImageFont.truetype(FONT, 58), fill="#1b1b2f")
    draw.rounded_rectangle((70, 1090, 560, 1220), radius=24, fill="#e0245e")
    draw.text((110, 1118), "Jetzt entdecken", font=ImageFont.truetype(FONT, 52), fill="#ffffff")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def load_visuals_demo(*, workspace: Workspace, campaign: Campaign, actor: User) -> None:
    if not BrandPalette.objects.filter(workspace=workspace).exists():
        services.palette_save(workspace=workspace, colours=BRAND, tolerance=12.0, min_share=0.15)
    template = PromptTemplate.objects.for_workspace(workspace).filter(name=TEMPLATE_NAME).first()
    if template is None:
        template = composer.template_save(
            workspace=workspace,
            actor=actor,
            name=TEMPLATE_NAME,
            template="{amber|clear} glass serum bottle with a dropper",
            brief={
                "product": "Glow Serum 30 ml", "setting": "on wet slate beside fresh citrus",
                "light": "soft morning window light", "style": "product photography", "format": "4:5",
                "purpose": "final", "must_avoid": ["text", "watermark", "hands"], "brand_colours": ["#e0245e"],
                "midjourney": {"stylize": 200, "raw": True},
            },
        )  # fmt: skip
    if VisualAsset.objects.for_workspace(workspace).exists():
        return
    variant = composer.variants(template, "midjourney")[0]
    prompt = composer.prompt_take(
        template=template, generator="midjourney", variant_id=variant.variant_id, actor=actor
    )
    services.asset_create(
        workspace=workspace,
        actor=actor,
        upload=SimpleUploadedFile("glow-serum-key-visual.png", _key_visual()),
        title="Glow Serum Key Visual",
        campaign=campaign,
        declared="generated",
        is_ad=True,
        realistic_product=True,
        uses=["instagram_feed"],
        expected_text="Glow Serum",
        prompt=prompt,
        variant_id=variant.variant_id,
    )
