"""Periodic reports (seed §7): assembled from the inventory, frozen, reviewed."""

import datetime

from django.conf import settings
from django.db import models
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.fields import SingleLineCharField
from home.page_languages import InterfaceLanguageUrlMixin

from .blocks import ReportStreamBlock
from .panels import FiguresPanel
from .permissions import ReportPermissionTester

ADDRESSEE = _(
    "The United Nations General Assembly, through the Economic and Social Council"
)


class ReportIndexPage(InterfaceLanguageUrlMixin, Page):
    """The published periodic reports, at /reports/."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["reporting.ReportPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("report index")

    def permissions_for_user(self, user):
        return ReportPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = (
            ReportPage.objects.child_of(self).live().order_by("-period_end")
        )
        return context


class ReportPage(InterfaceLanguageUrlMixin, RoutablePageMixin, Page):
    """One periodic report of the ITU Secretary-General on WSIS implementation."""

    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    addressee = SingleLineCharField(_("addressee"), max_length=255, default=ADDRESSEE)
    document_symbol = SingleLineCharField(
        _("document symbol"),
        max_length=60,
        blank=True,
        help_text=_("For example A/81/64–E/2026/12."),
    )
    summary = RichTextField(
        _("summary"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Shown first: the report in a few paragraphs."),
    )
    narrative = StreamField(
        ReportStreamBlock(), blank=True, verbose_name=_("narrative sections")
    )
    figures = models.JSONField(
        _("assembled figures"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Frozen by the last assembly; stored with each revision."),
    )
    assembled_at = models.DateTimeField(
        _("assembled"), null=True, blank=True, editable=False
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldPanel("addressee"),
                FieldPanel("document_symbol"),
            ],
            heading=_("Report"),
        ),
        FieldPanel("summary"),
        FieldPanel("narrative"),
        FiguresPanel(heading=_("Assembled figures")),
        InlinePanel(
            "highlights",
            heading=_("Highlighted activities"),
            label=_("Activity"),
            help_text=_("Chosen by the secretariat; frozen at the next assembly."),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("narrative"),
    ]
    parent_page_types = ["reporting.ReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("periodic report")

    def permissions_for_user(self, user):
        return ReportPermissionTester(user, self)

    @property
    def years(self):
        return list(range(self.period_start.year, self.period_end.year + 1))

    @property
    def period_label(self):
        if self.period_start.year == self.period_end.year:
            return str(self.period_start.year)
        return f"{self.period_start.year}–{self.period_end.year}"

    def previous_report(self):
        return (
            ReportPage.objects.live()
            .filter(period_end__lt=self.period_start)
            .exclude(translation_key=self.translation_key)
            .order_by("-period_end")
            .first()
        )

    def get_context(self, request, *args, **kwargs):
        from .charts import report_charts

        context = super().get_context(request, *args, **kwargs)
        context["charts"] = (
            report_charts(self.figures, self.trend()) if self.figures else []
        )
        context["section_offset"] = sum(
            1 for block in self.narrative if block.block_type == "section"
        )
        return context

    def trend(self):
        """(period, total entries) of the published reports up to this one."""
        earlier = (
            ReportPage.objects.live()
            .filter(period_end__lt=self.period_start)
            .order_by("period_end")
        )
        points = [
            (report.period_label, report.figures["totals"]["entries"])
            for report in earlier
            if report.figures.get("totals")
        ]
        return [*points, (self.period_label, self.figures["totals"]["entries"])]

    @path("")
    def report(self, request):
        return self.render(request)

    @path("figures/json/")
    def figures_json(self, request):
        response = JsonResponse(
            {"report": self.title, "period_label": self.period_label, **self.figures},
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.slug}-figures.json"'
        )
        return response

    @path("figures/csv/")
    def figures_csv(self, request):
        from .export import figures_csv

        response = HttpResponse(
            figures_csv(self.figures), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.slug}-figures.csv"'
        )
        return response

    @path("pdf/")
    def pdf(self, request):
        from .pdf import render_pdf

        response = HttpResponse(
            render_pdf(self, request), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{self.slug}.pdf"'
        return response

    @path("print/")
    def printable(self, request):
        return TemplateResponse(
            request,
            "reporting/report_print.html",
            {**self.get_context(request), "printing": True},
        )


class ReportHighlight(Orderable):
    """An inventory entry the secretariat highlights in the report."""

    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="highlights")
    entry = models.ForeignKey(
        "inventory.InventoryEntry",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("inventory entry"),
    )
    note = SingleLineCharField(_("why it stands out"), max_length=300, blank=True)

    panels = [FieldPanel("entry"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("highlighted activity")


class ReportAssembly(models.Model):
    """One run of the assembly of a report, with its progress (admin button)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        ReportPage, on_delete=models.CASCADE, related_name="assemblies"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report assembly")

    def __str__(self):
        return f"{self.report} — {self.get_status_display()}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def set_progress(self, progress, message=""):
        ReportAssembly.objects.filter(pk=self.pk).update(
            progress=progress, message=message, status=self.Status.RUNNING
        )

    def finish(self, status, message="", revision=None):
        self.status = status
        self.message = message
        self.revision = revision
        self.progress = 100 if status == self.Status.DONE else self.progress
        self.finished_at = timezone.now()
        self.save()


def default_period(year):
    """The cycle containing ``year`` (annual or biennial, see inventory.cycles)."""
    from inventory.cycles import cycle_containing

    cycle = cycle_containing(year)
    return datetime.date(cycle.first_year, 1, 1), datetime.date(cycle.last_year, 12, 31)
