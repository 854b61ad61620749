"""wagtail-localize's admin views, held to the platform's page rules.

wagtail-localize lets anyone with "Can submit translations" (the Secretariat and
every team's facilitators) translate any page, and its "Sync translated pages"
publishes every synced translation at once, without a permission check. Here:

- translating a page needs the right to edit it: a C2 facilitator makes no
  drafts in C5's area;
- syncing a page's translations needs the right to edit the page, and "Publish
  immediately" the right to publish each translation, so a French report is
  published only through its editorial review and a team's French pages only by
  its facilitators (action_lines/permissions.py, reporting/permissions.py);
- translating a snippet (an organisation) makes a new one: it needs the right
  to add them, and the right to see the one translated; syncing its
  translations needs the right to change it;
- wagtail-localize's own translations report, which lists every translation of
  every team, is the Secretariat's, like ours.

These views answer at wagtail-localize's addresses (``home/wagtail_hooks.py``
registers them before wagtail-localize's own).
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page
from wagtail.permissions import policy_registry

from wagtail_localize.views.report import TranslationsReportView
from wagtail_localize.views.submit_translations import (
    SubmitPageTranslationView,
    SubmitSnippetTranslationView,
)
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .admin_scope import visible_instances
from .roles import SECRETARIAT

SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"


def is_secretariat(user):
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=SECRETARIAT).exists()
    )


def may_edit(user, instance):
    """Pages follow their page permissions, other objects their model's policy."""
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    policy = policy_registry.get(instance)
    return policy.user_has_permission_for_instance(user, "change", instance)


def may_translate_snippet(user, instance):
    """Return whether ``user`` may translate ``instance``.

    A translation is a new object: it takes the right to add them, and to see this
    one.
    """
    policy = policy_registry.get(instance)
    return policy.user_has_permission(user, "add") and (
        visible_instances(type(instance), user).filter(pk=instance.pk).exists()
    )


class PageTranslationView(SubmitPageTranslationView):
    """Offer "Translate this page" to those who may edit the page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SUBMIT_TRANSLATION):
            raise PermissionDenied
        page = get_object_or_404(Page, pk=kwargs["page_id"])
        if not may_edit(request.user, page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SnippetTranslationView(SubmitSnippetTranslationView):
    """Offer "Translate" in a snippet listing to those who may add such snippets."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SUBMIT_TRANSLATION):
            raise PermissionDenied
        if not may_translate_snippet(request.user, self.get_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SyncTranslationsView(UpdateTranslationsView):
    """Sync translated pages, publishing only what the user may publish."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SUBMIT_TRANSLATION):
            raise PermissionDenied
        source = self.get_object()
        try:
            instance = source.get_source_instance()
        except ObjectDoesNotExist:
            instance = None
        if instance is not None and not may_edit(request.user, instance):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def unpublishable(self):
        """Titles of the synced translations the user may not publish."""
        refused = []
        for translation in self.object.translations.filter(enabled=True):
            target = translation.get_target_instance()
            if isinstance(target, Page):
                target = target.specific
                if not target.permissions_for_user(self.request.user).can_publish():
                    refused.append(str(target))
        return refused

    def form_valid(self, form):
        if form.cleaned_data.get("publish_translations"):
            refused = self.unpublishable()
            if refused:
                messages.error(
                    self.request,
                    _(
                        "You may not publish %(pages)s: sync without publishing, "
                        "then submit the translation to its workflow."
                    )
                    % {"pages": ", ".join(refused)},
                )
                return self.render_to_response(self.get_context_data())
        return super().form_valid(form)


class SecretariatTranslationsReportView(TranslationsReportView):
    """wagtail-localize's translations report, for the Secretariat only."""

    def dispatch(self, request, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().order_by("source__object_repr", "pk")
