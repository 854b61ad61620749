"""Forms of the accounts app."""

from django.utils.translation import gettext_lazy as _

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import SignupForm as AllauthSignupForm


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; its honeypot is hidden by the site's stylesheet
    (no inline style: the Content Security Policy refuses them) and labelled for
    the screen readers that would still reach it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        trap = self.fields.get(allauth_settings.SIGNUP_FORM_HONEYPOT_FIELD or "")
        if trap is not None:
            trap.label = _("Leave this field empty")
            trap.widget.attrs.pop("style", None)
            trap.widget.attrs["autocomplete"] = "off"
            trap.is_trap = True
