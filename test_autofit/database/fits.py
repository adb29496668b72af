"""Fits for the database tests: synthetic fit content holding the files a real search writes, fit
folders on disk, and the work of concurrent writer processes."""

from __future__ import annotations

import io
import json
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

import autofit as af
from autofit.database import FitContent, open_database, write_fit
from autofit.samples import Samples
from autofit.samples.io import samples_to_csv_text

#: The Gaussian the synthetic samples scatter around (centre, normalization, sigma).
TRUTH = np.array([50.0, 25.0, 10.0])


def model() -> af.Model:
    return af.Model(af.ex.Gaussian)


def make_samples(seed: int, count: int) -> Samples:
    """``count`` samples scattered around ``TRUTH`` shifted by a seed-dependent offset."""
    gaussian = model()
    rng = np.random.default_rng(seed)
    centre = TRUTH + rng.uniform(-5.0, 5.0, size=3)
    offsets = rng.standard_normal((count, 3))
    parameters = centre + 0.1 * offsets
    log_likelihood = -0.5 * np.sum(offsets**2, axis=1)
    log_prior = gaussian.compiled.batch_log_priors(parameters).sum(axis=1)
    info = {"total_draws": count, "seed": seed}
    return Samples(gaussian, parameters, log_likelihood, log_prior, samples_info=info)


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def make_content(
    identifier: str,
    seed: int = 0,
    count: int = 300,
    complete: bool = True,
    name: str = "fit",
    path_prefix: str = "",
    unique_tag: str = "",
    info: dict[str, Any] | None = None,
) -> FitContent:
    """A fit as ``content_from_folder`` reads it: model, search, samples CSV, samples info and
    summary, info and an array saved by the analysis. ``count=0`` is a fit that has just
    started (no samples yet)."""
    gaussian = model()
    search = {"type": "Drawer", "name": name, "path_prefix": path_prefix, "unique_tag": unique_tag}
    files = {
        "model.json": json.dumps(gaussian.dict(), indent=2).encode(),
        "search.json": json.dumps(search, indent=2).encode(),
        "data.npy": npy_bytes(np.arange(float(seed), seed + 10.0)),
    }
    if info is not None:
        files["info.json"] = json.dumps(info, indent=2).encode()
    if count:
        samples = make_samples(seed, count)
        files["samples.csv"] = samples_to_csv_text(samples).encode()
        files["samples_info.json"] = json.dumps(samples.samples_info, indent=2).encode()
        files["samples_summary.json"] = json.dumps(samples.summary().dict(), indent=2).encode()
    return FitContent(
        identifier=identifier,
        name=name,
        path_prefix=path_prefix,
        unique_tag=unique_tag,
        search=search,
        model=gaussian.dict(),
        info=info,
        is_complete=complete,
        files=files,
    )


def fit_folder(root: Path, content: FitContent) -> Path:
    """``<root>/<path_prefix>/<unique_tag>/<name>/<identifier>``."""
    parts = [content.path_prefix, content.unique_tag, content.name, content.identifier]
    return Path(root).joinpath(*[part for part in parts if part])


def write_folder(root: Path, content: FitContent) -> Path:
    """Write ``content`` as the output folder of a fit (as the search driver lays it out)."""
    folder = fit_folder(root, content)
    (folder / "files").mkdir(parents=True, exist_ok=True)
    (folder / ".identifier").write_text(content.identifier + "\n")
    (folder / "metadata").write_text(
        f"name={content.name}\npath_prefix={content.path_prefix}\n"
        f"unique_tag={content.unique_tag}\nsearch=Drawer\nidentifier={content.identifier}\n"
    )
    (folder / "model.info").write_text("model\n")
    for name, data in content.files.items():
        path = folder / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (folder / ".completed").unlink(missing_ok=True)
    if content.is_complete:
        (folder / ".completed").write_text("")
    return folder


def close(session: Any) -> None:
    """Close a session and its engine's connections (before a test database is dropped)."""
    session.close()
    session.get_bind().dispose()


def writer_identifiers(prefix: str, worker: int, fits: int) -> list[str]:
    return [f"{prefix}-w{worker:02d}-f{index:02d}" for index in range(fits)]


