"""Site-wide search, and what every indexed model shares with the search engine.

This app owns the site search page (``/search/``: live pages, plus the few
published inventory entries that match, with a link to the inventory search),
access to the configured backend (``search.backends``) and the index outbox
that keeps the engine in step with the database (``search.outbox``).

The inventory's own search (its query string, facets and the two engines that
answer it) is ``inventory.search``: the site search asks it for its inventory
results, and both reach the engine through ``search.backends``.
"""
