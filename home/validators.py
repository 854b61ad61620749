"""One-line text: names, titles and references never carry control characters.

A line break in a title ends up in an e-mail header (the editors' notification
is refused, or worse, a forged header), and one in a person's name starts a new
line of a facilitator's e-mail that reads like the platform's own words. So the
models' single-line fields, and the public forms' plain fields, refuse every
control character (C0 and C1, DEL) and the Unicode line and paragraph separators.
Format characters (the right-to-left marks of Arabic and Hebrew text) stay.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAKING_CATEGORIES = {"Cc", "Zl", "Zp"}


def control_characters(text):
    """Return the control and line-breaking characters of ``text``, in order."""
    return [ch for ch in text if unicodedata.category(ch) in LINE_BREAKING_CATEGORIES]


def single_line(value):
    """Refuses text with a control or line-breaking character."""
    if value and control_characters(str(value)):
        raise ValidationError(
            _(
                "Use a single line of text, without line breaks, tabs or other "
                "control characters."
            ),
            code="control_characters",
        )


def one_line(text):
    """``text`` on one line.

    Each run of whitespace or control characters becomes one space (for e-mail
    subjects and other headers).
    """
    cleaned = "".join(
        " " if unicodedata.category(ch) in LINE_BREAKING_CATEGORIES else ch
        for ch in str(text)
    )
    return " ".join(cleaned.split())
