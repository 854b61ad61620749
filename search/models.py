"""The outbox of the search engine's index (see search.outbox)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingIndexUpdate(models.Model):
    """An index update not yet applied to the search engine (an outbox).

    One row per indexed object (inventory entry, page, image, document) whose
    document must be brought in step with the database: written in the same
    transaction as the change, removed once the engine has it. If the engine is
    down, rows wait here and are applied when it returns.
    """

    # The root model of the object's index (``Page`` for every page type).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last change was recorded: an update removes the row only if no
    # change came after it read the object.
    changed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pending index update")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_update"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"
