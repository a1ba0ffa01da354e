"""The creator's side of Spark Ads requests: through their signed link, only their own posts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from creatordesk.creators.models import Creator
from creatordesk.creators.portal import creator_from_portal_token, portal_page
from creatordesk.performance import selectors, services
from creatordesk.performance.forms import SparkCodeForm
from creatordesk.performance.models import AmplifyTask


def _creator(token: str) -> Creator:
    creator = creator_from_portal_token(token)
    if creator is None:
        raise Http404(_("This link is invalid or has expired. Ask your contact for a new one."))
    return creator


@portal_page
def amplify_list(request: HttpRequest, token: str) -> HttpResponse:
    creator = _creator(token)
    tasks = selectors.creator_amplify_tasks(creator=creator)
    return render(
        request, "performance/portal_amplify.html", {"creator": creator, "tasks": tasks, "token": token}
    )


@portal_page
def amplify_task(request: HttpRequest, token: str, amplify_task_pk: int) -> HttpResponse:
    creator = _creator(token)
    task = get_object_or_404(
        AmplifyTask.objects.select_related("post__collaboration__campaign"),
        pk=amplify_task_pk,
        post__collaboration__creator=creator,
    )
    form = SparkCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amplify_code_submit(task=task, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you! We received your code."))
            return redirect("amplify_portal_list", token=token)
    context = {"creator": creator, "task": task, "form": form, "token": token}
    return render(
        request, "performance/portal_amplify_task.html", context, status=400 if form.errors else 200
    )
