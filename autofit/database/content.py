"""FitContent: everything the database stores about one fit, gathered from a fit's folder or
from a running fit, independent of where it is written."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autofit.output.paths import fit_key

__all__ = ["FitContent", "components_of", "content_from_folder", "folder_names", "STORED_SUFFIXES"]

#: Files of ``files/`` copied into the database (checkpoints in ``search_internal`` stay on disk).
STORED_SUFFIXES = (".json", ".csv", ".npy")


def components_of(model: dict[str, Any], path: str = "") -> list[tuple[str, str]]:
    """``(path, class_path)`` of every model component in a model's JSON (see
    ``AbstractModel.dict``); collections are listed as ``autofit.Collection``."""
    found = []
    kind = model.get("type")
    if kind == "model":
        found.append((path, model["class_path"]))
    elif kind == "collection":
        found.append((path, "autofit.model.collection.Collection"))
    if kind in ("model", "collection"):
        for name, value in model.get("arguments", {}).items():
            if isinstance(value, dict):
                found.extend(components_of(value, f"{path}.{name}" if path else name))
    return found


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass
class FitContent:
    """One fit as the database stores it (``identifier`` is the fit's identifier, ``key``
    the database key of its output folder)."""

    identifier: str
    name: str = ""
    path_prefix: str = ""
    unique_tag: str = ""
    search: dict[str, Any] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)
    info: Any = None
    is_complete: bool = False
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The fit's database key (see :func:`~autofit.output.paths.fit_key`)."""
        return fit_key(self.path_prefix, self.unique_tag, self.name, self.identifier)

    @property
    def summary(self) -> dict[str, Any] | None:
        """The parsed ``samples_summary.json``, if present."""
        data = self.files.get("samples_summary.json")
        return json.loads(data) if data else None

    @property
    def max_log_likelihood(self) -> float | None:
        summary = self.summary
        return None if summary is None else _finite(summary.get("max_log_likelihood"))

    @property
    def log_evidence(self) -> float | None:
        summary = self.summary
        return None if summary is None else _finite(summary.get("log_evidence"))

    @property
    def total_samples(self) -> int:
        summary = self.summary
        return 0 if summary is None else int(summary.get("total_samples", 0))

    def parameters(self) -> list[tuple[str, float | None, float | None]]:
        """``(path, maximum-likelihood value, median)`` of every free parameter."""
        summary = self.summary
        if not summary or "max_log_likelihood_vector" not in summary:
            return []
        medians = summary.get("median_pdf_vector") or [None] * len(summary["paths"])
        return [
            (path, _finite(best), _finite(median))
            for path, best, median in zip(
                summary["paths"], summary["max_log_likelihood_vector"], medians, strict=True
            )
        ]


def _read_metadata(folder: Path) -> dict[str, str]:
    values = {}
    text = (folder / "metadata").read_text() if (folder / "metadata").exists() else ""
    for line in text.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def folder_names(folder: Path, search: dict[str, Any] | None = None) -> tuple[str, str, str]:
    """``(name, path_prefix, unique_tag)`` of the fit in ``folder``, from its ``metadata`` (or
    from its ``search.json``, read when not given, for folders written without metadata)."""
    metadata = _read_metadata(folder)
    if not {"name", "path_prefix", "unique_tag"} <= set(metadata) and search is None:
        try:
            search = json.loads((folder / "files" / "search.json").read_text())
        except (OSError, ValueError):
            search = {}
    search = search if isinstance(search, dict) else {}
    return (
        metadata.get("name", search.get("name") or ""),
        metadata.get("path_prefix", search.get("path_prefix") or ""),
        metadata.get("unique_tag", search.get("unique_tag") or ""),
    )


def _read_json(path: Path, data: bytes | None = None) -> Any:
    try:
        return json.loads(path.read_bytes() if data is None else data)
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path} (truncated or half-written?): {error}") from error


def content_from_folder(folder: Path) -> FitContent:
    """The content of the fit in an output folder (``.../<identifier>/``).

    Raises
    ------
    ValueError
        If the folder is not a readable fit (no identifier, or an unreadable ``model.json``,
        ``search.json``, ``info.json`` or ``samples_summary.json``), naming the file.
    """
    folder = Path(folder)
    identifier_file = folder / ".identifier"
    if not identifier_file.exists():
        raise ValueError(f"{folder} has no .identifier: not a fit folder")
    identifier = identifier_file.read_text().strip()
    if not identifier:
        raise ValueError(f"{identifier_file} is empty")
    files_path = folder / "files"
    try:
        model = json.loads((files_path / "model.json").read_text())
        search = json.loads((files_path / "search.json").read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"{folder}: cannot read model.json / search.json ({error})") from error
    name, path_prefix, unique_tag = folder_names(folder, search)
    info = None
    if (files_path / "info.json").exists():
        info = _read_json(files_path / "info.json")
    files = {}
    for path in sorted(files_path.rglob("*")):
        relative = path.relative_to(files_path)
        if path.is_file() and relative.parts[0] != "search_internal":
            if path.suffix in STORED_SUFFIXES and not path.name.startswith("."):
                files[relative.as_posix()] = path.read_bytes()
    if "samples_summary.json" in files:
        # A truncated summary is not a readable fit.
        _read_json(files_path / "samples_summary.json", files["samples_summary.json"])
    return FitContent(
        identifier=identifier,
        name=name,
        path_prefix=path_prefix,
        unique_tag=unique_tag,
        search=search,
        model=model,
        info=info,
        is_complete=(folder / ".completed").exists(),
        files=files,
    )
