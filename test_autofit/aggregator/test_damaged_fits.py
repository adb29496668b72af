"""A damaged fit never stops a loop over the others: output folders with a cut-off samples CSV
are not listed, and unreadable samples give None with a warning."""

from __future__ import annotations

import logging

import pytest

import autofit as af
from autofit.database import open_database, write_fit
from autofit.database.writer import write_files
from autofit.samples.io import SamplesFileWarning
from test_autofit.database.fits import close, make_content, write_folder


@pytest.mark.parametrize("cut", [0.5, 0.999], ids=["middle", "last-row"])
def test_a_fit_folder_with_a_truncated_csv_is_not_listed(tmp_path, caplog, cut):
    write_folder(tmp_path, make_content("whole", seed=1, count=40))
    folder = write_folder(tmp_path, make_content("cut", seed=2, count=40, complete=True))
    csv = folder / "files" / "samples.csv"
    data = csv.read_bytes()
    csv.write_bytes(data[: int(len(data) * cut)])
    with caplog.at_level(logging.WARNING, logger="autofit.aggregator"):
        agg = af.Aggregator.from_directory(tmp_path)
    assert agg.ids == ["whole"]
    assert "files/samples.csv is truncated" in caplog.text
    assert [samples.total_samples for samples in agg.values("samples")] == [40]


def test_unreadable_samples_in_a_database_give_none_with_a_warning(tmp_path):
    path = tmp_path / "results.sqlite"
    session = open_database(path)
    contents = [make_content(name, seed=index, count=30) for index, name in enumerate("abc")]
    for content in contents:
        write_fit(session, content)
    write_files(session, contents[1].key, {"samples.csv": b"\xff\xfe\x00 not text\n"})
    close(session)
    agg = af.Aggregator.from_database(path)
    with pytest.warns(SamplesFileWarning, match="Skipped the samples .*samples.csv"):
        values = list(agg.values("samples"))
    assert [None if samples is None else samples.total_samples for samples in values] == [
        30,
        None,
        30,
    ]
