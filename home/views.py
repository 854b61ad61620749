"""Site-wide views that belong to no section."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def favicon(request):
    """Serve /favicon.ico, which browsers ask for on responses that name no icon.

    /favicon.ico, which browsers ask for on responses that name no icon (the API's
    JSON, a PDF): the site's icon, whose static address may change.
    """
    response = HttpResponseRedirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
