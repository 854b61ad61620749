"""Periodic reports (docs/mechanism.md §7).

Assembled from the inventory, frozen, reviewed.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from django_q.tasks import async_task

from home.choices import SDG, StakeholderType
from home.fields import SingleLineCharField
from home.page_languages import InterfaceLanguageUrlMixin
from home.ratelimit import hit, too_many_requests
from inventory.choices import ActionLineCode, Region
from inventory.cycles import cycle_containing

from . import pdf as pdf_output
from .blocks import ReportStreamBlock
from .charts import report_charts
from .export import figures_csv
from .panels import FiguresPanel
from .permissions import ReportPermissionTester

logger = logging.getLogger(__name__)

# What a reader is told to wait while a published revision's PDF is rendered.
PDF_RETRY_SECONDS = 30
# A rendering queued, running or failed this long ago is queued again (a lost
# task, a worker killed mid-render, a failure since fixed): at most once per
# period and revision, whatever the number of requests.
PDF_REQUEUE_AFTER = datetime.timedelta(minutes=10)

# The scope fields of a report → the inventory query-string filter each one is.
SCOPE_FILTERS = {
    "scope_region": "region",
    "scope_action_line": "action_line",
    "scope_sdg": "sdg",
    "scope_stakeholder": "stakeholder",
}

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
        reports = ReportPage.objects.child_of(self).live().order_by("-period_end")
        groups = {kind: [] for kind in ReportPage.Kind}
        for report in reports:
            groups[report.kind].append(report)
        context["reports"] = reports
        context["report_groups"] = [
            {"kind": kind, "title": kind.label, "reports": groups[kind]}
            for kind in ReportPage.Kind
            if groups[kind]
        ]
        return context


class ReportPage(InterfaceLanguageUrlMixin, RoutablePageMixin, Page):
    """One periodic report of the ITU Secretary-General on WSIS implementation.

    A report covers the whole inventory of its period (global), or only a
    region (regional), or an action line, an SDG or a stakeholder type
    (thematic): the scope narrows every figure and every figure's link.
    """

    class Kind(models.TextChoices):
        GLOBAL = "global", _("Global reports")
        REGIONAL = "regional", _("Regional reports")
        THEMATIC = "thematic", _("Thematic reports")

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
    scope_region = models.CharField(
        _("region"),
        max_length=20,
        blank=True,
        choices=Region.choices,
        help_text=_("Only the activities in this ITU region."),
    )
    scope_action_line = models.CharField(
        _("action line"),
        max_length=20,
        blank=True,
        choices=ActionLineCode.choices,
        help_text=_("Only the activities of this action line."),
    )
    scope_sdg = models.PositiveSmallIntegerField(
        _("Sustainable Development Goal"),
        null=True,
        blank=True,
        choices=SDG.choices,
        help_text=_("Only the activities for this goal."),
    )
    scope_stakeholder = models.CharField(
        _("stakeholder type"),
        max_length=40,
        blank=True,
        choices=StakeholderType.choices,
        help_text=_("Only the activities of this type of stakeholder."),
    )
    team_sections = models.BooleanField(
        _("a section per team"),
        default=False,
        help_text=_(
            "Show each team's annual contribution for the period in a section "
            "of its own."
        ),
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
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("scope_region"), FieldPanel("scope_action_line")]
                ),
                FieldRowPanel(
                    [FieldPanel("scope_sdg"), FieldPanel("scope_stakeholder")]
                ),
                FieldPanel("team_sections"),
            ],
            heading=_("Scope"),
            help_text=_(
                "Leave the scope empty for a global report. The figures follow "
                "the scope at the next assembly."
            ),
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

    preview_modes = [("", _("Web page")), ("pdf", _("PDF"))]

    # Published only once its latest revision has passed the editorial review
    # (reporting.permissions).
    published_after_review = True

    class Meta:
        verbose_name = _("periodic report")

    def permissions_for_user(self, user):
        return ReportPermissionTester(user, self)

    @property
    def years(self):
        return list(range(self.period_start.year, self.period_end.year + 1))

    @property
    def scope(self):
        """Return the scope as inventory filters: {query parameter: value}."""
        scope = {}
        for attribute, name in SCOPE_FILTERS.items():
            value = getattr(self, attribute)
            if value not in (None, ""):
                scope[name] = str(value)
        return scope

    @property
    def scope_labels(self):
        """Return the labels of the scope's values, in the reader's language."""
        return [
            getattr(self, f"get_{attribute}_display")()
            for attribute in SCOPE_FILTERS
            if getattr(self, attribute) not in (None, "")
        ]

    @property
    def kind(self):
        if self.scope_region:
            return self.Kind.REGIONAL
        if self.scope:
            return self.Kind.THEMATIC
        return self.Kind.GLOBAL

    def same_scope(self):
        """Return the live reports of the same scope (compared period to period)."""
        return ReportPage.objects.live().filter(
            **{attribute: getattr(self, attribute) for attribute in SCOPE_FILTERS}
        )

    @classmethod
    def global_scope(cls):
        """Return the lookups of the reports without a scope."""
        return {
            attribute: cls._meta.get_field(attribute).get_default()
            for attribute in SCOPE_FILTERS
        }

    @property
    def period_label(self):
        if self.period_start.year == self.period_end.year:
            return str(self.period_start.year)
        return f"{self.period_start.year}–{self.period_end.year}"

    def previous_report(self):
        return (
            self.same_scope()
            .filter(period_end__lt=self.period_start)
            .exclude(translation_key=self.translation_key)
            .order_by("-period_end")
            .first()
        )

    def get_context(self, request, *args, printing=False, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["charts"] = (
            report_charts(self.figures, self.trend(), printing=printing)
            if self.figures
            else []
        )
        context["printing"] = printing
        context["section_offset"] = sum(
            1 for block in self.narrative if block.block_type == "section"
        )
        return context

    def trend(self):
        """(period, total entries) of the published reports up to this one."""
        earlier = (
            self.same_scope()
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
        response = HttpResponse(
            figures_csv(self.figures), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.slug}-figures.csv"'
        )
        return response

    @path("pdf/")
    def pdf(self, request):
        """Return the stored PDF of the published revision; never rendered here."""
        revision_id = self.live_revision_id
        if revision_id is None:
            raise Http404
        stored = ReportPDF.for_revision(revision_id, self)
        if not stored.is_ready:
            stored.queue_if_stalled()
            return self.pdf_pending(request)
        return stored.response(f"{self.slug}.pdf")

    def pdf_pending(self, request):
        """Return what a reader gets until the PDF of this revision is stored."""
        response = TemplateResponse(
            request,
            "reporting/pdf_pending.html",
            super().get_context(request),  # the page, without its charts
            status=503,
        )
        response["Retry-After"] = str(PDF_RETRY_SECONDS)
        return response

    def serve_preview(self, request, mode_name):
        if mode_name == "pdf":
            return self.preview_pdf(request)
        return super().serve_preview(request, mode_name)

    def preview_pdf(self, request):
        """Return the PDF of the draft, for its editors and reviewers.

        Rendered on each request, so limited per client
        (REPORT_PDF_PREVIEW_RATE_LIMIT an hour).
        """
        window = 3600
        limit = settings.REPORT_PDF_PREVIEW_RATE_LIMIT
        if not hit(request, "report-pdf-preview", limit, window):
            return too_many_requests(
                request,
                gettext(
                    "Too many PDF previews: each one takes the server several "
                    "seconds. Please wait, or preview the web page instead."
                ),
                retry_after=window - int(time.time()) % window,
            )
        response = HttpResponse(
            pdf_output.render_pdf(self, request), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{self.slug}-draft.pdf"'
        return response

    @path("print/")
    def printable(self, request):
        return TemplateResponse(
            request,
            "reporting/report_print.html",
            self.get_context(request, printing=True),
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
        QUEUED = "queued", pgettext_lazy("report assembly", "Queued")
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


def report_pdf_path(instance, filename):
    return f"reports/pdf/{instance.page_id}/{instance.revision_id}/{filename}"


class ReportPDF(models.Model):
    """The PDF of one published revision of a report, rendered once.

    Keyed by the revision: publishing a new revision queues a new rendering
    (``reporting.signals``), and a reader of the report always gets the file of
    the revision that is live, never an older one. The file is in the default
    (media) storage, which the site does not serve: it is only served through
    the report's ``pdf/`` address, while the report is live and public.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(ReportPage, on_delete=models.CASCADE, related_name="pdfs")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(upload_to=report_pdf_path, blank=True, max_length=255)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report PDF")

    def __str__(self):
        return f"{self.page} — revision {self.revision_id}"

    @property
    def is_ready(self):
        return self.status == self.Status.DONE and bool(self.file)

    @classmethod
    def for_revision(cls, revision_id, page):
        """Return the row of the revision.

        Created (and its rendering queued) if missing, e.g. for a report
        published before PDFs were stored.
        """
        stored = cls.objects.filter(revision_id=revision_id).first()
        if stored is not None:
            return stored
        try:
            with transaction.atomic():
                stored = cls.objects.create(revision_id=revision_id, page=page)
        except IntegrityError:  # created meanwhile by another request
            return cls.objects.get(revision_id=revision_id)
        stored.queue()
        return stored

    def queue(self):
        """Render the PDF in the background once the transaction commits."""
        pk, revision_id = self.pk, self.revision_id
        transaction.on_commit(
            lambda: async_task(
                "reporting.tasks.render_report_pdf",
                pk,
                task_name=f"report-pdf-{revision_id}",
            ),
            robust=True,
        )

    def queue_if_stalled(self):
        """Queue the rendering again if it is stuck.

        Queues the rendering again if it was queued, started or failed more than
        PDF_REQUEUE_AFTER ago; only the request that wins the update does.
        """
        if self.is_ready or timezone.now() - self.updated_at < PDF_REQUEUE_AFTER:
            return False
        claimed = ReportPDF.objects.filter(
            pk=self.pk, updated_at=self.updated_at
        ).update(status=self.Status.QUEUED, updated_at=timezone.now())
        if claimed:
            logger.warning("Queuing the PDF of revision %s again", self.revision_id)
            self.queue()
        return bool(claimed)

    def claim(self):
        """Return True for the one worker that may render this PDF now."""
        return bool(
            ReportPDF.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(
                status=self.Status.RENDERING, updated_at=timezone.now()
            )
        )

    def response(self, filename):
        response = FileResponse(self.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


def default_period(year):
    """Return the cycle containing ``year`` (annual or biennial).

    The cycle containing ``year`` (annual or biennial, see inventory.cycles).
    """
    cycle = cycle_containing(year)
    return datetime.date(cycle.first_year, 1, 1), datetime.date(cycle.last_year, 12, 31)
