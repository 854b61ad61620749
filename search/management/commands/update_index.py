"""Wagtail's ``update_index``, with the inventory rebuilt by its fast bulk path.

Every other model is indexed exactly as Wagtail does it. The inventory index is
rebuilt atomically too (a new index, then the alias swaps), by
``inventory.bulk_index``, which sends the same documents several times faster.
"""

from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import (
    Command as ModelsearchCommand,
)
from modelsearch.management.commands.rebuild_modelsearch_index import (
    group_models_by_index,
)

from inventory.bulk_index import rebuild
from inventory.models import InventoryEntry


class Command(ModelsearchCommand):
    help = "Rebuild the search index from the database (Wagtail's update_index)."

    def update_backend(self, backend_name, schema_only=False, chunk_size=1000):
        backend = get_search_backend(backend_name)
        if not hasattr(backend, "es") or schema_only:
            return super().update_backend(backend_name, schema_only, chunk_size)
        self.write("Updating backend: " + backend_name)
        for index, models in group_models_by_index(
            backend, get_indexed_models()
        ).items():
            if models == [InventoryEntry]:
                count = rebuild(backend)
                self.write(f"{backend_name}: indexed {count} inventory entries in bulk")
                continue
            rebuilder = backend.rebuilder_class(index)
            index = rebuilder.start()
            for model in models:
                index.add_model(model)
            count = 0
            for model in models:
                queryset = model.get_indexed_objects().order_by("pk")
                for chunk in self.queryset_chunks(queryset, chunk_size):
                    index.add_items(model, chunk)
                    count += len(chunk)
            rebuilder.finish()
            self.write(f"{backend_name}: rebuilt {index} with {count} objects")
