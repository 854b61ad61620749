"""Admin registration for the home app."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, Site
from wagtail.signals import copy_for_translation_done
from wagtail.snippets.models import register_snippet

from . import scoped_admin, translation_admin, translation_report
from .admin_scope import listable_pages
from .documents import refuse_unpublished_documents
from .translation_admin import is_secretariat
from .viewsets import StakeholderOrganisationViewSet

register_snippet(StakeholderOrganisationViewSet)


# --- Translations ---------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_translation_urls():
    """Register the translation report and hold wagtail-localize to permissions.

    The translation report, and wagtail-localize's views held to the page
    permissions (home.translation_admin) and to what each user may see
    (home.scoped_admin). The home app comes first in INSTALLED_APPS, so these
    addresses are matched before wagtail-localize's.
    """
    report = translation_report.TranslationStatusView
    return [
        path(
            "reports/translation-status/",
            report.as_view(),
            name="wsis_translation_status",
        ),
        path(
            "reports/translation-status/results/",
            report.as_view(results_only=True),
            name="wsis_translation_status_results",
        ),
        path(
            "localize/submit/page/<int:page_id>/",
            translation_admin.PageTranslationView.as_view(),
            name="wsis_submit_page_translation",
        ),
        path(
            "localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
            translation_admin.SnippetTranslationView.as_view(),
            name="wsis_submit_snippet_translation",
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/",
            scoped_admin.ScopedSnippetsAPIViewSet.as_view({"get": "list"}),
            name="wsis_localize_snippets_api_listing",
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
            scoped_admin.ScopedSnippetsAPIViewSet.as_view({"get": "retrieve"}),
            name="wsis_localize_snippets_api_detail",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            translation_admin.SyncTranslationsView.as_view(),
            name="wsis_update_translations",
        ),
        path(
            "localize/reports/translations/",
            translation_admin.SecretariatTranslationsReportView.as_view(),
            name="wsis_localize_translations_report",
        ),
        path(
            "localize/reports/translations/results/",
            translation_admin.SecretariatTranslationsReportView.as_view(
                results_only=True
            ),
            name="wsis_localize_translations_report_results",
        ),
    ]


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request):
        return is_secretariat(request.user)


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return SecretariatMenuItem(
        _("Translations to do"),
        reverse("wsis_translation_status"),
        name="translations-to-do",
        icon_name="site",
        order=8900,
    )


@hooks.register("construct_reports_menu")
def hide_localize_report(request, menu_items):
    """wagtail-localize's translations report is the Secretariat's too."""
    if not is_secretariat(request.user):
        localize_report = reverse("wagtail_localize:translations_report")
        menu_items[:] = [item for item in menu_items if item.url != localize_report]


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """Let page choosers list the pages the user may explore, and the live ones.

    Page choosers list the pages the user may explore, and the live ones
    (home.admin_scope; home.scoped_admin shows the latter under their published
    title).
    """
    return listable_pages(request.user, pages)


def forget_site_root_paths(sender, target_obj, **kwargs):
    """Clear Wagtail's site root paths when a locale's home page is created.

    A new locale's home page (the first page translated into it) is a new site root
    path: Wagtail caches them and only clears them when a Site changes. Snippets
    (organisations) are translated too, and have no place in the tree.
    """
    if isinstance(target_obj, Page) and target_obj.depth == 2:
        Site.clear_site_root_paths_cache()


copy_for_translation_done.connect(
    forget_site_root_paths, dispatch_uid="wsis_forget_site_root_paths"
)


# --- Documents ------------------------------------------------------------------


@hooks.register("before_serve_document")
def serve_only_published_documents(document, request):
    """Documents are public once a live page links to them (home.documents)."""
    return refuse_unpublished_documents(document, request)
