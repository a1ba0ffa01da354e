"""Prompt templates of a workspace as the composer uses them: a saved brief whose subject may hold
variant syntax, rendered per generator with the linter's issues, and the prompts people take from it.

Templates are versioned: a change is saved as a new version that points at the one before, so every
prompt (and every image made from it) keeps the exact template it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from creatordesk.accounts.models import User, Workspace
from creatordesk.engine.visuals import prompts
from creatordesk.visuals.models import GeneratedPrompt, PromptTemplate

VARIANTS_SHOWN = 12
_OPTIONS = {
    "midjourney": prompts.MidjourneyOptions,
    "stable_diffusion": prompts.StableDiffusionOptions,
    "gpt_image": prompts.GptImageOptions,
    "firefly": prompts.FireflyOptions,
}


def _de() -> bool:
    return (translation.get_language() or "en").startswith("de")


def message(issue: Any) -> str:
    return issue.message_de if _de() else issue.message_en


def prompt_brief(data: dict[str, Any], subject: str) -> prompts.PromptBrief:
    """The engine's brief from a template's saved fields and one subject text."""
    fields = {k: v for k, v in data.items() if k not in (*_OPTIONS, "variables", "subject")}
    options = {name: cls(**data.get(name, {})) for name, cls in _OPTIONS.items()}
    return prompts.PromptBrief(subject=subject, **fields, **options)


def _check(template_text: str, brief: dict[str, Any]) -> None:
    """Refuse a template whose brief or variant syntax cannot be rendered, with the engine's reason."""
    try:
        subjects = prompts.expand(prompts.render_template(template_text, brief.get("variables", {})), limit=1)
        prompt_brief(brief, subjects[0].text if subjects else template_text)
    except (prompts.TemplateError, prompts.PromptBriefError) as exc:
        raise ValidationError(message(exc)) from None
    except TypeError as exc:
        raise ValidationError(str(exc)) from None


def template_save(
    *, workspace: Workspace, actor: User | None, name: str, template: str, brief: dict[str, Any],
    shared: bool = True, previous: PromptTemplate | None = None,
) -> PromptTemplate:  # fmt: skip
    """Save a template, or a new version of `previous`; the old version stays as it was."""
    if previous is not None and previous.workspace_id != workspace.pk:
        raise ValidationError("That template belongs to another workspace.")
    _check(template, brief)
    return PromptTemplate.objects.create(
        workspace=workspace,
        created_by=actor,
        name=name[:160],
        template=template,
        brief=brief,
        shared=shared,
        previous=previous,
        version=(previous.version + 1) if previous else 1,
    )


@dataclass(frozen=True)
class VariantView:
    """One variant of a template rendered for one generator, with what the linter says about it."""

    variant_id: str
    subject: str
    rendered: prompts.RenderedPrompt | None
    issues: list[Any]
    error: str = ""


def variants(template: PromptTemplate, generator: str, limit: int = VARIANTS_SHOWN) -> list[VariantView]:
    """The template's variants (its subject's variant syntax expanded), each rendered and linted."""
    text = prompts.render_template(template.template, template.brief.get("variables", {}))
    views = []
    for variant in prompts.expand(text, limit=limit, version=str(template.version)):
        brief = prompt_brief(template.brief, variant.text)
        issues = prompts.lint(brief, generator)  # type: ignore[arg-type]
        try:
            rendered: prompts.RenderedPrompt | None = prompts.render(brief, generator)  # type: ignore[arg-type]
            error = ""
        except prompts.PromptOptionError:
            rendered, error = None, "options"
        views.append(VariantView(variant.variant_id, variant.text, rendered, issues, error))
    return views


@transaction.atomic
def prompt_take(
    *, template: PromptTemplate, generator: str, variant_id: str, actor: User | None
) -> GeneratedPrompt:
    """Keep the prompt of one variant for one generator: the lineage an image made with it points at."""
    if generator not in prompts.GENERATORS:
        raise ValidationError("Unknown generator.")
    chosen = next(
        (v for v in variants(template, generator, prompts.MAX_VARIANTS) if v.variant_id == variant_id), None
    )
    if chosen is None or chosen.rendered is None:
        raise ValidationError("No such variant, or its options cannot be rendered.")
    rendered = chosen.rendered
    return GeneratedPrompt.objects.create(
        workspace_id=template.workspace_id,
        template=template,
        generator=generator,
        text=rendered.prompt,
        negative=rendered.negative_prompt,
        parameters=rendered.settings,
        variant_id=variant_id,
        lint=[issue.as_dict() for issue in chosen.issues],
        created_by=actor,
    )
