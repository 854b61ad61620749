"""Keep what the platform knows about a stakeholder account.

What the platform keeps about a stakeholder account, beside allauth's own tables (the
user, its e-mail addresses, its authenticators).

An account is a Django user with no group and no admin permission. Its profile
says who it acts for (an organisation, chosen or proposed) and which e-mails it
wants; what it submitted is ``InventoryEntry.submitted_by``, what it claimed or
was given is an ``EntryClaim``; its join requests and meeting registrations are
the teams' own records, linked to it here.
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from home.choices import StakeholderType
from home.countries import country_choices
from home.fields import SingleLineCharField

# The kinds of e-mail an account may turn off (home.mail.mail_preference).
MAIL_KINDS = ("moderation", "team_news", "meeting_reminders", "yearly_call")


class AccountProfile(models.Model):
    """Who an account acts for, and the e-mails it wants."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_profile",
    )
    name = SingleLineCharField(
        _("your name"),
        max_length=200,
        blank=True,
        help_text=_("Given as the contact of the activities you submit."),
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_profiles",
        verbose_name=_("organisation"),
    )
    # A name the account gave for an organisation not yet in the platform; an
    # inventory editor confirms it (it then becomes ``organisation``).
    proposed_organisation = SingleLineCharField(
        _("proposed organisation"), max_length=255, blank=True
    )
    stakeholder_type = models.CharField(
        _("stakeholder type"),
        max_length=40,
        choices=StakeholderType.choices,
        blank=True,
    )
    country = models.CharField(
        _("country"), max_length=3, blank=True, choices=country_choices
    )
    notify_moderation = models.BooleanField(
        _("the editors' decisions on my activities"), default=True
    )
    notify_team_news = models.BooleanField(
        _("answers to my requests to join a team"), default=True
    )
    notify_meeting_reminders = models.BooleanField(
        _("reminders of the meetings I registered for"), default=True
    )
    notify_yearly_call = models.BooleanField(
        _("the yearly call to update my activities"), default=True
    )
    created_at = models.DateTimeField(
        pgettext_lazy("field", "created"), auto_now_add=True
    )

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")
        indexes = [
            models.Index(
                fields=["proposed_organisation"],
                condition=~models.Q(proposed_organisation=""),
                name="account_proposed_organisation",
            )
        ]

    def __str__(self):
        return self.name or self.user.email

    def wants(self, kind):
        return getattr(self, f"notify_{kind}")

    @property
    def organisation_label(self):
        if self.organisation_id:
            return str(self.organisation)
        return self.proposed_organisation


class EntryClaim(models.Model):
    """An inventory entry an account holds besides those it submitted.

    Claimed by proving control of its contact address, or assigned by an editor.
    """

    class Source(models.TextChoices):
        CLAIMED = "claimed", _("claimed with its contact address")
        ASSIGNED = "assigned", _("assigned by an editor")

    entry = models.ForeignKey(
        "inventory.InventoryEntry",
        on_delete=models.CASCADE,
        related_name="account_claims",
        verbose_name=_("inventory entry"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="entry_claims",
        verbose_name=pgettext_lazy("stakeholder account", "account"),
    )
    source = models.CharField(_("how"), max_length=20, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("account's entry")
        verbose_name_plural = _("accounts' entries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"], name="one_claim_per_entry_and_account"
            )
        ]
        indexes = [models.Index(fields=["user", "entry"])]

    def __str__(self):
        return f"{self.entry} → {self.user.email}"

    @property
    def account_address(self):
        return self.user.email

    account_address.fget.short_description = pgettext_lazy(
        "stakeholder account", "account"
    )


def new_feed_token():
    return secrets.token_urlsafe(32)


class SavedSearch(models.Model):
    """An inventory search an account keeps.

    A digest of the entries newly published that match it, and an Atom feed anyone
    with its token reads.
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("every week")
        NEVER = "never", _("no e-mail (feed only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=pgettext_lazy("stakeholder account", "account"),
    )
    name = SingleLineCharField(pgettext_lazy("field", "name"), max_length=200)
    query = models.CharField(
        _("query string"),
        max_length=2000,
        blank=True,
        help_text=_("As in the address of the inventory search."),
    )
    frequency = models.CharField(
        _("e-mail digest"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    feed_token = models.CharField(
        max_length=64, unique=True, default=new_feed_token, editable=False
    )
    created_at = models.DateTimeField(
        pgettext_lazy("field", "created"), auto_now_add=True
    )
    # Entries published after this go into the next digest.
    last_sent_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["frequency", "last_sent_at"])]

    def __str__(self):
        return self.name

    def renew_feed_token(self):
        """Revokes the feed's address: the old token stops working at once."""
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])


class AccountJoinRequest(models.Model):
    """A team's join request made by a signed-in account."""

    request = models.OneToOneField(
        "action_lines.TeamMembershipRequest",
        on_delete=models.CASCADE,
        related_name="account_link",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_join_requests",
    )

    def __str__(self):
        return f"{self.request} ({self.user})"


class AccountRegistration(models.Model):
    """A meeting registration made by a signed-in account."""

    registration = models.OneToOneField(
        "action_lines.MeetingRegistration",
        on_delete=models.CASCADE,
        related_name="account_link",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_registrations",
    )

    def __str__(self):
        return f"{self.registration} ({self.user})"


@register_setting(icon="key")
class StaffSignInSettings(BaseGenericSetting):
    """Name the staff who must use two-factor authentication to open the admin.

    Which staff must use two-factor authentication to open the admin (besides the
    groups named by STAFF_MFA_REQUIRED_GROUPS).
    """

    mfa_required_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("groups that must use two-factor authentication"),
        help_text=_(
            "Members of these groups set up an authenticator app, then give a code "
            "from it each time they sign in to the admin."
        ),
    )
    mfa_required_for_superusers = models.BooleanField(
        _("superusers must use two-factor authentication"), default=False
    )

    panels = [
        FieldPanel("mfa_required_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("mfa_required_for_superusers"),
    ]

    class Meta:
        verbose_name = _("staff sign-in")
