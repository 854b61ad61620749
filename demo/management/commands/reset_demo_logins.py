import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.site import DEMO_USERS


class Command(BaseCommand):
    help = (
        "Give each demo user a fresh random password and print how to sign in. "
        "For local demos only: the passwords change every time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/admin/",
            help="Where the admin is served (printed with the sign-ins).",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        rows = []
        for username, *_rest in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            roles = ", ".join(user.groups.values_list("name", flat=True)) or (
                "superuser" if user.is_superuser else "-"
            )
            rows.append((username, password, roles))
        if not rows:
            self.stderr.write("No demo user found: run `manage.py seed_demo` first.")
            return
        self.stdout.write(f"Sign in at {options['url']} with:")
        for username, password, roles in rows:
            self.stdout.write(f"  {username:<18} {password:<18} {roles}")
