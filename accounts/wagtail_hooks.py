"""Admin registration of the accounts app."""

from django.urls import path

from wagtail import hooks

from . import admin_views
from .viewsets import EntryClaimViewSet, ProposedOrganisationViewSet


@hooks.register("register_admin_urls")
def register_two_factor_url():
    return [
        path(
            "two-factor/",
            admin_views.admin_two_factor,
            name="accounts_admin_two_factor",
        )
    ]


@hooks.register("register_admin_viewset")
def register_proposed_organisations():

    return ProposedOrganisationViewSet()


@hooks.register("register_admin_viewset")
def register_accounts_entries():

    return EntryClaimViewSet()
