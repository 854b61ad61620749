"""The report editor's view of its assembled figures, and how two assemblies differ."""

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.compare import FieldComparison
from wagtail.admin.panels import Panel


def flatten(figures):
    """{"Totals: entries": 12, "By action line: C5": 3, …} for comparisons."""
    flat = {}
    for key, value in (figures or {}).get("totals", {}).items():
        flat[gettext("Totals: %(figure)s") % {"figure": key}] = value
    for breakdown in (figures or {}).get("breakdowns", []):
        for row in breakdown["rows"]:
            flat[f"{gettext(breakdown['title'])}: {gettext(row['label'])}"] = row[
                "count"
            ]
    for team in (figures or {}).get("teams", []):
        flat[gettext("Contribution: %(team)s") % {"team": team["team"]}] = (
            gettext("received") if team["contributed"] else gettext("missing")
        )
    flat[gettext("Highlighted activities")] = ", ".join(
        row["reference"] for row in (figures or {}).get("highlights", [])
    )
    return flat


class FiguresComparison(FieldComparison):
    """Shows, figure by figure, what changed between two assemblies."""

    def has_changed(self):
        return self.val_a != self.val_b

    def htmldiff(self):
        before, after = flatten(self.val_a), flatten(self.val_b)
        changed = [
            (key, before.get(key, "—"), after.get(key, "—"))
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        ]
        if not changed:
            return _("The figures are the same.")
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th>"
            "<td><del>{}</del></td><td><ins>{}</ins></td></tr>",
            changed,
        )
        return mark_safe(  # noqa: S308 - rows are built with format_html_join
            "<table class='listing'><thead><tr><th>"
            + str(_("Figure"))
            + "</th><th>"
            + str(_("Before"))
            + "</th><th>"
            + str(_("After"))
            + "</th></tr></thead><tbody>"
            + rows
            + "</tbody></table>"
        )


class FiguresPanel(Panel):
    """Read-only: the assembled totals and the button that assembles again."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "reporting/admin/figures_panel.html"

        def get_comparison(self):
            # Wagtail's compare view asks the bound panels (not the panels).
            field = self.panel.model._meta.get_field("figures")

            def comparison(obj_a, obj_b):
                return FiguresComparison(field, obj_a, obj_b)

            return [comparison]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            report = self.instance
            context.update(
                report=report,
                figures=report.figures or {},
                assembled=bool(report.figures),
                can_assemble=bool(report.pk),
                last_assembly=report.assemblies.first() if report.pk else None,
            )
            return context
