from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.lib.ids import parse_id
from creatordesk.reviews.models import FindingState, Outcome, ReviewStage
from creatordesk.reviews.services import DEFAULT_STAGE, StageConfig
from creatordesk.reviews.stages import DECIDING_ROLES


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Video file"), widget=forms.ClearableFileInput(attrs={"accept": "video/*"})
    )
    caption = forms.CharField(
        label=_("Post caption"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubmissionCreateForm(VersionUploadForm):
    collaboration = forms.ModelChoiceField(
        label=_("Creator and campaign"), queryset=Collaboration.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=160)
    field_order = ["collaboration", "title", "file", "caption"]

    def __init__(self, *args: object, workspace: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["collaboration"]
        field.queryset = Collaboration.objects.for_workspace(workspace).select_related("creator", "campaign")  # type: ignore[attr-defined,arg-type]


class CreatorSubmissionForm(VersionUploadForm):
    title = forms.CharField(label=_("Title"), max_length=160)
    field_order = ["title", "file", "caption"]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))
    start_s = forms.FloatField(label=_("At second"), required=False, min_value=0)
    duration_s = forms.FloatField(label=_("Duration (s)"), required=False, min_value=0)
    internal = forms.BooleanField(label=_("Internal (hidden from the creator)"), required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    stage = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note to the creator"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_open_blocks = forms.BooleanField(required=False)


class FindingStateForm(forms.Form):
    state = forms.ChoiceField(choices=FindingState.choices)
    reason = forms.CharField(required=False, max_length=500)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of users that refuse an id no row can have before Django's IN (...) query overflows."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)


class StageForm(forms.Form):
    """One row of the stage configuration; a row whose name is cleared removes the stage."""

    name = forms.CharField(label=_("Stage"), max_length=80, required=False)
    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=20,
        initial=1,
        required=False,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles who may decide"),
        choices=[(r.value, r.label) for r in DECIDING_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = MemberChoiceField(
        label=_("People who may decide"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["members"]
        field.queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__workspace=workspace, memberships__role__in=DECIDING_ROLES
        ).order_by("first_name", "email")


class BaseStageFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.configs():
            raise forms.ValidationError(_("Give at least one stage."))

    def configs(self) -> list[StageConfig]:
        """The filled-in rows as stage configurations; with no roles and no people anyone may decide."""
        return [
            StageConfig(
                name=data["name"].strip(),
                position=data.get("position") or 1,
                roles=tuple(data.get("roles") or ()),
                members=tuple(data.get("members") or ()),
            )
            for data in (form.cleaned_data for form in self.forms)
            if data.get("name", "").strip()
        ]


StageFormSet = cast(
    type[BaseStageFormSet], forms.formset_factory(StageForm, formset=BaseStageFormSet, extra=2, max_num=20)
)


def stage_initial(campaign_id: int) -> list[dict[str, object]]:
    """The configured stages of a campaign as rows of the stage formset."""
    stages = ReviewStage.objects.filter(campaign_id=campaign_id).prefetch_related("members")
    rows: list[dict[str, object]] = [
        {"name": s.name, "position": s.position, "roles": s.roles, "members": [u.pk for u in s.members.all()]}
        for s in stages
    ]
    return rows or [{"name": DEFAULT_STAGE[0], "position": DEFAULT_STAGE[1]}]


class ReviewSettingsForm(forms.Form):
    one_person_many_stages = forms.BooleanField(
        label=_("One person may decide several stages of a version"),
        required=False,
        help_text=_("Applies to every campaign of this workspace; only the owner can change it."),
    )
