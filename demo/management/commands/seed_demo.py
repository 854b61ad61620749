from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tqdm import tqdm

from demo.mechanism import annual_contributions, demo_facilitators
from demo.reports import publish_reports
from demo.site import DemoBuilder, ensure_featured_entries
from demo.synthetic import create_entries


class Command(BaseCommand):
    help = (
        "Build the demo site: the action-line tree from data/action_lines.json, teams "
        "with their facilitator groups, workflows, members and meetings, the "
        "designation of facilitators, N synthetic inventory entries (deterministic "
        "for a given seed), the teams' annual contributions and two published "
        "reports. Idempotent: existing content is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries",
            type=int,
            default=200,
            help="Synthetic inventory entries to have (default: 200).",
        )
        parser.add_argument(
            "--seed", type=int, default=2005, help="Random seed (default: 2005)."
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Skip rebuilding the search index at the end.",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        builder = DemoBuilder(today)
        created = builder.build()
        count = max(options["entries"], 0)
        added = 0
        if count:
            with tqdm(
                total=count, unit="entry", disable=options["verbosity"] < 1
            ) as progress:
                added = create_entries(
                    count, seed=options["seed"], progress=progress, today=today
                )
        with transaction.atomic():
            created += annual_contributions(builder.teams, today, demo_facilitators())
            reports = publish_reports(today)
        created += [f"report {report.title}" for report in reports]
        if options["verbosity"] >= 2:
            self.stdout.write("Created: " + (", ".join(created) or "nothing"))
        elif options["verbosity"] >= 1:
            self.stdout.write(
                f"{len(created)} demo items created."
                if created
                else "The demo content is already in place."
            )
        if count:
            self.stdout.write(f"{added} synthetic inventory entries added.")
        ensure_featured_entries()
        for report in reports:
            if options["verbosity"] >= 1:
                self.stdout.write(f"Published the demo report “{report.title}”.")
        if not options["no_index"]:
            call_command("update_index", stdout=self.stdout, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
