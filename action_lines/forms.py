"""Public forms: joining a team and registering for a meeting."""

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from django_q.tasks import async_task

from home.countries import country_choices
from home.mail import visitor_language

from .choices import RequestStatus
from .models import MeetingPage, MeetingRegistration, TeamMembershipRequest


class SaveConflict(Exception):
    """Valid, but another request got there first; the errors are on the form."""


class CountryChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=lambda: [("", _("Choose a country"))] + country_choices(), **kwargs
        )


class JoinTeamForm(forms.ModelForm):
    """A stakeholder asks to join a team; the facilitators decide."""

    country = CountryChoiceField(label=_("Country"))

    class Meta:
        model = TeamMembershipRequest
        fields = [
            "organisation_name",
            "person_name",
            "email",
            "stakeholder_type",
            "country",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, team=None, **kwargs):
        self.team = team
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["person_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if (
            self.team
            and TeamMembershipRequest.objects.filter(
                team=self.team, email=email, status=RequestStatus.PENDING
            ).exists()
        ):
            raise forms.ValidationError(
                _(
                    "A request from this e-mail address is already waiting for the "
                    "facilitators' answer."
                ),
                code="duplicate",
            )
        return email

    def save(self, commit=True):
        request = super().save(commit=False)
        request.team = self.team
        request.language = visitor_language()
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            self.add_error(
                "email",
                _("A request from this address is already waiting for an answer."),
            )
            raise SaveConflict from None
        transaction.on_commit(
            lambda: async_task(
                "action_lines.tasks.notify_new_membership_request", request.pk
            )
        )
        return request


class MeetingRegistrationForm(forms.ModelForm):
    """Registration for a meeting open to all stakeholders; capacity is enforced."""

    country = CountryChoiceField(label=_("Country"))

    class Meta:
        model = MeetingRegistration
        fields = [
            "name",
            "email",
            "organisation",
            "stakeholder_type",
            "country",
            "attendance",
        ]

    def __init__(self, *args, meeting=None, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        if meeting and not meeting.online_url:
            self.fields["attendance"].choices = [
                choice
                for choice in self.fields["attendance"].choices
                if choice[0] != "online"
            ]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.meeting and self.meeting.registrations.filter(email=email).exists():
            raise forms.ValidationError(
                _("This e-mail address is already registered for this meeting."),
                code="duplicate",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if self.meeting and not self.meeting.accepts_registrations:
            raise forms.ValidationError(self._closed_message(), code="closed")
        return cleaned

    def _closed_message(self):
        if self.meeting.registration_open and self.meeting.places_left == 0:
            return _("The meeting is full: no places are left.")
        return _("Registration for this meeting is closed.")

    def save(self, commit=True):
        """Register under a lock on the meeting: capacity holds under concurrency."""
        registration = super().save(commit=False)
        with transaction.atomic():
            meeting = MeetingPage.objects.select_for_update().get(pk=self.meeting.pk)
            if meeting.capacity is not None and (
                meeting.registrations.count() >= meeting.capacity
            ):
                self.add_error(None, _("The meeting is full: no places are left."))
                raise SaveConflict
            registration.meeting = meeting
            registration.language = visitor_language()
            try:
                with transaction.atomic():
                    registration.save()
            except IntegrityError:
                self.add_error(
                    "email",
                    _("This e-mail address is already registered for this meeting."),
                )
                raise SaveConflict from None
        transaction.on_commit(
            lambda: async_task(
                "action_lines.tasks.send_registration_confirmation", registration.pk
            )
        )
        return registration


def save_form(form):
    """Validate and save; the saved object, or None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        return form.save()
    except SaveConflict:
        return None
