"""Prior.id: an integer label per prior."""

from __future__ import annotations

import autofit as af


def test_each_new_prior_gets_a_larger_id():
    first = af.UniformPrior(0.0, 1.0)
    second = af.GaussianPrior(mean=0.0, sigma=1.0)

    assert isinstance(first.id, int)
    assert second.id > first.id


def test_new_gives_a_new_id_and_a_copy_of_a_model_keeps_them():
    model = af.Model(af.ex.Gaussian)

    assert model.centre.new().id != model.centre.id
    assert [prior.id for prior in model.copy().priors] == [prior.id for prior in model.priors]


def test_ids_change_neither_the_identifier_nor_the_json():
    first, second = af.Model(af.ex.Gaussian), af.Model(af.ex.Gaussian)

    assert first.centre.id != second.centre.id
    assert first.identifier == second.identifier
    assert first.dict() == second.dict()
