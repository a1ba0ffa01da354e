from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creatordesk.campaigns.models import Collaboration
from creatordesk.reviews.models import FindingState, Outcome


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


class FindingStateForm(forms.Form):
    state = forms.ChoiceField(choices=FindingState.choices)
    reason = forms.CharField(required=False, max_length=500)


class StagesForm(forms.Form):
    stages = forms.CharField(
        label=_("Stages"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One stage per line as “position: name”; stages with the same position run in parallel."),
    )

    def clean_stages(self) -> list[tuple[str, int]]:
        parsed = []
        for number, line in enumerate(self.cleaned_data["stages"].splitlines(), start=1):
            if not line.strip():
                continue
            position, sep, name = line.partition(":")
            if not sep or not position.strip().isdigit() or not name.strip():
                raise forms.ValidationError(_("Line %(n)s is not “position: name”.") % {"n": number})
            parsed.append((name.strip(), int(position)))
        if not parsed:
            raise forms.ValidationError(_("Give at least one stage."))
        return parsed
