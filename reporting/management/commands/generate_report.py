from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from reporting.assembly import assemble_and_save
from reporting.models import ReportIndexPage, ReportPage, default_period


class Command(BaseCommand):
    help = (
        "Build or refresh the draft periodic report of the reporting cycle that "
        "contains YEAR, from the published inventory. The figures go into a new "
        "draft revision; publishing goes through the editorial review."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="A year of the cycle."
        )

    def handle(self, *args, **options):
        year = options["year"]
        if not 2003 <= year <= 2100:
            raise CommandError(f"Not a reporting year: {year}")
        index = ReportIndexPage.objects.first()
        if index is None:
            raise CommandError(
                "There is no report index page: run `manage.py seed_demo` or create "
                "one under the home page."
            )
        start, end = default_period(year)
        report = (
            ReportPage.objects.child_of(index)
            .filter(period_start=start, period_end=end, **ReportPage.global_scope())
            .first()
        )
        if report is None:
            label = (
                str(start.year)
                if start.year == end.year
                else f"{start.year}–{end.year}"
            )
            report = ReportPage(
                title=f"Implementation of the WSIS outcomes: report for {label}",
                slug=f"report-{start.year}"
                + ("" if start.year == end.year else f"-{end.year}"),
                period_start=start,
                period_end=end,
                live=False,
            )
            index.add_child(instance=report)
            report.save_revision(log_action=True)
            self.stdout.write(f"Created the draft report “{report.title}”.")
        with tqdm(total=100, unit="%", disable=options["verbosity"] < 1) as bar:
            done = [0]

            def progress(percent, message):
                bar.set_description(message)
                bar.update(max(percent - done[0], 0))
                done[0] = max(percent, done[0])

            revision = assemble_and_save(report, progress=progress)
            bar.update(100 - done[0])
        figures = revision.as_object().figures
        self.stdout.write(
            self.style.SUCCESS(
                f"Assembled {figures['totals']['entries']} entries into revision "
                f"{revision.pk} of “{report.title}” (a draft)."
            )
        )
