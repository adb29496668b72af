"""The tables of the results database (SQLAlchemy 2.x declarative mapping).

``fit``         one row per fit (per output folder), keyed by its key, a digest of
                (path_prefix, unique_tag, name, identifier): the identifier, names, search, model
                JSON, status and the headline numbers (maximum log likelihood, log evidence);
``fit_file``    every file of the fit (samples CSV, summaries, files saved by the analysis) as bytes;
``parameter``   one row per free parameter of each fit: its maximum-likelihood and median values,
                so parameter-range queries run as SQL;
``component``   the class of every model component of each fit (``agg.model.gaussian == Gaussian``);
``info_item``   the fit's ``info`` dictionary, one row per key;
``grid_search`` one row per grid search (per grid folder): names, search, grid priors, shape;
``grid_cell``   one row per cell of a grid: its number, limits, figures of merit and the key of
                its fit's row;
``schema_version``  the version of this schema, for migrations.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "SCHEMA_VERSION",
    "Base",
    "SchemaVersion",
    "Fit",
    "FitFile",
    "Parameter",
    "Component",
    "InfoItem",
    "GridSearchRow",
    "GridCellRow",
]

#: The version written by this release; :mod:`autofit.database.migrations` upgrades older ones.
SCHEMA_VERSION = 3


class Base(DeclarativeBase):
    """Declarative base of the autofit tables."""


class SchemaVersion(Base):
    """The schema version of the database (a single row)."""

    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)


class Fit(Base):
    """One fit, keyed by its key (``id``, see :func:`autofit.output.paths.fit_key`): fits of
    the same model and search under different names or path prefixes share an identifier
    but are different rows."""

    __tablename__ = "fit"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(64), default="", index=True)
    name: Mapped[str] = mapped_column(String(512), default="", index=True)
    path_prefix: Mapped[str] = mapped_column(String(1024), default="", index=True)
    unique_tag: Mapped[str] = mapped_column(String(512), default="", index=True)
    search_class: Mapped[str] = mapped_column(String(128), default="")
    search_json: Mapped[str] = mapped_column(Text, default="{}")
    model_json: Mapped[str] = mapped_column(Text, default="{}")
    info_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    max_log_likelihood: Mapped[float | None] = mapped_column(Float, nullable=True)
    log_evidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_samples: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)

    files: Mapped[list[FitFile]] = relationship(
        back_populates="fit", cascade="all, delete-orphan", lazy="select"
    )


class FitFile(Base):
    """A file of a fit, stored as bytes under its name relative to ``files/``."""

    __tablename__ = "fit_file"

    fit_id: Mapped[str] = mapped_column(ForeignKey("fit.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(512), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)

    fit: Mapped[Fit] = relationship(back_populates="files")


class Parameter(Base):
    """One free parameter of a fit with its maximum-likelihood and median values."""

    __tablename__ = "parameter"

    fit_id: Mapped[str] = mapped_column(ForeignKey("fit.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(512), primary_key=True, index=True)
    max_log_likelihood: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    median: Mapped[float | None] = mapped_column(Float, nullable=True)


class Component(Base):
    """The class of one model component of a fit (path "" is the whole model)."""

    __tablename__ = "component"

    fit_id: Mapped[str] = mapped_column(ForeignKey("fit.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(512), primary_key=True)
    class_path: Mapped[str] = mapped_column(String(512), index=True)


class InfoItem(Base):
    """One key of a fit's ``info`` dictionary: its JSON and, when scalar, its value."""

    __tablename__ = "info_item"

    fit_id: Mapped[str] = mapped_column(ForeignKey("fit.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    value_text: Mapped[str | None] = mapped_column(String(1024), nullable=True, index=True)


class GridSearchRow(Base):
    """One grid search, keyed by a digest of its folder's names and identifier."""

    __tablename__ = "grid_search"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(64), default="", index=True)
    name: Mapped[str] = mapped_column(String(512), default="", index=True)
    path_prefix: Mapped[str] = mapped_column(String(1024), default="", index=True)
    unique_tag: Mapped[str] = mapped_column(String(512), default="", index=True)
    search_class: Mapped[str] = mapped_column(String(128), default="")
    search_json: Mapped[str] = mapped_column(Text, default="{}")
    grid_priors_json: Mapped[str] = mapped_column(Text, default="[]")
    shape_json: Mapped[str] = mapped_column(Text, default="[]")
    info_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)


class GridCellRow(Base):
    """One cell of a grid search: its limits, figures of merit and its fit's row."""

    __tablename__ = "grid_cell"

    grid_id: Mapped[str] = mapped_column(
        ForeignKey("grid_search.id", ondelete="CASCADE"), primary_key=True
    )
    cell_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    fit_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    lower_limits_json: Mapped[str] = mapped_column(Text, default="[]")
    upper_limits_json: Mapped[str] = mapped_column(Text, default="[]")
    log_likelihood: Mapped[float | None] = mapped_column(Float, nullable=True)
    log_evidence: Mapped[float | None] = mapped_column(Float, nullable=True)
