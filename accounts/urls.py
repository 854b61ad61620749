"""My WSIS (/my/): what a stakeholder account submitted, claimed, joined and saved."""

from django.urls import path

from . import views

app_name = "my"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
]
