"""Checks on uploaded documents: the content must be what the extension says.

Wagtail already limits the extensions (WAGTAILDOCS_EXTENSIONS) and the size
(WAGTAILDOCS_MAX_UPLOAD_SIZE); this adds the file signature, so that an
executable or an HTML page renamed ``.pdf`` is refused at upload. Documents are
served as attachments except PDF and plain text (WAGTAILDOCS_INLINE_CONTENT_TYPES),
always with ``X-Content-Type-Options: nosniff``.
"""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.documents.forms import BaseDocumentForm

ZIP = (b"PK\x03\x04",)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "pptx": ZIP,
    "xlsx": ZIP,
    "odt": ZIP,
    "rtf": (b"{\\rtf",),
}
TEXT = {"csv", "txt"}
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")


def check_upload(uploaded):
    """Raise ValidationError unless ``uploaded``'s content matches its extension."""
    extension = os.path.splitext(uploaded.name)[1].lower().lstrip(".")
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(4096)
    uploaded.seek(position)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    if head.startswith(EXECUTABLE):
        raise ValidationError(
            _("Programs and scripts cannot be uploaded."), code="executable"
        )
    if extension in SIGNATURES:
        if not head.startswith(SIGNATURES[extension]):
            raise ValidationError(
                _("This file is not a valid .%(extension)s file."),
                code="signature",
                params={"extension": extension},
            )
    elif extension in TEXT:
        if b"\x00" in head:
            raise ValidationError(
                _("A .%(extension)s file must be text."),
                code="binary",
                params={"extension": extension},
            )
        if head.lstrip().lower().startswith(MARKUP):
            raise ValidationError(
                _("Web pages and markup cannot be uploaded as .%(extension)s."),
                code="markup",
                params={"extension": extension},
            )


class CheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form (admin, chooser, multiple upload) with content checks."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_upload(uploaded)
        return uploaded
