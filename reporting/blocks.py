"""Blocks of the narrative sections of a periodic report."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks

from home.blocks import QuoteBlock


class ReportSectionBlock(blocks.StructBlock):
    """A numbered section the secretariat writes."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = blocks.RichTextBlock(
        label=pgettext_lazy("block", "Text"),
        features=["bold", "italic", "link", "ol", "ul"],
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/report_section_block.html"
        label = pgettext_lazy("block", "Section")
        preview_value = {
            "heading": "Implementation at the national level",
            "body": "<p>Member States reported national e-strategies…</p>",
        }


class ReportStreamBlock(blocks.StreamBlock):
    """The narrative vocabulary of a report: numbered sections and quotations."""

    section = ReportSectionBlock()
    quote = QuoteBlock()

    class Meta:
        label = _("Narrative")
