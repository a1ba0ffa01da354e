"""Pages of the prompt composer: templates, their variants rendered per generator with the linter's
issues, and taking a prompt (whose images then keep it as their lineage)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.engine.visuals import prompts
from creatordesk.visuals import composer
from creatordesk.visuals.forms import PromptTemplateForm
from creatordesk.visuals.models import PromptTemplate
from creatordesk.visuals.views import ALL_MEMBERS, MAKERS

GENERATOR_LABELS = {
    "midjourney": "Midjourney",
    "stable_diffusion": "Stable Diffusion",
    "gpt_image": "GPT-image",
    "firefly": "Adobe Firefly",
}


def _templates(request: WorkspaceRequest) -> QuerySet[PromptTemplate]:
    """The workspace's shared templates and the user's own."""
    return PromptTemplate.objects.for_workspace(request.workspace).filter(
        Q(shared=True) | Q(created_by=request.user)
    )


@role_required(*ALL_MEMBERS)
def template_list(request: WorkspaceRequest) -> HttpResponse:
    templates = _templates(request).select_related("created_by")
    return render(request, "visuals/template_list.html", {"templates": templates})


@role_required(*MAKERS)
def template_new(request: WorkspaceRequest) -> HttpResponse:
    form = PromptTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = composer.template_save(
                workspace=request.workspace, actor=request.user, name=form.cleaned_data["name"],
                template=form.cleaned_data["template"], brief=form.brief(), shared=form.cleaned_data["shared"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error("template", exc)
        else:
            return redirect("visuals:template_detail", template_id=template.pk)
    return render(request, "visuals/template_edit.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*ALL_MEMBERS)
def template_detail(request: WorkspaceRequest, template_id: int) -> HttpResponse:
    """The template's variants for one generator, with the linter's issues; saving changes makes a new version."""
    template = get_scoped_or_404(PromptTemplate, request.workspace, pk=template_id)
    generator = request.GET.get("generator", "midjourney")
    generator = generator if generator in prompts.GENERATORS else "midjourney"
    form = PromptTemplateForm(request.POST or None, initial=PromptTemplateForm.initial_from(template))
    if request.method == "POST" and request.membership.role in MAKERS and form.is_valid():
        try:
            newer = composer.template_save(
                workspace=request.workspace, actor=request.user, name=form.cleaned_data["name"],
                template=form.cleaned_data["template"], brief=form.brief(), shared=form.cleaned_data["shared"],
                previous=template,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error("template", exc)
        else:
            messages.success(request, _("Saved as version %(version)s.") % {"version": newer.version})
            return redirect("visuals:template_detail", template_id=newer.pk)
    try:
        shown = composer.variants(template, generator)
        problem = ""
    except (prompts.TemplateError, prompts.PromptBriefError) as exc:
        shown, problem = [], composer.message(exc)
    advice = prompts.recommend_generator(template.brief.get("purpose", "final"))
    context = {
        "template": template,
        "form": form,
        "generator": generator,
        "generators": [(g, GENERATOR_LABELS[g]) for g in prompts.GENERATORS],
        "variants": shown,
        "problem": problem,
        "advice": advice,
        "de": composer._de(),
        "versions": PromptTemplate.objects.for_workspace(request.workspace)
        .filter(name=template.name)
        .order_by("-version"),
        "taken": template.prompts.select_related("created_by")[:20],
    }
    return render(request, "visuals/template_detail.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(*MAKERS)
def prompt_generate(request: WorkspaceRequest, template_id: int) -> HttpResponse:
    """Take one variant's prompt for a generator; the library's upload then links the image to it."""
    template = get_scoped_or_404(PromptTemplate, request.workspace, pk=template_id)
    try:
        prompt = composer.prompt_take(
            template=template,
            generator=request.POST.get("generator", ""),
            variant_id=request.POST.get("variant_id", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("visuals:template_detail", template_id=template.pk)
    messages.success(
        request, _("Prompt kept. Upload the image you make with it here, so it keeps its lineage.")
    )
    return redirect(f"{request.build_absolute_uri('/visuals/')}?prompt={prompt.pk}")
