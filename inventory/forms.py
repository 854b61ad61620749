"""Public forms of the inventory: submission and update proposals."""

import html as html_module
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from home.choices import SDG, UNLanguage
from home.mail import visitor_language
from home.rich_text import clean_rich_text_fields, paragraphs_html
from home.validators import single_line

from .choices import ActionLineCode
from .models import InventoryEntry, partner_name_list

# Imported entries name their organisations directly (an operator's import).
from .models import organisation_named as organisation_named
from .regions import entry_country_choices

MAX_DESCRIPTION = 10_000
# Tracking references: letters and digits in hyphen-separated groups
# (WSIS-26-ABC234 for submissions, DEMO-… for demo data, imported ones alike).
REFERENCE_PATTERN = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def rich_text_as_plain(html):
    """Return the plain text the public form edits.

    The reverse of its <p>/<br/> markup, with entities decoded (so "<" and "&"
    survive a round trip unescaped).
    """
    text = re.sub(r"<br\s*/?>", "\n", html or "")
    text = strip_tags(text.replace("</p>", "\n\n"))
    return html_module.unescape(text).strip()


class EntrySubmissionForm(forms.ModelForm):
    """What a stakeholder tells us about an activity; editors review it."""

    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    action_lines = forms.MultipleChoiceField(
        label=_("Action lines"),
        choices=ActionLineCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=SDG.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=entry_country_choices,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_('Choose one or more; "Global" for worldwide activities.'),
    )
    organisation_name = forms.CharField(
        label=_("Implementing organisation"), max_length=255, validators=[single_line]
    )
    partner_names = forms.CharField(
        label=_("Partners"),
        required=False,
        max_length=1000,
        validators=[single_line],
        help_text=_("Organisation names, separated by semicolons."),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail"),
        # The model's EmailField: Django's validator alone accepts up to 320.
        max_length=254,
        help_text=_("We send the tracking reference here. Never shown publicly."),
    )
    # Spam trap: hidden from people, filled in by bots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_language(self):
        return self.cleaned_data.get("language") or UNLanguage.ENGLISH

    class Meta:
        model = InventoryEntry
        fields = [
            "title",
            "summary",
            "language",
            "activity_type",
            "status",
            "coverage",
            "stakeholder_type",
            "start_date",
            "end_date",
            "reporting_year",
            "website",
            "keywords",
            "contact_name",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    field_order = [
        "title",
        "summary",
        "language",
        "description",
        "activity_type",
        "status",
        "action_lines",
        "sdgs",
        "countries",
        "coverage",
        "stakeholder_type",
        "organisation_name",
        "partner_names",
        "start_date",
        "end_date",
        "reporting_year",
        "website",
        "keywords",
        "contact_name",
        "contact_email",
        "homepage",
    ]

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["contact_name"].required = True
        # Optional: an entry without one is taken to be in English.
        self.fields["language"].required = False
        if instance is None or not instance.pk:
            # Written, most likely, in the language the visitor reads the site in.
            code = (get_language() or "en").split("-")[0]
            if code in UNLanguage.values:
                self.initial.setdefault("language", code)
        if instance is not None and instance.pk:
            if instance.proposed_organisation:  # a proposal not yet published
                organisation = instance.proposed_organisation
                partners = instance.proposed_partner_names
            else:
                organisation = (
                    instance.organisation.name if instance.organisation else ""
                )
                partners = [partner.name for partner in instance.partners.all()]
            self.initial.update(
                description=rich_text_as_plain(instance.description),
                action_lines=instance.action_lines,
                sdgs=instance.sdgs,
                countries=instance.countries,
                organisation_name=organisation,
                partner_names="; ".join(partners),
                contact_email=instance.contact_email,
            )

    def clean_homepage(self):
        if self.cleaned_data.get("homepage"):
            raise ValidationError(_("This field must be left empty."), code="spam")
        return ""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def is_spam(self):
        return any(
            error.code == "spam" for error in self.errors.as_data().get("homepage", [])
        )

    def save(self, commit=True):
        """Return the entry with the proposal applied, not saved.

        The caller saves it (a new entry) or only a revision of it (an update).
        """
        entry = super().save(commit=False)
        data = self.cleaned_data
        entry.description = paragraphs_html(data.get("description", ""))
        entry.action_lines = data["action_lines"]
        entry.sdgs = sorted(data.get("sdgs") or [])
        entry.countries = data["countries"]
        entry.contact_email = data["contact_email"].strip().lower()
        entry.contact_language = visitor_language()
        # Names only: an editor's approval makes them organisations.
        entry.proposed_organisation = " ".join(data["organisation_name"].split())
        entry.proposed_partners = "; ".join(
            partner_name_list(data.get("partner_names", ""))
        )
        # Escaped already; and stored exactly as the editor would store it.
        return clean_rich_text_fields(entry)


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Tracking reference"),
        max_length=20,
        help_text=_("As in the e-mail we sent you, for example WSIS-26-ABC234."),
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE_PATTERN.fullmatch(reference):
            raise ValidationError(
                _("A tracking reference looks like WSIS-26-ABC234."), code="invalid"
            )
        return reference
