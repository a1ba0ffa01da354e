"""The database task backend end to end: enqueue, a real worker picks it up, the result is stored."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus

from creatordesk.accounts.models import Invitation
from creatordesk.accounts.tasks import send_invitation_email


@pytest.mark.django_db(transaction=True)
def test_worker_runs_an_enqueued_task_and_stores_its_result(side_a) -> None:
    invitation = Invitation.objects.create(
        workspace=side_a.workspace, email="w@example.com", role="viewer", token=Invitation.new_token()
    )
    result = send_invitation_email.enqueue(invitation_id=invitation.pk)
    assert result.status == TaskResultStatus.READY

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "w@example.com"
    assert mail.outbox[0].to == ["w@example.com"]
