"""Background work of the accounts app (django-q2)."""


def send_digests():
    """Scheduled daily: the digests of saved searches that are due."""
    from .digests import send_digests as send

    return send()


def send_yearly_call():
    """The yearly call for updates (manage.py send_yearly_call)."""
    from .yearly_call import send_yearly_call as send

    return send()
