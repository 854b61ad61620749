"""The platform's e-mails: plain-text templates whose first line is the subject."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def site_url(path):
    """An absolute address on the site, for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def render_mail(template, context):
    """(subject, body) rendered from ``template``."""
    text = render_to_string(template, context).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_templated_mail(template, context, recipients):
    subject, body = render_mail(template, context)
    send_mail(subject, body, None, list(recipients))
