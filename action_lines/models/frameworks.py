"""The frameworks the facilitators' meetings set (docs/mechanism.md §5).

One for the teams' activities, one for the follow-up of the stocktaking inventory.

Each is a page under the secretariat section, edited and published like any
other page (behind the Secretariat's approval). Every publication that changes
its text, the meeting that adopted it or the date it applies from records a
numbered ``FrameworkVersion``: a copy of what was published, so that each
version stays readable (and comparable) whatever happens to the page's
revisions later. The version in force on a day is the one that applies from the
latest date on or before it; a version adopted for a later date is announced
until then. Annual contributions record the version of the inventory framework
in force when they are made.
"""

import difflib
import html.parser
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.fields import SingleLineCharField
from home.page_languages import InterfaceLanguageUrlMixin

from ..choices import FrameworkScope, MeetingKind


class FrameworkPage(InterfaceLanguageUrlMixin, RoutablePageMixin, Page):
    """A framework set by the facilitators' meetings, with its versions."""

    scope = models.CharField(
        _("framework"),
        max_length=20,
        choices=FrameworkScope.choices,
        default=FrameworkScope.TEAMS,
    )
    adopted_at = models.ForeignKey(
        "action_lines.MeetingPage",
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": MeetingKind.FACILITATORS},
        verbose_name=_("adopted at"),
        help_text=_("The facilitators' meeting that adopted this version."),
    )
    in_force_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("Empty: from the day of the meeting that adopted it."),
    )
    text = RichTextField(
        _("text of the framework"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("scope"),
        MultiFieldPanel(
            [FieldPanel("adopted_at"), FieldPanel("in_force_from")],
            heading=_("Adoption"),
            help_text=_(
                "Each publication that changes the text, the meeting or the date "
                "is a new version; earlier versions stay readable and comparable."
            ),
        ),
        FieldPanel("text"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("text")]
    parent_page_types = ["action_lines.SecretariatPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("framework")

    def clean(self):
        super().clean()
        clash = (
            FrameworkPage.objects.filter(scope=self.scope, locale_id=self.locale_id)
            .exclude(translation_key=self.translation_key)
            .exists()
        )
        if clash:
            raise ValidationError({"scope": _("This framework already has its page.")})

    def effective_from(self):
        """Return the day the page's content applies from."""
        if self.in_force_from:
            return self.in_force_from
        if self.adopted_at is not None:
            return self.adopted_at.local_start.date()
        return timezone.localdate()

    def published_versions(self):
        return self.versions.select_related("adopted_at").order_by("-number")

    def version_in_force(self, on=None):
        return in_force(self.versions, on)

    def upcoming_version(self, on=None):
        """Return a version adopted to apply after ``on`` (today), if any."""
        on = on or timezone.localdate()
        return (
            self.versions.filter(in_force_from__gt=on)
            .order_by("in_force_from", "-number")
            .first()
        )

    def get_version(self, number):
        try:
            return self.versions.select_related("adopted_at").get(number=number)
        except FrameworkVersion.DoesNotExist as missing:
            raise Http404 from missing

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["version"] = DraftVersion(self)
        else:
            context["version"] = context["in_force"] = self.version_in_force()
            context["upcoming"] = self.upcoming_version()
        return context

    @path("")
    def current(self, request):
        return self.render(request)

    @path("versions/")
    def version_list(self, request):
        versions = list(self.published_versions())
        return TemplateResponse(
            request,
            "action_lines/framework_versions.html",
            {
                "page": self,
                "self": self,
                "versions": versions,
                "in_force": self.version_in_force(),
            },
        )

    @path("versions/<int:number>/")
    def read_version(self, request, number):
        version = self.get_version(number)
        return TemplateResponse(
            request,
            "action_lines/framework_version.html",
            {
                "page": self,
                "self": self,
                "version": version,
                "in_force": self.version_in_force(),
                "previous": self.versions.filter(number__lt=number)
                .order_by("-number")
                .first(),
            },
        )

    @path("compare/")
    def compare(self, request):
        numbers = []
        for name in ("from", "to"):
            value = request.GET.get(name, "")
            if not value.isascii() or not value.isdigit() or len(value) > 9:
                raise Http404
            numbers.append(int(value))
        old, new = (self.get_version(number) for number in numbers)
        return TemplateResponse(
            request,
            "action_lines/framework_compare.html",
            {
                "page": self,
                "self": self,
                "old": old,
                "new": new,
                "diff": text_diff(old.text, new.text),
            },
        )


class FrameworkVersion(models.Model):
    """One published version of a framework, as it was published."""

    framework = models.ForeignKey(
        FrameworkPage,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("framework"),
    )
    number = models.PositiveIntegerField(pgettext_lazy("field", "version"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("field", "revision"),
    )
    title = SingleLineCharField(_("title of the version"), max_length=255)
    text = RichTextField(_("text of the framework"))
    adopted_at = models.ForeignKey(
        "action_lines.MeetingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted_framework_versions",
        verbose_name=_("adopted at"),
    )
    in_force_from = models.DateField(_("in force from"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="one_number_per_framework_version"
            )
        ]

    def __str__(self):
        return _("%(framework)s, version %(number)s") % {
            "framework": self.title,
            "number": self.number,
        }

    @classmethod
    def in_force(cls, scope, on=None):
        """Return the version in force of the ``scope`` framework.

        The version in force of the ``scope`` framework, in the default language
        (the framework itself; other languages are its translations).
        """
        versions = cls.objects.filter(
            framework__scope=scope,
            framework__live=True,
            framework__locale__language_code=settings.LANGUAGE_CODE,
        )
        return in_force(versions, on)


def in_force(versions, on=None):
    on = on or timezone.localdate()
    return (
        versions.filter(in_force_from__lte=on)
        .select_related("framework", "adopted_at")
        .order_by("-in_force_from", "-number")
        .first()
    )


class DraftVersion:
    """The page's own content, shown as a version in the admin's preview."""

    number = None

    def __init__(self, page):
        self.framework = page
        self.title = page.title
        self.text = page.text
        self.adopted_at = page.adopted_at
        self.in_force_from = page.effective_from()


def record_version(page, revision):
    """After ``page`` is published: a new version if its framework changed."""
    latest = page.versions.order_by("-number").first()
    content = {
        "text": page.text,
        "adopted_at_id": page.adopted_at_id,
        "in_force_from": page.effective_from(),
    }
    if latest is not None and all(
        getattr(latest, name) == value for name, value in content.items()
    ):
        return None
    return FrameworkVersion.objects.create(
        framework=page,
        number=latest.number + 1 if latest else 1,
        revision=revision,
        title=page.title,
        **content,
    )


# --- Comparing two versions ---------------------------------------------------------

BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br"}


class _Paragraphs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current = [], []

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data):
        self.current.append(data)


def paragraphs(rich_text):
    """Return the plain text of rich text, one item per paragraph.

    The plain text of rich text, one item per paragraph, heading or list item.
    """
    parser = _Paragraphs()
    parser.feed(rich_text or "")
    parser.close()
    parser.flush()
    return parser.paragraphs


def word_diff(before, after):
    """[(kind, text)] with kind "same", "removed" or "added", word by word."""
    old, new = before.split(" "), after.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", " ".join(new[j1:j2])))
    return parts


def text_diff(old_text, new_text):
    """Return the change between two versions' texts, paragraph by paragraph.

    A list of dicts: ``kind`` is "same", "removed", "added" or "changed"; the
    first three carry the paragraph's ``text``, "changed" carries ``parts``
    (word_diff) of a paragraph edited in place.
    """
    old, new = paragraphs(old_text), paragraphs(new_text)
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [{"kind": "same", "text": text} for text in old[i1:i2]]
        elif op == "delete":
            rows += [{"kind": "removed", "text": text} for text in old[i1:i2]]
        elif op == "insert":
            rows += [{"kind": "added", "text": text} for text in new[j1:j2]]
        else:
            pairs = min(i2 - i1, j2 - j1)
            for offset in range(pairs):
                rows.append(
                    {
                        "kind": "changed",
                        "parts": word_diff(old[i1 + offset], new[j1 + offset]),
                    }
                )
            rows += [{"kind": "removed", "text": text} for text in old[i1 + pairs : i2]]
            rows += [{"kind": "added", "text": text} for text in new[j1 + pairs : j2]]
    return rows
