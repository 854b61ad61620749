"""Signal handlers of the action-line tree."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.signals import page_published

from .models import FrameworkPage, TeamPage
from .models.frameworks import record_version
from .teams import setup_team


@receiver(post_save, sender=TeamPage, dispatch_uid="team_page_setup")
def set_up_new_team(sender, instance, created, raw=False, **kwargs):
    """Give a new team its facilitator group, permissions and workflow at once.

    A new team gets its facilitator group, permissions and workflow at once.
    """
    if raw:
        return
    if created or instance.facilitator_group_id is None:
        setup_team(instance)


@receiver(page_published, sender=FrameworkPage, dispatch_uid="framework_version")
def record_framework_version(sender, instance, revision, **kwargs):
    """Each publication that changes a framework is a new version of it."""
    record_version(instance, revision)
