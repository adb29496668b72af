"""Prefetching (autofit/aggregator/backends/prefetch.py): a chunk's small files read at once."""

from __future__ import annotations

from autofit.aggregator.backends.base import FitHeader
from autofit.aggregator.backends.prefetch import PrefetchedReader, chunks
from autofit.aggregator.backends.sql import SQLBackend


class Recording:
    """A backend that records what it is asked for."""

    def __init__(self):
        self.calls = []

    def document(self, fit_id, which):
        self.calls.append(("document", fit_id, which))
        return f"{which} of {fit_id}"

    def read_file(self, fit_id, name):
        self.calls.append(("read_file", fit_id, name))
        return b"from the backend"

    def file_names(self, fit_id):
        return ["a.json"]

    def where(self, fit_id):
        return f"store/{fit_id}"


def test_answers_prefetched_values_without_asking_the_backend():
    backend = Recording()
    reader = PrefetchedReader(
        backend,
        ["a", "b"],
        {("a", "model"): "{}", ("b", "model"): None},
        ("samples_summary.json",),
        {("a", "samples_summary.json"): b"{}"},
    )
    assert reader.document("a", "model") == "{}"
    assert reader.document("b", "model") is None
    assert reader.read_file("a", "samples_summary.json") == b"{}"
    assert reader.read_file("b", "samples_summary.json") is None  # fetched: b has none
    assert backend.calls == []
    assert reader.document("a", "search") == "search of a"
    assert reader.read_file("a", "samples.csv") == b"from the backend"
    assert reader.read_file("c", "samples_summary.json") == b"from the backend"
    assert reader.file_names("a") == ["a.json"] and reader.where("a") == "store/a"
    assert backend.calls == [
        ("document", "a", "search"),
        ("read_file", "a", "samples.csv"),
        ("read_file", "c", "samples_summary.json"),
    ]


def test_chunks_cover_the_headers_in_order():
    headers = [FitHeader(str(index), "", "", "", True, str(index)) for index in range(7)]
    assert [[h.id for h in chunk] for chunk in chunks(headers, 3)] == [
        ["0", "1", "2"],
        ["3", "4", "5"],
        ["6"],
    ]
    assert chunks([], 3) == []


def test_the_database_prefetches_documents_and_files_of_the_chunk(study):
    backend = SQLBackend.open(study.database)
    ids = [study.ids["fit_0"], study.ids["interrupted"]]
    reader = backend.prefetched(ids, ("model", "info"), ("samples_summary.json",))
    for fit_id in ids:
        assert reader.document(fit_id, "model") == backend.document(fit_id, "model")
        assert reader.document(fit_id, "info") == backend.document(fit_id, "info")
        summary = backend.read_file(fit_id, "samples_summary.json")
        assert reader.read_file(fit_id, "samples_summary.json") == summary
    assert reader.document(study.ids["interrupted"], "info") is None
    assert reader.read_file(study.ids["interrupted"], "samples_summary.json") is None
