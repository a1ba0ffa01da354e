"""Webhook set-up and the delivery log (with retry) of a workspace."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.notifications.forms import WebhookForm
from creatordesk.notifications.models import Delivery, Webhook
from creatordesk.notifications.services import delivery_retry, webhook_create, webhook_delete


@role_required(*MANAGERS)
def index(request: WorkspaceRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_create(workspace=request.workspace, **form.cleaned_data)
        except ValidationError as exc:  # the host may resolve differently by the service's own check
            form.add_error(None, exc)
        else:
            messages.success(request, _("Webhook added."))
            return redirect("notifications:index")
    context = {
        "form": form,
        "webhooks": Webhook.objects.for_workspace(request.workspace),
        "deliveries": Delivery.objects.for_workspace(request.workspace)[:100],
    }
    return render(request, "notifications/index.html", context)


@require_POST
@role_required(*MANAGERS)
def webhook_remove(request: WorkspaceRequest, webhook_pk: int) -> HttpResponse:
    webhook_delete(webhook=get_scoped_or_404(Webhook, request.workspace, pk=webhook_pk))
    return redirect("notifications:index")


@require_POST
@role_required(*MANAGERS)
def retry(request: WorkspaceRequest, delivery_pk: int) -> HttpResponse:
    try:
        delivery_retry(delivery=get_scoped_or_404(Delivery, request.workspace, pk=delivery_pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sending again."))
    return redirect("notifications:index")
