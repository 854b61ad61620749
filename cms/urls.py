from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

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

urlpatterns = [
    path("admin/reports/", include(scoped_reports)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("api/inventory/", inventory_views.inventory_api, name="inventory_api"),
]

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("inventory/", include("inventory.urls")),
    path("organisations/<str:slug>/", profiles.organisation_page, name="organisation"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
