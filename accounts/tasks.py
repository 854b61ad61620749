"""Background work of the accounts app (django-q2)."""

from .digests import send_digests as send_due_digests
from .yearly_call import send_yearly_call as send_call


def send_digests():
    """Scheduled daily: the digests of saved searches that are due."""
    return send_due_digests()


def send_yearly_call():
    """Return the yearly call for updates (manage.py send_yearly_call)."""
    return send_call()
