"""The Atom feed of a saved search (django.contrib.syndication).

Anyone with its address reads it without signing in; the address holds an unguessable
token that the account can renew, which revokes the old address.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import SavedSearch
from .searches import feed_entries, search_link


class SavedSearchFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, token):
        return get_object_or_404(SavedSearch, feed_token=token)

    def title(self, saved):
        return _("WSIS inventory: %(name)s") % {"name": saved.name}

    def subtitle(self, saved):
        return _("Activities newly published in the WSIS stocktaking inventory.")

    def link(self, saved):
        return search_link(saved)

    def items(self, saved):
        return feed_entries(saved)

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.summary

    def item_link(self, entry):
        return entry.get_absolute_url()

    def item_pubdate(self, entry):
        return entry.first_published_at

    def item_updateddate(self, entry):
        return entry.last_published_at or entry.first_published_at

    def item_author_name(self, entry):
        return entry.organisation.name if entry.organisation_id else None
