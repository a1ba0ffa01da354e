"""Test images for the quality checks, made from fixed seeds: a photo-like scene (noise with the 1/f
spectrum of natural images), blurred, noisy, over- and underexposed copies of it, a packshot on a white
backdrop, and packaging with rendered text."""

from __future__ import annotations

import functools
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@functools.cache
def _scene(width: int, height: int, seed: int) -> np.ndarray:
    # Natural photos have an amplitude spectrum falling off as 1/f^a with a near 1 (Field 1987); noise
    # shaped that way gives BRISQUE and the sharpness measure photo-like statistics.
    rng = np.random.default_rng(seed)
    falloff = np.hypot(np.fft.fftfreq(width)[None, :], np.fft.fftfreq(height)[:, None]) ** 1.2
    falloff[0, 0] = 1.0
    spectrum = (rng.normal(size=falloff.shape) + 1j * rng.normal(size=falloff.shape)) / falloff
    # The real and imaginary parts of one inverse transform are two independent fields; their mix makes
    # the third channel, so the colours are partly correlated as in a photo.
    field = np.fft.ifft2(spectrum)
    channels = []
    for plane in (field.real, field.imag, (field.real + field.imag) / np.sqrt(2)):
        low, high = np.percentile(plane, (0.5, 99.5))
        channels.append(np.clip((plane - low) / (high - low) * 235 + 10, 0, 255))
    scene = np.stack(channels, axis=-1).astype(np.uint8)
    scene.setflags(write=False)
    return scene


def scene(width: int, height: int, seed: int = 0) -> np.ndarray:
    """A sharp, well-exposed photo-like RGB image."""
    return _scene(width, height, seed).copy()


def blurred(rgb: np.ndarray, sigma: float) -> np.ndarray:
    return np.asarray(cv2.GaussianBlur(rgb, (0, 0), sigma))


def noisy(rgb: np.ndarray, sigma: float, seed: int = 1) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, sigma, rgb.shape)
    return np.clip(rgb + noise, 0, 255).astype(np.uint8)


def brightened(rgb: np.ndarray, offset: int) -> np.ndarray:
    """Every level moved by `offset` (negative darkens), clipping at white and black."""
    return np.clip(rgb.astype(np.int16) + offset, 0, 255).astype(np.uint8)


def packshot_on_white(width: int, height: int) -> np.ndarray:
    """A textured product in the middle of a pure white studio backdrop."""
    image = np.full((height, width, 3), 255, np.uint8)
    w, h = width // 3, height // 2
    top, left = (height - h) // 2, (width - w) // 2
    image[top : top + h, left : left + w] = scene(w, h, seed=3)
    return image


def packaging(text: str, *, width: int = 1080, height: int = 1920, lines: tuple[str, ...] = ()) -> np.ndarray:
    """A cream box label on a darker ground with `text` as its headline and smaller `lines` below it."""
    image = Image.new("RGB", (width, height), "#5b6b73")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((80, 500, width - 80, 1400), radius=40, fill="#f4efe6")
    draw.text((130, 620), text, font=ImageFont.truetype(FONT, 72), fill="#1d2a30")
    for index, line in enumerate(lines):
        draw.text((130, 780 + 90 * index), line, font=ImageFont.truetype(FONT, 56), fill="#1d2a30")
    return np.asarray(image)


def save(rgb: np.ndarray, path: Path) -> Path:
    Image.fromarray(rgb).save(path)
    return path
