from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from inventory.importing import ImportFileError, import_entries, read_rows, validate


class Command(BaseCommand):
    help = (
        "Import inventory entries from CSV (as /inventory/export.csv writes it) or "
        "JSON (the results of /api/inventory/). Every row is checked first: if any "
        "row is invalid, each problem is listed by line and field and nothing is "
        "imported. Imported entries go to moderation unless --publish is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .json file.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the entries at once instead of sending them to moderation.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, import nothing."
        )

    def handle(self, *args, **options):
        try:
            rows = read_rows(options["file"])
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        cleaned, errors = validate(rows)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(errors)} problems in {len({e.line for e in errors})} rows: "
                "nothing was imported."
            )
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"{len(cleaned)} rows are valid."))
            return
        with tqdm(
            total=len(cleaned), unit="entry", disable=options["verbosity"] < 1
        ) as progress:
            created, updated = import_entries(
                cleaned, publish=options["publish"], progress=progress
            )
        state = "published" if options["publish"] else "sent to moderation"
        self.stdout.write(
            self.style.SUCCESS(f"{created} created, {updated} updated, all {state}.")
        )
