from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.demo import DemoBuilder


class Command(BaseCommand):
    help = (
        "Build the demo site: the action-line tree from data/action_lines.json, teams, "
        "facilitator groups and workflows, meetings and a designation history. "
        "Idempotent: existing content is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2005, help="Random seed (default: 2005)."
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Skip rebuilding the search index at the end.",
        )

    def handle(self, *args, **options):
        created = DemoBuilder().build()
        if created:
            self.stdout.write(f"Created {len(created)} items: " + ", ".join(created))
        else:
            self.stdout.write("The demo content is already in place.")
        if not options["no_index"]:
            call_command("update_index", stdout=self.stdout, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
