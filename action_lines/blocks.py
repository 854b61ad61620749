"""Blocks of team charters (modalities) and meeting agendas."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import dates
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from home.blocks import DocumentLinkBlock

CHANNEL_KINDS = [
    ("mailing-list", _("Mailing list")),
    ("website", _("Website")),
    ("forum", _("Discussion forum")),
    ("video-call", _("Video call")),
    ("other", _("Other")),
]
# Django's own month names (its msgids, its translations).
MONTHS = [(str(number), name) for number, name in dates.MONTHS.items()]


class MilestoneStructValue(blocks.StructValue):
    def month_label(self):
        return dict(MONTHS).get(self.get("month"), self.get("month"))


class ChannelStructValue(blocks.StructValue):
    def kind_label(self):
        return dict(CHANNEL_KINDS).get(self.get("kind"), self.get("kind"))

    def href(self):
        address = self.get("address", "")
        return (
            f"mailto:{address}" if "@" in address and "://" not in address else address
        )


class ChannelBlock(blocks.StructBlock):
    """How the team talks between meetings: a list, a forum, a call."""

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=CHANNEL_KINDS)
    label = blocks.CharBlock(label=pgettext_lazy("block field", "Name"), max_length=120)
    address = blocks.CharBlock(
        label=_("Address"), max_length=500, help_text=_("A web address or an e-mail.")
    )

    class Meta:
        icon = "mail"
        template = "blocks/channel_block.html"
        label = _("Communication channel")
        value_class = ChannelStructValue
        preview_value = {
            "kind": "mailing-list",
            "label": "Team list",
            "address": "c5-team@example.org",
        }

    def clean(self, value):
        value = super().clean(value)
        address = value.get("address", "")
        validator = EmailValidator() if "://" not in address else URLValidator()
        try:
            validator(address)
        except ValidationError:
            raise StructBlockValidationError(
                block_errors={
                    "address": ValidationError(
                        _("Enter a valid web address (https://…) or e-mail address.")
                    )
                }
            ) from None
        return value


class SubgroupBlock(blocks.StructBlock):
    """A sub-group the team sets up for part of its work."""

    name = blocks.CharBlock(label=pgettext_lazy("block field", "Name"), max_length=200)
    purpose = blocks.TextBlock(label=_("Purpose"))
    lead = blocks.CharBlock(label=_("Led by"), required=False, max_length=200)

    class Meta:
        icon = "group"
        template = "blocks/subgroup_block.html"
        label = _("Sub-group")
        preview_value = {
            "name": "Child online protection",
            "purpose": "Shares national guidelines and training material.",
            "lead": "ITU",
        }


class MilestoneBlock(blocks.StructBlock):
    """A fixed point of the team's reporting year."""

    month = blocks.ChoiceBlock(label=_("Month"), choices=MONTHS)
    milestone = blocks.CharBlock(label=_("Milestone"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "date"
        template = "blocks/milestone_block.html"
        label = _("Reporting milestone")
        value_class = MilestoneStructValue
        preview_value = {
            "month": "2",
            "milestone": "Annual contribution sent to the inventory",
            "description": "",
        }


class AgendaItemBlock(blocks.StructBlock):
    """One item of a meeting agenda."""

    title = blocks.CharBlock(label=_("Item"), max_length=250)
    description = blocks.TextBlock(label=_("Description"), required=False)
    speaker = blocks.CharBlock(label=_("Introduced by"), required=False, max_length=200)

    class Meta:
        icon = "list-ol"
        template = "blocks/agenda_item_block.html"
        label = _("Agenda item")
        preview_value = {
            "title": "Adoption of the agenda",
            "description": "",
            "speaker": "Facilitator",
        }


class ChannelStreamBlock(blocks.StreamBlock):
    channel = ChannelBlock()


class SubgroupStreamBlock(blocks.StreamBlock):
    subgroup = SubgroupBlock()


class MilestoneStreamBlock(blocks.StreamBlock):
    milestone = MilestoneBlock()


class AgendaStreamBlock(blocks.StreamBlock):
    item = AgendaItemBlock()


class DocumentStreamBlock(blocks.StreamBlock):
    document = DocumentLinkBlock()
