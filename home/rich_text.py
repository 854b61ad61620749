"""Clean rich text that reaches the database without Wagtail's editor.

Rich text that reaches the database without Wagtail's editor is cleaned exactly as the
editor cleans what it saves.

Imports, the public forms and generated data write rich-text fields directly;
whatever markup they carry would otherwise be stored and rendered as it is
(``<img onerror>``, ``<script>``, ``javascript:`` links). ``clean_rich_text``
passes the HTML through the field's own editor widget, the way a form opened and
saved in the admin does: into the editor's representation, which knows only the
field's features, and back to the database format. What the editor cannot
represent is gone (scripts, event handlers, styles, frames, images outside the
features) and link addresses go through Wagtail's own URL check.

Differences with a browser session, about the input and never about what is
kept: the markup is first made well-formed (Wagtail's converter assumes every
tag is closed); the block keys that the conversion invents for paragraphs that
had none are dropped, so that the same input always gives the same output (the
editor adds them when the text is next edited); and markup that the converter
cannot read at all (lists nested hundreds deep, links inside links) keeps its
text only.
"""

import logging
import re
import threading
from html import escape

from django.db import DatabaseError

from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.fields import RichTextField

from bs4 import BeautifulSoup

logger = logging.getLogger(__name__)

BLOCK_KEY = re.compile(r' data-block-key="([^"<>]*)"')
# Control characters have no place in HTML text (and PostgreSQL refuses NUL).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Saving twice can still change what a first save produced (a link whose
# address was refused keeps an empty <a> until the next save; spaces move out
# of bold and italic): saved until nothing changes, a bounded few times.
MAX_SAVES = 3

_widgets = threading.local()  # the converters keep parsing state: one per thread


def editor_widget(editor, features):
    key = (editor, tuple(features) if features is not None else None)
    cache = _widgets.__dict__.setdefault("by_features", {})
    widget = cache.get(key)
    if widget is None:
        widget = cache[key] = get_rich_text_editor_widget(editor, features=features)
    return widget


def saved_by_editor(widget, html):
    """``html`` opened in the editor and saved, as a form in the admin does."""
    editor_value = widget.format_value(html)
    saved = widget.value_from_datadict({"text": editor_value}, {}, "text") or ""
    kept = set(BLOCK_KEY.findall(html))
    return BLOCK_KEY.sub(
        lambda match: match.group(0) if match.group(1) in kept else "", saved
    )


def clean_rich_text(html, features=None, editor="default"):
    """``html`` as the rich-text editor with ``features`` would save it."""
    if not html or not html.strip():
        return ""
    soup = BeautifulSoup(CONTROL_CHARACTERS.sub("", html), "html.parser")
    html = str(soup)
    widget = editor_widget(editor, features)
    try:
        for _ in range(MAX_SAVES):
            saved = saved_by_editor(widget, html)
            if saved == html:
                break
            html = saved
    except DatabaseError:  # looking up linked pages: not the markup's fault
        raise
    except Exception as error:  # noqa: BLE001 - any markup the converter cannot read
        # Nothing the editor could have written: lists nested hundreds deep,
        # links inside links... The text is kept, without the markup.
        logger.info("Rich text kept as plain text: %r", error)
        return paragraphs_html(soup.get_text())
    return html


def paragraphs_html(text):
    """Plain text as rich text.

    Escaped, a <p> per paragraph and a <br/> per line break; quotes are left as they
    are, as the editor leaves them in text.
    """
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        f"<p>{escape(block, quote=False).replace(chr(10), '<br/>')}</p>"
        for block in blocks
        if block
    )


def clean_rich_text_fields(instance):
    """Clean every rich-text field of a model instance, each for its features."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(instance, field.attname)
            setattr(
                instance,
                field.attname,
                clean_rich_text(value, field.features, field.editor),
            )
    return instance
