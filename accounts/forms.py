"""Forms of the accounts app."""

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import SignupForm as AllauthSignupForm

from home.countries import country_choices
from home.models import StakeholderOrganisation
from home.validators import single_line
from inventory.forms import REFERENCE_PATTERN, EntrySubmissionForm
from inventory.search import QueryError

from .models import AccountProfile, SavedSearch
from .profiles import preferred_language, set_preferred_language
from .searches import normal_form


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form.

    Its honeypot is hidden by the site's stylesheet (no inline style: the Content
    Security Policy refuses them) and labelled for the screen readers that would
    still reach it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        trap = self.fields.get(allauth_settings.SIGNUP_FORM_HONEYPOT_FIELD or "")
        if trap is not None:
            trap.label = _("Leave this field empty")
            trap.widget.attrs.pop("style", None)
            trap.widget.attrs["autocomplete"] = "off"
            trap.is_trap = True
        password = self.fields.get("password1")
        if password is not None:
            # Django's help is an HTML list; the site's fields show plain text.
            password.help_text = " ".join(password_validators_help_texts())


class ProfileForm(forms.ModelForm):
    """Who the account acts for, and what it hears from the platform.

    The organisation is typed by name: a name the platform knows (whatever its
    case) is that organisation; another name is proposed, and an inventory
    editor confirms it (Admin → Proposed organisations), as the names the
    public gives with a submission become organisations only on approval.
    """

    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        validators=[single_line],
        help_text=_(
            "The organisation you act for. A name we do not know yet is checked by "
            "the inventory editors."
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of your e-mails"), choices=settings.LANGUAGES
    )

    class Meta:
        model = AccountProfile
        fields = [
            "name",
            "stakeholder_type",
            "country",
            "notify_moderation",
            "notify_team_news",
            "notify_meeting_reminders",
            "notify_yearly_call",
        ]

    field_order = [
        "name",
        "organisation_name",
        "stakeholder_type",
        "country",
        "preferred_language",
    ]

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["country"].choices = [("", _("Choose a country"))] + list(
            country_choices()
        )
        if instance is not None:
            self.initial["organisation_name"] = (
                instance.organisation.name
                if instance.organisation_id
                else instance.proposed_organisation
            )
            self.initial["preferred_language"] = preferred_language(instance.user)

    def save(self, commit=True):
        profile = super().save(commit=False)
        name = " ".join(self.cleaned_data.get("organisation_name", "").split())
        known = (
            StakeholderOrganisation.objects.filter(name__iexact=name).first()
            if name
            else None
        )
        profile.organisation = known
        profile.proposed_organisation = "" if known or not name else name
        if commit:
            profile.save()
            set_preferred_language(
                profile.user, self.cleaned_data["preferred_language"]
            )
        return profile


class ClaimForm(forms.Form):
    """Ask for the contact address given with entries submitted before the account.

    The contact address given with entries submitted before the account (and, to
    claim only one, its tracking reference).
    """

    email = forms.EmailField(
        label=_("Contact address of the entries"),
        max_length=254,
        help_text=_("We send a link to this address; open it while signed in."),
    )
    reference = forms.CharField(
        label=_("Tracking reference (optional)"),
        max_length=20,
        required=False,
        help_text=_("To attach only that entry, for example WSIS-26-ABC234."),
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        if reference and not REFERENCE_PATTERN.fullmatch(reference):
            raise forms.ValidationError(
                _("A tracking reference looks like WSIS-26-ABC234."), code="invalid"
            )
        return reference


def account_submission_form(request, data=None):
    """Return the inventory's submission form, filled in from the account's profile.

    The inventory's submission form, filled in with what the account's profile says
    (organisation, stakeholder type, country, name, address).
    """
    profile = request.account_profile
    initial = {
        "contact_name": profile.name,
        "contact_email": request.user.email,
        "stakeholder_type": profile.stakeholder_type,
        "organisation_name": profile.organisation.name
        if profile.organisation_id
        else profile.proposed_organisation,
    }
    if profile.country:
        initial["countries"] = [profile.country]
    return EntrySubmissionForm(data, initial=initial)


class SavedSearchForm(forms.ModelForm):
    """A search kept by the account.

    Its name, its query string (as the search page writes it) and how often it wants
    a digest.
    """

    class Meta:
        model = SavedSearch
        fields = ["name", "query", "frequency"]
        widgets = {"query": forms.HiddenInput}

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_query(self):
        try:
            return normal_form(self.cleaned_data.get("query", ""))
        except QueryError as error:
            raise forms.ValidationError(error.messages, code="invalid") from error

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk is None
            and self.user is not None
            and SavedSearch.objects.filter(user=self.user).count()
            >= settings.ACCOUNTS_MAX_SAVED_SEARCHES
        ):
            raise forms.ValidationError(
                _("You keep %(max)d saved searches already: remove one first.")
                % {"max": settings.ACCOUNTS_MAX_SAVED_SEARCHES},
                code="too_many",
            )
        return cleaned


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my account and my personal data are deleted for good."),
    )
