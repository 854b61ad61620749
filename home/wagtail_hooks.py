"""Admin registration for the home app."""

from wagtail.snippets.models import register_snippet

from .viewsets import StakeholderOrganisationViewSet

register_snippet(StakeholderOrganisationViewSet)
