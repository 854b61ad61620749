"""StreamField blocks shared by every page family."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 keeps the page outline valid."""

    text = blocks.CharBlock(label=pgettext_lazy("block", "Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", pgettext_lazy("block", "Section")), ("h3", _("Subsection"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        preview_value = {"text": "Implementation priorities", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    """A quotation from an outcome document, with its source."""

    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(
        label=pgettext_lazy("of a quotation", "Source"), required=False, max_length=250
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quotation")
        preview_value = {
            "text": "Building an inclusive Information Society requires new forms "
            "of solidarity, partnership and cooperation.",
            "attribution": "Geneva Declaration of Principles, paragraph 17",
        }


class LinkStructValue(blocks.StructValue):
    """Resolves the link to whichever of page or URL the editor chose."""

    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("url")

    def text(self):
        return self.get("label") or (self.get("page") and self.get("page").title)


class CallToActionBlock(blocks.StructBlock):
    """A short invitation with one link, to a page of the site or elsewhere."""

    title = blocks.CharBlock(label=pgettext_lazy("block", "Title"), max_length=120)
    body = blocks.TextBlock(label=pgettext_lazy("block", "Text"), required=False)
    label = blocks.CharBlock(label=_("Link text"), required=False, max_length=80)
    page = blocks.PageChooserBlock(label=pgettext_lazy("block", "Page"), required=False)
    url = blocks.URLBlock(label=_("External URL"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"
        label = _("Call to action")
        value_class = LinkStructValue
        preview_value = {
            "title": "Join a team",
            "body": "Every action line team is open to all stakeholders.",
            "label": "See the action lines",
            "url": "https://example.org/action-lines/",
        }

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose either a page or an external URL, not both.")
            raise StructBlockValidationError(
                block_errors={
                    "page": ValidationError(message),
                    "url": ValidationError(message),
                }
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    """A document from the library with an optional label."""

    document = DocumentChooserBlock(label=pgettext_lazy("block", "Document"))
    label = blocks.CharBlock(label=_("Label"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        label = pgettext_lazy("block", "Document")


class ContentStreamBlock(blocks.StreamBlock):
    """The body vocabulary of every editorial page."""

    heading = HeadingBlock(group=pgettext_lazy("block", "Text"))
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        group=pgettext_lazy("block", "Text"),
    )
    quote = QuoteBlock(group=pgettext_lazy("block", "Text"))
    image = ImageBlock(label=pgettext_lazy("block", "Image"), group=_("Media"))
    document = DocumentLinkBlock(group=_("Media"))
    call_to_action = CallToActionBlock(group=_("Links"))

    class Meta:
        label = pgettext_lazy("block", "Content")
