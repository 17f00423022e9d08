"""The Storage class is assembled from one mixin per area; a method defined in two of them
would silently shadow the other (it happened once), so no name may appear twice."""

from __future__ import annotations

from collections import defaultdict

from bot.storage.base import StorageBase

from bot.storage import Storage


def test_no_query_method_is_defined_in_two_areas() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for mixin in Storage.__mro__:
        if mixin in (Storage, StorageBase, object) or not issubclass(mixin, StorageBase):
            continue
        for name, value in vars(mixin).items():
            if callable(value) and not name.startswith("__"):
                owners[name].append(mixin.__name__)
    assert len(owners) > 50, "the mixins were not found: the test would pass vacuously"
    shadowed = {name: areas for name, areas in owners.items() if len(areas) > 1}
    assert shadowed == {}
