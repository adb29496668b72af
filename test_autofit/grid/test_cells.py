import math

import pytest

import autofit as af
from autofit.grid import GridGeometry, GridList


def test_one_prior_is_cut_into_equal_steps(model):
    geometry = GridGeometry(model, [model.centre], 4)
    cells = list(geometry.cells())
    assert geometry.shape == (4,)
    assert [cell.lower_limits for cell in cells] == [(0.0,), (25.0,), (50.0,), (75.0,)]
    assert [cell.upper_limits for cell in cells] == [(25.0,), (50.0,), (75.0,), (100.0,)]
    cell_model = geometry.cell_model(cells[1])
    assert isinstance(cell_model.centre, af.UniformPrior)
    assert (cell_model.centre.lower_limit, cell_model.centre.upper_limit) == (25.0, 50.0)
    assert cell_model.sigma is model.sigma
    assert model.centre.upper_limit == 100.0  # the original model is unchanged


def test_two_priors_are_ordered_by_name_and_the_last_varies_fastest(model):
    geometry = GridGeometry(model, [model.sigma, model.centre, model.centre], 2)
    assert geometry.names == ["centre", "sigma"]
    assert geometry.total_cells == 4
    cells = list(geometry.cells())
    assert [cell.steps for cell in cells] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert cells[1].lower_limits == (0.0, 10.5)
    assert cells[2].lower_limits == (50.0, 1.0)
    assert geometry.cell(3) == cells[3]


def test_steps_are_equal_in_the_priors_unit_space(model):
    model.sigma = af.LogUniformPrior(lower_limit=1.0, upper_limit=100.0)
    geometry = GridGeometry(model, [model.sigma], 2)
    first, second = geometry.cells()
    assert first.upper_limits[0] == pytest.approx(10.0)
    assert second.lower_limits[0] == pytest.approx(10.0)
    assert second.upper_limits[0] == pytest.approx(100.0)


def test_a_grid_prior_needs_finite_limits(model):
    model.centre = af.GaussianPrior(mean=50.0, sigma=10.0)
    with pytest.raises(af.exc.PriorException, match="centre.*finite limits"):
        GridGeometry(model, [model.centre], 4)


def test_a_grid_prior_must_belong_to_the_model(model):
    with pytest.raises(af.exc.PriorException, match="not a free prior of the model"):
        GridGeometry(model, [af.UniformPrior(0.0, 1.0)], 4)


@pytest.mark.parametrize("steps", [0, 2.5, True])
def test_number_of_steps_is_a_positive_integer(model, steps):
    with pytest.raises(ValueError, match="number_of_steps"):
        GridGeometry(model, [model.centre], steps)


def test_grid_list_native_has_the_grid_shape():
    values = GridList([1.0, 2.0, 3.0, None], (2, 2))
    native = values.native
    assert native.shape == (2, 2)
    assert native[0, 1] == 2.0
    assert math.isnan(native[1, 1])
    assert GridList([(0.0, 1.0)] * 4, (2, 2)).native.shape == (2, 2, 2)
    with pytest.raises(ValueError, match="4 cells, got 3"):
        GridList([1, 2, 3], (2, 2))
