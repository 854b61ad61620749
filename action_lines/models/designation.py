"""The facilitator designation register (docs/mechanism.md §3 and §8).

For each action line the secretariat records a designation round: the candidate
organisations, their answers and what their acceptance depends on, the advice of
their governing councils, the consultation meetings, the recommendation agreed
among the candidates and sent to the UN Secretary-General, and the resulting
designations with their terms. A round moves from step to step only through the
transitions of ``action_lines.rounds``, which check the rules of each step and
record it in the audit log; the form never sets the step. Rounds are never
deleted by routine work, so the history stays visible.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PageLogEntry, RevisionMixin
from wagtail.search import index

from home.fields import ChoiceListField, SingleLineCharField

from ..admin_panels import RoundStatusPanel
from ..choices import (
    AdviceOutcome,
    CandidateCondition,
    CandidateResponse,
    FacilitatorRole,
    MeetingKind,
    RoundStatus,
)
from .pages import ModalitiesPage, TeamPage


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
    # Set by the transitions of action_lines.rounds only, never by a form.
    status = models.CharField(
        pgettext_lazy("field", "status"),
        max_length=20,
        choices=RoundStatus.choices,
        default=RoundStatus.OPEN,
        editable=False,
    )
    consultations = ParentalManyToManyField(
        "action_lines.MeetingPage",
        blank=True,
        related_name="designation_rounds",
        verbose_name=_("consultation meetings"),
        limit_choices_to={"kind": MeetingKind.CONSULTATION},
        help_text=_(
            "Stakeholder consultations on this round: meetings of the kind "
            "“designation consultation”, open to all, with registration and minutes."
        ),
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
    # The day the recommendation went to the UN Secretary-General: from then on
    # (and only then) the recommendation is public.
    recommendation_sent_on = models.DateField(
        _("recommendation sent on"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("internal notes"), blank=True)
    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="designation_round"
    )

    panels = [
        FieldPanel("action_line"),
        FieldPanel("title"),
        FieldPanel("opened_on"),
        RoundStatusPanel(heading=capfirst(pgettext_lazy("field", "status"))),
        InlinePanel(
            "candidates",
            heading=_("Candidates"),
            label=_("Candidate"),
            help_text=_(
                "Facilitators are designated by agreement among the candidates: "
                "no recommendation while a candidate has not answered or declined."
            ),
        ),
        InlinePanel(
            "council_advice",
            heading=_("Governing councils' advice"),
            label=_("Advice"),
            help_text=_(
                "A candidate whose acceptance depends on its governing council's "
                "advice or on extra resources is designated only once the advice "
                "is recorded here. The version of the team's coordination "
                "modalities published on the date of the advice is recorded with it."
            ),
        ),
        FieldPanel("consultations"),
        MultiFieldPanel(
            [
                FieldPanel("recommendation_date"),
                FieldPanel("recommendation_text"),
                FieldPanel("recommendation_document"),
            ],
            heading=_("Recommendation"),
            help_text=_(
                "Public once the recommendation is sent to the UN Secretary-General."
            ),
        ),
        InlinePanel(
            "designations",
            heading=_("Resulting designations"),
            label=_("Designation"),
            help_text=_(
                "Recorded once the recommendation is sent; only candidates of this "
                "round can be designated."
            ),
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
        permissions = [
            ("move_designationround", "Can move a designation round to its next step")
        ]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def recommendation_is_public(self):
        return self.recommendation_sent_on is not None

    @property
    def designations_are_public(self):
        return self.status == RoundStatus.DESIGNATED

    def public_consultations(self):
        return self.consultations.live().order_by("start")


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
    conditions = ChoiceListField(
        _("its acceptance depends on"),
        item_choices=CandidateCondition.choices,
        help_text=_(
            "Either one means the candidate is designated only once its governing "
            "council's advice is recorded."
        ),
    )
    notes = SingleLineCharField(_("notes"), max_length=500, blank=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("response"),
        FieldPanel("conditions"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("candidate")

    @property
    def needs_advice(self):
        return bool(self.conditions)


class CouncilAdvice(Orderable):
    """Record a candidate's governing council's advice on its acting as facilitator.

    The advice of a candidate's governing council on its acting as facilitator
    (docs/mechanism.md §8): ITU, for instance, asks its Council before accepting,
    depending on the modalities the team adopts.
    """

    round = ParentalKey(
        DesignationRound, on_delete=models.CASCADE, related_name="council_advice"
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("candidate advised"),
    )
    date = models.DateField(_("date of the advice"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AdviceOutcome.choices
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("field", "document"),
    )
    modalities = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("coordination modalities it rests on"),
    )
    notes = models.TextField(_("conditions and remarks"), blank=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("date"),
        FieldPanel("outcome"),
        FieldPanel("document"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("governing council's advice")
        verbose_name_plural = _("governing councils' advice")

    def __str__(self):
        return f"{self.organisation} — {self.get_outcome_display()} ({self.date})"

    def save(self, *args, **kwargs):
        if self.modalities_id is None and self.date:
            self.modalities = modalities_published_on(self.round.action_line, self.date)
        return super().save(*args, **kwargs)


def modalities_published_on(action_line, date):
    """Return the team modalities' revision published at the end of ``date``.

    The revision of the action line's team modalities that was the published version
    at the end of ``date``, or None.
    """
    team = TeamPage.objects.child_of(action_line).first()
    modalities = ModalitiesPage.objects.child_of(team).first() if team else None
    if modalities is None:
        return None
    end_of_day = timezone.make_aware(
        datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time())
    )
    entry = (
        PageLogEntry.objects.filter(
            page=modalities,
            action="wagtail.publish",
            revision__isnull=False,
            timestamp__lt=end_of_day,
        )
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None


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
        """Return the designations in force for ``action_line``, each with ``since``.

        The first day of the unbroken run of terms the organisation has held in
        that role (a renewal that starts the day after the previous term ends,
        or earlier, continues the run).
        """
        on = on or timezone.localdate()
        current = list(
            cls.current(on)
            .filter(round__action_line=action_line)
            .select_related("organisation")
        )
        if not current:
            return current
        earlier = list(
            cls.objects.filter(
                round__status=RoundStatus.DESIGNATED,
                round__action_line=action_line,
                organisation__in=[d.organisation_id for d in current],
                term_start__lte=on,
            ).order_by("-term_start")
        )
        for designation in current:
            since = designation.term_start
            for previous in earlier:
                if (
                    previous.organisation_id != designation.organisation_id
                    or previous.role != designation.role
                    or previous.term_start >= since
                ):
                    continue
                ends = previous.term_end
                if ends is None or ends >= since - datetime.timedelta(days=1):
                    since = previous.term_start
            designation.since = since
        return current


def default_language_page(page):
    """Return the page's version in the default language (its source), or the page."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    source = (
        type(page)
        .objects.filter(
            translation_key=page.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .first()
    )
    return source or page
