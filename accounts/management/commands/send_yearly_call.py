"""Sends the yearly call for updates to stakeholder accounts (accounts.yearly_call)."""

from django.core.management.base import BaseCommand

from accounts.yearly_call import send_yearly_call


class Command(BaseCommand):
    help = (
        "E-mails every stakeholder account that holds published activities (and "
        "has not turned the call off) a link to My activities, in its language."
    )

    def handle(self, *args, **options):

        sent = send_yearly_call()
        self.stdout.write(f"Yearly call sent to {sent} accounts.")
