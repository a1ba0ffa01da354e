"""The prompt composer of AI visuals: a structured brief rendered per generator, a linter, variants.

Framework-free; the web app calls it directly:

    brief = PromptBrief(subject="...", product="...", format="9:16", must_avoid=["text"])
    lint(brief, "midjourney")              -> list[LintIssue]
    render(brief, "midjourney")            -> RenderedPrompt (raises PromptOptionError)
    recommend_generator("final", needs_text=False, resolution=(1080, 1920)) -> GeneratorAdvice
    expand(render_template(saved_text, fields), {"surface": "{marble|linen}"}, limit=20) -> list[Variant]
"""

from creatordesk.engine.visuals.prompts.brief import (
    FORMATS,
    FireflyOptions,
    Format,
    GptImageOptions,
    MidjourneyOptions,
    PromptBrief,
    Purpose,
    StableDiffusionOptions,
)
from creatordesk.engine.visuals.prompts.lint import RULES, Rule, lint
from creatordesk.engine.visuals.prompts.recommend import GeneratorAdvice, GeneratorFit, recommend_generator
from creatordesk.engine.visuals.prompts.render import (
    option_issues,
    render,
    render_firefly,
    render_gpt_image,
    render_midjourney,
    render_stable_diffusion,
)
from creatordesk.engine.visuals.prompts.tokens import count_tokens
from creatordesk.engine.visuals.prompts.types import (
    GENERATORS,
    Generator,
    LintIssue,
    PromptBriefError,
    PromptOptionError,
    RenderedPrompt,
    RenderNote,
    TemplateError,
    TokenCount,
)
from creatordesk.engine.visuals.prompts.variants import MAX_VARIANTS, Variant, expand, render_template

__all__ = [
    "FORMATS",
    "GENERATORS",
    "MAX_VARIANTS",
    "RULES",
    "FireflyOptions",
    "Format",
    "Generator",
    "GeneratorAdvice",
    "GeneratorFit",
    "GptImageOptions",
    "LintIssue",
    "MidjourneyOptions",
    "PromptBrief",
    "PromptBriefError",
    "PromptOptionError",
    "Purpose",
    "RenderNote",
    "RenderedPrompt",
    "Rule",
    "StableDiffusionOptions",
    "TemplateError",
    "TokenCount",
    "Variant",
    "count_tokens",
    "expand",
    "lint",
    "option_issues",
    "recommend_generator",
    "render",
    "render_firefly",
    "render_gpt_image",
    "render_midjourney",
    "render_stable_diffusion",
    "render_template",
]
