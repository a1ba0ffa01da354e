"""Test images for the brand checks, drawn with Pillow from fixed seeds: an on-brand and an off-palette
ad, textured scenes, edited copies of a scene, and a product patch pasted into a scene."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
BRAND_RED = "#e0245e"
WHITE = "#ffffff"
INK = "#1b1b2f"


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def on_brand_image(path: Path) -> Path:
    """A white ad with a large brand-red block, a red button and dark headline and body text."""
    image = Image.new("RGB", (480, 360), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 479, 150), fill=BRAND_RED)
    draw.text((24, 40), "Neu: Glow", font=_font(52), fill=WHITE)
    draw.text((24, 175), "Die Creme für jeden Tag", font=_font(28), fill=INK)
    draw.text((24, 215), "Ohne Duftstoffe, vegan.", font=_font(22), fill=INK)
    draw.rounded_rectangle((24, 270, 220, 330), radius=12, fill=BRAND_RED)
    draw.text((48, 285), "Jetzt kaufen", font=_font(22), fill=WHITE)
    image.save(path)
    return path


def off_palette_image(path: Path, seed: int = 7) -> Path:
    """A landscape in greens and browns: grass, tree trunks, soil and foliage, no brand colour."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (480, 360), "#4f7a2a")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 479, 359), fill="#6b4a2b")
    for _ in range(40):
        x, y = int(rng.integers(0, 480)), int(rng.integers(0, 250))
        size = int(rng.integers(20, 70))
        green = (int(rng.integers(40, 90)), int(rng.integers(100, 150)), int(rng.integers(20, 60)))
        draw.ellipse((x, y, x + size, y + size), fill=green)
    for x in (80, 230, 390):
        draw.rectangle((x, 150, x + 24, 300), fill="#5a3b1e")
    image.save(path)
    return path


def scene(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A textured picture: a colour gradient under random rectangles and ellipses."""
    rng = np.random.default_rng(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    gradient = np.stack([x * 255 / width, y * 255 / height, np.full((height, width), 120.0)], axis=-1) * 0.6
    image = Image.fromarray(gradient.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        side = int(rng.integers(20, 160))
        box = (x0, y0, x0 + side, y0 + int(side * rng.uniform(0.5, 1.5)))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    return image


def edited_copy(source: Path, path: Path) -> Path:
    """The source cropped by 3 % at the top and left, shrunk to 80 %, 10 levels brighter, saved as JPEG q70."""
    with Image.open(source) as image:
        width, height = image.size
        cropped = image.convert("RGB").crop((round(width * 0.03), round(height * 0.03), width, height))
    smaller = cropped.resize(
        (round(cropped.width * 0.8), round(cropped.height * 0.8)), Image.Resampling.LANCZOS
    )
    brighter = np.clip(np.asarray(smaller).astype(np.int16) + 10, 0, 255).astype(np.uint8)
    Image.fromarray(brighter).save(path, "JPEG", quality=70)
    return path


def product_patch(seed: int = 3, size: int = 220) -> Image.Image:
    """A product label: a frame, a brand word and random marks, full of corners for feature matching."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (size, size), "#f4efe6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, size - 5, size - 5), outline="#202020", width=5)
    for _ in range(30):
        x0, y0 = int(rng.integers(10, size - 40)), int(rng.integers(70, size - 40))
        side = int(rng.integers(8, 32))
        colour = tuple(int(v) for v in rng.integers(0, 200, 3))
        shape = draw.rectangle if rng.random() < 0.5 else draw.ellipse
        shape((x0, y0, x0 + side, y0 + side), fill=colour)
    draw.text((16, 16), "GLOW", font=_font(44), fill="#b0123f")
    return image


@dataclass(frozen=True)
class Pasted:
    """A scene with the product patch in it, and the box the patch landed in (fractions of the scene)."""

    path: Path
    box: tuple[float, float, float, float]  # x, y, w, h


def paste_product(
    path: Path, patch: Image.Image, *, scene_seed: int = 11, angle: float = 8.0, scale: float = 0.8
) -> Pasted:
    """The patch shrunk to `scale`, turned by `angle` degrees and pasted into a scene, saved as PNG."""
    background = scene(scene_seed, (800, 600))
    small = patch.resize((round(patch.width * scale), round(patch.height * scale)), Image.Resampling.LANCZOS)
    turned = small.convert("RGBA").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    at = (430, 190)
    background.paste(turned, at, turned)
    background.save(path)
    width, height = background.size
    return Pasted(path, (at[0] / width, at[1] / height, turned.width / width, turned.height / height))
