"""The facilitator designation register (docs/mechanism.md §3 and §8).

For each action line the secretariat records a designation round: the candidate
organisations and their answers, the consultation meetings, the recommendation
agreed among the candidates and sent to the UN Secretary-General, and the
resulting designations with their terms. Rounds are never deleted by routine work,
so the history stays visible to the secretariat.
"""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from home.fields import SingleLineCharField

from ..choices import CandidateResponse, FacilitatorRole, MeetingKind, RoundStatus


class DesignationRound(RevisionMixin, index.Indexed, ClusterableModel):
    """One designation process for one action line."""

    action_line = models.ForeignKey(
        "action_lines.ActionLinePage",
        on_delete=models.PROTECT,
        related_name="designation_rounds",
        verbose_name=_("action line"),
    )
    title = SingleLineCharField(
        pgettext_lazy("field", "title"),
        max_length=255,
        help_text=_("For example: C5 facilitation 2026–2030."),
    )
    opened_on = models.DateField(_("opened on"), default=datetime.date.today)
    status = models.CharField(
        pgettext_lazy("field", "status"),
        max_length=20,
        choices=RoundStatus.choices,
        default=RoundStatus.OPEN,
    )
    consultations = ParentalManyToManyField(
        "action_lines.MeetingPage",
        blank=True,
        related_name="designation_rounds",
        verbose_name=_("consultation meetings"),
        limit_choices_to={"kind": MeetingKind.CONSULTATION},
    )
    recommendation_date = models.DateField(
        _("recommendation date"), null=True, blank=True
    )
    recommendation_text = RichTextField(
        _("recommendation to the UN Secretary-General"), blank=True
    )
    recommendation_document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recommendation document"),
    )
    notes = models.TextField(_("internal notes"), blank=True)
    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="designation_round"
    )

    panels = [
        FieldPanel("action_line"),
        FieldPanel("title"),
        FieldPanel("opened_on"),
        FieldPanel("status"),
        InlinePanel("candidates", heading=_("Candidates"), label=_("Candidate")),
        FieldPanel("consultations"),
        MultiFieldPanel(
            [
                FieldPanel("recommendation_date"),
                FieldPanel("recommendation_text"),
                FieldPanel("recommendation_document"),
            ],
            heading=_("Recommendation"),
        ),
        InlinePanel(
            "designations", heading=_("Resulting designations"), label=_("Designation")
        ),
        FieldPanel("notes"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("action_line_id"),
    ]

    class Meta:
        verbose_name = _("designation round")
        verbose_name_plural = _("designation rounds")
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if self.status in (RoundStatus.RECOMMENDED, RoundStatus.DESIGNATED) and not (
            self.recommendation_date
        ):
            raise ValidationError(
                {
                    "recommendation_date": _(
                        "Record the date of the recommendation before marking the "
                        "round as recommended or designated."
                    )
                }
            )


class DesignationCandidate(Orderable):
    """An organisation that is a candidate to facilitate the action line."""

    round = ParentalKey(
        DesignationRound, on_delete=models.CASCADE, related_name="candidates"
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("candidate for"), max_length=20, choices=FacilitatorRole.choices
    )
    response = models.CharField(
        _("candidate's answer"),
        max_length=20,
        choices=CandidateResponse.choices,
        default=CandidateResponse.PENDING,
    )
    needs_council_advice = models.BooleanField(
        _("needs its governing council's advice"), default=False
    )
    needs_extra_resources = models.BooleanField(
        _("needs extra resources"), default=False
    )
    notes = SingleLineCharField(_("notes"), max_length=500, blank=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("response"),
        FieldPanel("needs_council_advice"),
        FieldPanel("needs_extra_resources"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("candidate")


class FacilitatorDesignation(Orderable):
    """A designation by the UN Secretary-General, for a term."""

    round = ParentalKey(
        DesignationRound, on_delete=models.CASCADE, related_name="designations"
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=FacilitatorRole.choices)
    designated_on = models.DateField(_("designated on"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(
        _("term ends"), null=True, blank=True, help_text=_("Empty for an open term.")
    )

    panels = [
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("designated_on"),
        FieldPanel("term_start"),
        FieldPanel("term_end"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("facilitator designation")

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term must end after it starts.")})

    @classmethod
    def current(cls, on=None):
        """Designations in force on a date (today by default), leads first."""
        on = on or timezone.localdate()
        return (
            cls.objects.filter(
                round__status=RoundStatus.DESIGNATED,
                term_start__lte=on,
            )
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
            .annotate(
                role_order=Case(
                    When(role=FacilitatorRole.LEAD, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("round__action_line__path", "role_order", "sort_order")
        )

    @classmethod
    def current_for(cls, action_line, on=None):
        return (
            cls.current(on)
            .filter(round__action_line=action_line)
            .select_related("organisation")
        )
