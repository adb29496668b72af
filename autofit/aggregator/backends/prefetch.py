"""Reading many fits in few statements: the small JSON documents and summaries of a chunk of
fits fetched at once, so iterating over thousands of fits costs a few queries per chunk rather
than a few per fit. Large files (samples) are never prefetched."""

from __future__ import annotations

from autofit.aggregator.backends.base import Backend, FitHeader

__all__ = ["PrefetchedReader", "PREFETCH", "CHUNK_SIZE", "chunks"]

#: Fits read per chunk by ``Aggregator.values``; memory holds one chunk's small files.
CHUNK_SIZE = 200

#: For each value name, the documents (``"model"``, ``"search"``, ``"info"``) and small files
#: worth fetching for a whole chunk of fits at once.
PREFETCH: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "samples_summary": (("model",), ("samples_summary.json",)),
    "instance": (("model",), ("samples_summary.json",)),
    "model": (("model",), ()),
    "search": (("search",), ()),
    "info": (("info",), ()),
    "samples": (("model",), ()),
}


class PrefetchedReader:
    """A backend answering from prefetched documents and files for a set of fits, and from the
    wrapped backend for everything else.

    Parameters
    ----------
    backend
        The backend the values were fetched from.
    fit_ids
        The fits of the chunk.
    documents
        ``{(fit_id, which): text or None}`` for every fit of the chunk and prefetched document.
    file_names
        The file names prefetched for every fit of the chunk.
    files
        ``{(fit_id, name): bytes}`` of those files the fits hold.
    """

    def __init__(
        self,
        backend: Backend,
        fit_ids: list[str],
        documents: dict[tuple[str, str], str | None],
        file_names: tuple[str, ...],
        files: dict[tuple[str, str], bytes],
    ) -> None:
        self.backend = backend
        self.fit_ids = set(fit_ids)
        self.documents = documents
        self.file_names_fetched = set(file_names)
        self.files = files

    def document(self, fit_id: str, which: str) -> str | None:
        if (fit_id, which) in self.documents:
            return self.documents[(fit_id, which)]
        return self.backend.document(fit_id, which)

    def read_file(self, fit_id: str, name: str) -> bytes | None:
        if fit_id in self.fit_ids and name in self.file_names_fetched:
            return self.files.get((fit_id, name))
        return self.backend.read_file(fit_id, name)

    def file_names(self, fit_id: str) -> list[str]:
        return self.backend.file_names(fit_id)

    def where(self, fit_id: str) -> str:
        return self.backend.where(fit_id)


def chunks(headers: list[FitHeader], size: int | None = None) -> list[list[FitHeader]]:
    """``headers`` in consecutive chunks of ``size`` (default :data:`CHUNK_SIZE`)."""
    size = size or CHUNK_SIZE
    return [headers[start : start + size] for start in range(0, len(headers), size)]
