"""Template context shared by every public page."""

from django.utils.functional import SimpleLazyObject


def _navigation_lines():
    from action_lines.models import ActionLineIndexPage, ActionLinePage

    index = ActionLineIndexPage.objects.live().first()
    if index is None:
        return []
    index = index.localized
    return list(
        ActionLinePage.objects.live()
        .child_of(index)
        .order_by("path")
        .only("title", "url_path", "code", "path", "depth")
    )


def navigation(request):
    """The action lines for the main navigation, queried only when a template asks."""
    return {"nav_action_lines": SimpleLazyObject(_navigation_lines)}
