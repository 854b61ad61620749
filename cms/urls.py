from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import PasswordResetView
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from action_lines import views as action_lines_views
from home import scoped_admin
from home import views as home_views
from home.ratelimit import rate_limited
from inventory import admin_reports, profiles
from inventory import views as inventory_views
from search import views as search_views

# Wagtail's workflow and site-history reports, scoped to the user's teams; they
# must come before the admin's own URLs to replace them.
scoped_reports = [
    path("workflow/", admin_reports.ScopedWorkflowView.as_view()),
    path(
        "workflow/results/", admin_reports.ScopedWorkflowView.as_view(results_only=True)
    ),
    path("workflow_tasks/", admin_reports.ScopedWorkflowTasksView.as_view()),
    path(
        "workflow_tasks/results/",
        admin_reports.ScopedWorkflowTasksView.as_view(results_only=True),
    ),
    path("site-history/", admin_reports.ScopedLogEntriesView.as_view()),
    path(
        "site-history/results/",
        admin_reports.ScopedLogEntriesView.as_view(results_only=True),
    ),
]
decorate_urlpatterns(scoped_reports, require_admin_access)
decorate_urlpatterns(scoped_reports, never_cache)

# The site's 429 page, for allauth's rate limits too.
handler429 = "accounts.views.too_many_attempts"

urlpatterns = [
    path("admin/reports/", include(scoped_reports)),
    # Wagtail's own password reset, limited: each request sends an e-mail.
    path(
        "admin/password_reset/",
        rate_limited(
            "password_reset",
            "password_reset_recipient",
            methods={"POST"},
            message=gettext_lazy(
                "Too many password reset e-mails were requested. Please try again "
                "later."
            ),
        )(PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
    # Wagtail's choosers, bulk actions and page types usage, held to what each
    # user may see; before the admin's own URLs to replace them.
    path("admin/", include(scoped_admin.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    import re

    from django.contrib.staticfiles.urls import staticfiles_urlpatterns
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents and reports' PDFs are in the media directory too,
    # but are served through the views that check who may see them.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}"
            r"(?P<path>(?:original_images|images)/.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [
    path("api/inventory/", inventory_views.inventory_api, name="inventory_api"),
    # What browsers ask for when a response names no icon (the API, a PDF).
    path("favicon.ico", home_views.favicon),
]

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("meetings/", action_lines_views.meetings, name="meetings"),
    path("inventory/", include("inventory.urls")),
    path("organisations/<str:slug>/", profiles.organisation_page, name="organisation"),
    path("accounts/", include("allauth.urls")),
    path("my/", include("accounts.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
