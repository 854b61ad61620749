"""Admin screens of the accounts app.

Organisations that accounts proposed, and the entries editors give to accounts.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from allauth.account.models import EmailAddress

from inventory.models import organisation_named

from .activities import holds
from .backends import is_staff_user
from .models import AccountProfile, EntryClaim


class ConfirmOrganisationForm(WagtailAdminModelForm):
    """Let the editor choose or create the organisation the account meant.

    The editor chooses the organisation the account meant, or creates the one it
    proposed (as an approval does for the names of a submission).
    """

    create_organisation = forms.BooleanField(
        label=_("Create the proposed organisation"),
        required=False,
        help_text=_("When it is not in the platform yet."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not cleaned.get("create_organisation"):
            self.add_error(
                "organisation",
                _("Choose the organisation, or create the proposed one."),
            )
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=False)
        if self.cleaned_data.get("create_organisation") and not profile.organisation:
            profile.organisation = organisation_named(
                profile.proposed_organisation,
                profile.stakeholder_type or "other",
                profile.country,
            )
        profile.proposed_organisation = ""
        if commit:
            profile.save()
        return profile


class ProposedOrganisationViewSet(ModelViewSet):
    model = AccountProfile
    icon = "site"
    menu_label = _("Proposed organisations")
    menu_name = "proposed_organisations"
    menu_order = 401
    add_to_admin_menu = True
    url_prefix = "accounts/proposed-organisations"
    name = "proposed_organisations"
    list_display = ["proposed_organisation", "stakeholder_type", "country"]
    search_fields = ["proposed_organisation"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        return AccountProfile.objects.filter(organisation__isnull=True).exclude(
            proposed_organisation=""
        )

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("proposed_organisation", read_only=True),
                FieldPanel("stakeholder_type", read_only=True),
                FieldPanel("organisation"),
                FieldPanel("create_organisation"),
            ],
            base_form_class=ConfirmOrganisationForm,
        ).bind_to_model(self.model)


class AssignEntryForm(WagtailAdminModelForm):
    """An editor gives an entry to an account, named by its verified address."""

    account_email = forms.EmailField(
        label=_("Account's e-mail address"),
        help_text=_("A verified address of the stakeholder account."),
    )

    def clean_account_email(self):

        email = self.cleaned_data["account_email"].strip()
        address = (
            EmailAddress.objects.filter(email=email.lower(), verified=True)
            .select_related("user")
            .first()
        )
        if address is None or is_staff_user(address.user):
            raise forms.ValidationError(
                _("No stakeholder account has this verified address."),
                code="unknown_account",
            )
        self.account = address.user
        return email

    def clean(self):
        cleaned = super().clean()
        entry = cleaned.get("entry")
        account = getattr(self, "account", None)
        if entry and account and holds(account, entry.pk):
            self.add_error("entry", _("This account holds the entry already."))
        return cleaned

    def save(self, commit=True):
        claim = super().save(commit=False)
        claim.user = self.account
        claim.source = EntryClaim.Source.ASSIGNED
        claim.assigned_by = self.for_user
        if commit:
            claim.save()
        return claim


class EntryClaimViewSet(ModelViewSet):
    """Admin → Accounts' entries.

    Which account holds which entry besides its own submissions; inventory editors
    assign and withdraw.
    """

    model = EntryClaim
    icon = "user"
    menu_label = _("Accounts' entries")
    menu_name = "accounts_entries"
    menu_order = 402
    add_to_admin_menu = True
    url_prefix = "accounts/entries"
    name = "accounts_entries"
    list_display = ["entry", "account_address", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["entry__title", "entry__reference", "user__email"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        return EntryClaim.objects.select_related("entry", "user")

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel("entry"), FieldPanel("account_email")],
            base_form_class=AssignEntryForm,
        ).bind_to_model(self.model)
