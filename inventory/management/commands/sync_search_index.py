from django.core.management.base import BaseCommand

from inventory.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Compare the published inventory with the search engine's index and repair "
        "drift: index missing or out-of-date entries, remove entries that are no "
        "longer published. Applies waiting updates first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the drift, change nothing."
        )

    def handle(self, *args, **options):
        report = reconcile(dry_run=options["dry_run"])
        if report is None:
            self.stdout.write("No search engine is configured: nothing to compare.")
            return
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"Published entries: {report.published}; documents in the index: "
            f"{report.indexed}; waiting updates applied: {report.flushed}."
        )
        self.stdout.write(f"{len(report.missing)} missing entries {verb} indexed.")
        self.stdout.write(f"{len(report.stale)} out-of-date entries {verb} re-indexed.")
        self.stdout.write(f"{len(report.extra)} unpublished entries {verb} removed.")
        if report.clean:
            self.stdout.write(self.style.SUCCESS("In step."))
        elif options["dry_run"]:
            self.stdout.write(self.style.WARNING("Drift found; run without --dry-run."))
        else:
            self.stdout.write(self.style.SUCCESS("Drift repaired."))