def seed_of(worker: int, index: int) -> int:
    return 100 * worker + index


def write_fits_in_process(
    url: str, prefix: str, worker: int, fits: int, start: Any, results: Any
) -> None:
    """Run in a child process: open the database, wait for the start signal, then write
    ``fits`` fits as a search does (when it starts and when it completes); report any error."""
    try:
        session = open_database(url)
        start.wait(60)
        for index, identifier in enumerate(writer_identifiers(prefix, worker, fits)):
            seed = seed_of(worker, index)
            tag = f"worker_{worker}"
            for count, complete in ((0, False), (200, True)):
                content = make_content(
                    identifier,
                    seed=seed,
                    count=count,
                    complete=complete,
                    unique_tag=tag,
                    info={"worker": worker, "index": index},
                )
                write_fit(session, content)
        session.close()
        results.put((worker, None))
    except BaseException:
        results.put((worker, traceback.format_exc()))


def open_in_process(url: str, worker: int, start: Any, results: Any) -> None:
    """Run in a child process: open the database as soon as the start signal is given."""
    try:
        start.wait(60)
        session = open_database(url)
        session.close()
        results.put((worker, None))
    except BaseException:
        results.put((worker, traceback.format_exc()))


def write_same_fit_in_process(
    url: str, identifiers: list[str], worker: int, start: Any, results: Any
) -> None:
    """Run in a child process: write the same fits as the other workers, several times."""
    try:
        session = open_database(url)
        start.wait(60)
        for repeat in range(3):
            for index, identifier in enumerate(identifiers):
                content = make_content(identifier, seed=index, count=100, complete=repeat == 2)
                write_fit(session, content)
        session.close()
        results.put((worker, None))
    except BaseException:
        results.put((worker, traceback.format_exc()))


def run_fits_in_process(
    url: str, output: str, worker: int, fits: int, start: Any, results: Any
) -> None:
    """Run in a child process: real ``af.Drawer`` fits writing into the database."""
    try:
        import autofit.config

        af.conf.instance.push(
            new_path=Path(autofit.config.__file__).parent, output_path=Path(output)
        )
        session = open_database(url)
        data, noise_map = af.ex.simulate_data(noise=0.1, seed=worker)
        start.wait(60)
        for index in range(fits):
            search = af.Drawer(
                name="drawer",
                unique_tag=f"worker_{worker}_fit_{index}",
                total_draws=20,
                session=session,
            )
            search.fit(
                model=af.Model(af.ex.Gaussian),
                analysis=af.ex.Analysis(data, noise_map),
                info={"worker": worker, "index": index},
            )
        session.close()
        results.put((worker, None))
    except BaseException:
        results.put((worker, traceback.format_exc()))


def run_processes(context: Any, target: Any, arguments: list[tuple], timeout: float = 120) -> list:
    """Start one process per argument tuple (each gets ``start`` and ``results`` appended),
    release them together and return the errors they reported."""
    start = context.Event()
    results = context.Queue()
    processes = [
        context.Process(target=target, args=(*args, start, results), daemon=True)
        for args in arguments
    ]
    for process in processes:
        process.start()
    time.sleep(0.2)
    start.set()
    reports = [results.get(timeout=timeout) for _ in processes]
    for process in processes:
        process.join(timeout)
    errors = [error for _, error in reports if error is not None]
    errors.extend(
        f"process {process.pid} exited with {process.exitcode}"
        for process in processes
        if process.exitcode != 0
    )
    return errors


def row(session: Any, identifier: str) -> Any:
    """The one ``fit`` row with this identifier (None if there is none)."""
    from sqlalchemy import select

    from autofit.database.schema import Fit

    session.expire_all()
    rows = session.execute(select(Fit).where(Fit.identifier == identifier)).scalars().all()
    assert len(rows) <= 1, f"{len(rows)} fits with the identifier {identifier}"
    return rows[0] if rows else None


def key_of(session: Any, identifier: str) -> str:
    """The key of the one fit with this identifier."""
    return row(session, identifier).id
