from django.urls import path

from . import freshness_views, profiles, views

app_name = "inventory"

urlpatterns = [
    path("", views.inventory_search, name="search"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("countries/<str:code>/", profiles.country_page, name="country"),
    path("export.csv", views.inventory_export, name="export"),
    path("submit/", views.submit_entry, name="submit"),
    path("submit/thanks/", views.submitted, name="submitted"),
    path("status/", views.submission_status, name="status"),
    path("update/", views.request_update, name="request_update"),
    path("update/<str:token>/", views.propose_update, name="update"),
    path(
        "confirm/<str:token>/",
        freshness_views.confirm_current_view,
        name="confirm_current",
    ),
]
