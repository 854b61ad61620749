"""Public history of a team's coordination modalities.

Only revisions that were published are shown: drafts and revisions in moderation
never leave the admin.
"""

import difflib

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.models import PageLogEntry, Revision


def charter_history(page):
    """Return published versions of the charter, newest first.

    Each is a dict with the ``revision``, when it was ``published_at`` and the
    ``previous`` published revision (None for the first one).
    """
    entries = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish")
        .exclude(revision__isnull=True)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
    )
    seen, versions = set(), []
    for entry in entries:
        if entry.revision_id not in seen:
            seen.add(entry.revision_id)
            versions.append(
                {"revision": entry.revision, "published_at": entry.timestamp}
            )
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        newer["previous"] = older["revision"] if older else None
    return versions


def _field_text(page, name):
    """Return a plain-text rendering of one charter field, for display and diffing."""
    field = page._meta.get_field(name)
    value = getattr(page, name)
    if name == "working_languages":
        return ", ".join(str(label) for label in field.labels(value))
    if getattr(field, "choices", None) and name != "focal_point_organisation":
        return str(getattr(page, f"get_{name}_display")())
    if name == "focal_point_organisation":
        return str(value or "")
    if hasattr(value, "stream_block"):
        lines = []
        for block in value:
            parts = [str(v) for v in block.value.values() if v]
            lines.append(" — ".join(parts))
        return "\n".join(lines)
    return strip_tags(str(value or ""))


def compare_charter_revisions(page, old_id, new_id):
    """Field-by-field changes between two published revisions, or None."""
    published = {
        version["revision"].pk: version["published_at"]
        for version in charter_history(page)
    }
    if old_id not in published or new_id not in published:
        return None
    old = Revision.page_revisions.get(pk=old_id).as_object()
    new = Revision.page_revisions.get(pk=new_id).as_object()
    changes = []
    for name in page.charter_fields:
        before, after = _field_text(old, name), _field_text(new, name)
        if before != after:
            diff = list(
                difflib.unified_diff(
                    before.splitlines(), after.splitlines(), lineterm="", n=0
                )
            )[2:]
            changes.append(
                {
                    "label": page._meta.get_field(name).verbose_name,
                    "before": before,
                    "after": after,
                    "diff": [line for line in diff if not line.startswith("@@")],
                }
            )
    return {
        "old": (old, published[old_id]),
        "new": (new, published[new_id]),
        "changes": changes,
        "no_change_message": _("These two versions have the same content."),
    }
