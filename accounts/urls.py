"""My WSIS (/my/): what a stakeholder account submitted, claimed, joined and saved."""

from django.urls import path

from . import views

app_name = "my"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("submit/", views.submit, name="submit"),
    path("claim/", views.claim, name="claim"),
    path("claim/<str:token>/", views.claim_confirm, name="claim_confirm"),
    path("update-link/<str:token>/", views.update_link, name="update_link"),
    path("teams/", views.teams, name="teams"),
    path("teams/join/<int:team_id>/", views.join_team, name="join_team"),
    path("meetings/", views.meetings, name="meetings"),
    path(
        "meetings/register/<int:meeting_id>/",
        views.register_meeting,
        name="register_meeting",
    ),
    path("searches/", views.searches, name="searches"),
    path("searches/<int:pk>/", views.saved_search, name="saved_search"),
    path("feeds/<str:token>/", views.feed, name="feed"),
    path("data/", views.my_data_page, name="data"),
    path("data/download/", views.my_data_download, name="data_download"),
    path("delete/", views.delete_account, name="delete"),
    path(
        "meetings/<int:pk>/cancel/",
        views.cancel_registration,
        name="cancel_registration",
    ),
]
