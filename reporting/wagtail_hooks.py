"""Admin registration of the reports."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/<int:page_id>/assemble/",
            admin_views.start_assembly,
            name="reporting_assemble",
        ),
        path(
            "reports/assemblies/<int:assembly_id>/",
            admin_views.assembly_status,
            name="reporting_assembly",
        ),
    ]


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action(
        "reporting.assemble", _("Assemble"), _("Figures assembled from the inventory")
    )
