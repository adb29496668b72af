"""Writing fits into the database: one short transaction per write, retried while locked."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autofit.database.content import FitContent, components_of
from autofit.database.schema import Component, Fit, FitFile, InfoItem, Parameter
from autofit.database.session import new_session, retry_on_lock

__all__ = ["write_fit", "write_files", "fit_is_complete", "read_file", "info_rows"]


def info_rows(fit_id: str, info: Any) -> list[InfoItem]:
    """The ``info_item`` rows of a fit's ``info`` dictionary: each key's JSON, and its value as a
    number or text when it is one (what ``agg.info["key"]`` queries compare); none when ``info``
    is not a dictionary."""
    if not isinstance(info, dict):
        return []
    rows = []
    for key, value in info.items():
        number = None
        text = None
        if isinstance(value, bool):
            number = float(value)
        elif isinstance(value, (int, float)):
            try:
                number = float(value) if math.isfinite(float(value)) else None
            except OverflowError:
                number = None
        elif isinstance(value, str):
            text = value[:1024]
        rows.append(
            InfoItem(
                fit_id=fit_id,
                key=str(key),
                value_json=json.dumps(value, default=str),
                value_number=number,
                value_text=text,
            )
        )
    return rows


def _write_fit(session: Session, content: FitContent, replace_files: bool) -> None:
    with session.begin():
        key = content.key
        fit = session.get(Fit, key)
        if fit is None:
            fit = Fit(id=key)
            session.add(fit)
        fit.identifier = content.identifier
        fit.name = content.name or ""
        fit.path_prefix = content.path_prefix or ""
        fit.unique_tag = content.unique_tag or ""
        fit.search_class = str(content.search.get("type", ""))
        fit.search_json = json.dumps(content.search, default=str)
        fit.model_json = json.dumps(content.model)
        fit.info_json = None if content.info is None else json.dumps(content.info, default=str)
        fit.is_complete = bool(content.is_complete)
        fit.max_log_likelihood = content.max_log_likelihood
        fit.log_evidence = content.log_evidence
        fit.total_samples = content.total_samples
        fit.updated_at = time.time()
        session.flush()
        for table in (Parameter, Component, InfoItem):
            session.execute(delete(table).where(table.fit_id == key))
        if replace_files:
            session.execute(delete(FitFile).where(FitFile.fit_id == key))
        session.add_all(
            Parameter(fit_id=key, path=path, max_log_likelihood=best, median=median)
            for path, best, median in content.parameters()
        )
        session.add_all(
            Component(fit_id=key, path=path, class_path=class_path)
            for path, class_path in components_of(content.model)
        )
        session.add_all(info_rows(key, content.info))
        _merge_files(session, key, content.files)


def _merge_files(session: Session, fit_id: str, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        existing = session.get(FitFile, (fit_id, name))
        if existing is None:
            session.add(FitFile(fit_id=fit_id, name=name, content=data))
        else:
            existing.content = data


def write_fit(session: Session, content: FitContent, replace_files: bool = True) -> None:
    """Insert or update a fit and everything it holds, in one transaction."""
    writer = new_session(session)
    try:
        for attempt in range(5):
            try:
                retry_on_lock(lambda: _write_fit(writer, content, replace_files))()
                return
            except IntegrityError:
                # Another process inserted the same fit between our read and our insert: the
                # next attempt finds its row and updates it.
                writer.rollback()
                if attempt == 4:
                    raise
    finally:
        writer.close()


def write_files(session: Session, fit_id: str, files: dict[str, bytes]) -> None:
    """Insert or replace files of an existing fit (``fit_id`` is its key)."""

    def write() -> None:
        with writer.begin():
            _merge_files(writer, fit_id, files)

    writer = new_session(session)
    try:
        retry_on_lock(write)()
    finally:
        writer.close()


def fit_is_complete(session: Session, fit_id: str) -> bool:
    """Whether the database holds a completed fit with this key (see
    :func:`~autofit.output.paths.fit_key`)."""
    reader = new_session(session)
    try:
        value = reader.execute(select(Fit.is_complete).where(Fit.id == fit_id)).scalar()
        return bool(value)
    finally:
        reader.close()


def read_file(session: Session, fit_id: str, name: str) -> bytes | None:
    """The bytes of one file of the fit with this key, or None."""
    reader = new_session(session)
    try:
        return reader.execute(
            select(FitFile.content).where(FitFile.fit_id == fit_id, FitFile.name == name)
        ).scalar()
    finally:
        reader.close()
