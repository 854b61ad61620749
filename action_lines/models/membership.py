"""Joining a team: requests from the public, decided by the team's facilitators."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from home.choices import StakeholderType
from home.countries import country_choices, country_name
from home.fields import SingleLineCharField, recipient_language_field

from ..choices import RequestStatus


class TeamMembershipRequest(models.Model):
    """A stakeholder's request to join a team; pending until a facilitator decides."""

    team = models.ForeignKey(
        "action_lines.TeamPage",
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("team"),
    )
    organisation_name = SingleLineCharField(_("organisation"), max_length=255)
    person_name = SingleLineCharField(pgettext_lazy("field", "name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=40, choices=StakeholderType.choices
    )
    country = models.CharField(_("country"), max_length=3, choices=country_choices)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        pgettext_lazy("field", "status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    language = recipient_language_field(
        _("The site's language when the request was sent: its e-mails'.")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note to the requester"), blank=True)
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_requests",
        verbose_name=_("member organisation"),
    )

    class Meta:
        verbose_name = _("team membership request")
        verbose_name_plural = _("team membership requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_email_and_team",
            )
        ]

    def __str__(self):
        return f"{self.organisation_name} → {self.team.title}"

    @property
    def country_name(self):
        return country_name(self.country)

    country_name.fget.short_description = _("country")

    @property
    def is_pending(self):
        return self.status == RequestStatus.PENDING


class TeamMembership(models.Model):
    """An organisation that is a member of a team."""

    team = models.ForeignKey(
        "action_lines.TeamPage",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("team"),
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("organisation"),
    )
    since = models.DateField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "organisation"], name="unique_team_membership"
            )
        ]

    def __str__(self):
        return f"{self.organisation} in {self.team.title}"
