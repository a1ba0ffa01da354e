"""The prompt composer in the workspace: versioned templates, variants per generator with the linter's
issues, and the lineage from template to prompt to image."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from creatordesk.visuals import composer
from creatordesk.visuals.models import GeneratedPrompt, PromptTemplate, VisualAsset

FORM = {
    "name": "Serum Morgenlicht",
    "template": "{amber|clear} glass serum bottle",
    "product": "Glow Serum 30 ml",
    "setting": "on wet slate",
    "light": "soft morning window light",
    "style": "product photography",
    "format": "4:5",
    "purpose": "final",
    "must_avoid": "text\nwatermark",
    "brand_colours": "#e0245e",
    "mj_stylize": "250",
    "sd_base_size": "1024",
    "gpt_model": "gpt-image-1",
    "firefly_content_type": "photo",
    "shared": "on",
}


def test_a_template_shows_each_variant_rendered_for_the_chosen_generator(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    response = client.post("/visuals/prompts/new/", FORM)
    template = PromptTemplate.objects.get(workspace=side_a.workspace)
    assert response.status_code == 302 and template.version == 1
    page = client.get(f"/visuals/prompts/{template.pk}/?generator=midjourney").content.decode()
    assert page.count('data-testid="rendered-prompt"') == 2
    assert "amber glass serum bottle" in page and "--ar 4:5" in page and "--s 250" in page
    assert "--no text,watermark" in page
    sd = client.get(f"/visuals/prompts/{template.pk}/?generator=stable_diffusion").content.decode()
    assert "Negative prompt" in sd and "896" in sd  # 4:5 at SDXL size: 896 x 1120


def test_the_linter_speaks_up_on_the_page(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    client.post(
        "/visuals/prompts/new/",
        {**FORM, "template": "photorealistic customer testimonial of a woman holding the serum"},
    )
    template = PromptTemplate.objects.get(workspace=side_a.workspace)
    page = client.get(f"/visuals/prompts/{template.pk}/?generator=gpt_image").content.decode()
    assert 'data-testid="lint-issues"' in page
    assert 'data-code="photoreal_testimonial"' in page or "testimonial" in page


def test_a_change_is_saved_as_a_new_version_and_the_old_one_stays(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    client.post("/visuals/prompts/new/", FORM)
    first = PromptTemplate.objects.get()
    response = client.post(f"/visuals/prompts/{first.pk}/", {**FORM, "light": "golden hour"})
    second = PromptTemplate.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302 and second.version == 2 and second.previous == first
    first.refresh_from_db()
    assert first.brief["light"] == "soft morning window light" and second.brief["light"] == "golden hour"


def test_a_taken_prompt_carries_its_variant_into_the_image_it_made(
    side_a, login_as, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = login_as(side_a.manager)
    client.post("/visuals/prompts/new/", FORM)
    template = PromptTemplate.objects.get()
    variant = composer.variants(template, "midjourney")[1]
    response = client.post(
        f"/visuals/prompts/{template.pk}/generate/",
        {"generator": "midjourney", "variant_id": variant.variant_id},
    )
    prompt = GeneratedPrompt.objects.get()
    assert prompt.variant_id == variant.variant_id and prompt.template == template
    assert response["Location"].endswith(f"/visuals/?prompt={prompt.pk}")
    assert 'data-testid="upload-prompt"' in client.get(response["Location"]).content.decode()

    buffer = io.BytesIO()
    Image.fromarray((np.random.default_rng(2).random((500, 400, 3)) * 255).astype("uint8")).save(
        buffer, "PNG"
    )
    client.post(
        "/visuals/upload/",
        {
            "file": SimpleUploadedFile("made.png", buffer.getvalue()),
            "title": "Made",
            "prompt": prompt.pk,
            "declared": "generated",
            "is_ad": "on",
        },
    )
    asset = VisualAsset.objects.get()
    assert asset.prompt == prompt and asset.variant_id == variant.variant_id
    page = client.get(f"/visuals/{asset.pk}/").content.decode()
    assert template.name in page.split('data-testid="lineage"')[1]


def test_a_template_with_broken_variant_syntax_is_refused(side_a) -> None:
    with pytest.raises(ValidationError):
        composer.template_save(
            workspace=side_a.workspace,
            actor=side_a.manager,
            name="x",
            template="{{ unknown_field }} serum",
            brief={},
        )
    assert not PromptTemplate.objects.exists()


def test_another_workspaces_template_and_prompt_are_out_of_reach(side_a, side_b, login_as) -> None:
    theirs = composer.template_save(
        workspace=side_b.workspace, actor=side_b.manager, name="B secret", template="serum", brief={}
    )
    client = login_as(side_a.manager)
    assert client.get(f"/visuals/prompts/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/visuals/prompts/{theirs.pk}/generate/", {"generator": "midjourney", "variant_id": "x"}
    )
    assert response.status_code == 404 and not GeneratedPrompt.objects.exists()
    assert b"B secret" not in client.get("/visuals/prompts/").content
