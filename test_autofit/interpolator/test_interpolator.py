"""af.LinearInterpolator and af.SplineInterpolator: instances interpolated on one attribute."""

from __future__ import annotations

import pickle

import pytest

import autofit as af


class Gaussian:
    def __init__(self, centre: float, normalization: float, sigma: float, time: float) -> None:
        self.centre = centre
        self.normalization = normalization
        self.sigma = sigma
        self.time = time


class Shaped:
    def __init__(self, position: tuple[float, float], count: int, label: str) -> None:
        self.position = position
        self.count = count
        self.label = label


def linear_instances(times=(0.0, 1.0, 2.0, 3.0)) -> list[af.ModelInstance]:
    """Every attribute a straight line in time: centre = 10 + 2t, normalization = 5 - t."""
    return [
        af.ModelInstance(
            {
                "gaussian": Gaussian(
                    centre=10.0 + 2.0 * time, normalization=5.0 - time, sigma=3.0, time=time
                ),
                "time": time,
            }
        )
        for time in times
    ]


@pytest.mark.parametrize("interpolator_class", [af.LinearInterpolator, af.SplineInterpolator])
def test_values_are_exact_for_linear_data(interpolator_class):
    interpolator = interpolator_class(linear_instances())
    instance = interpolator[interpolator.time == 1.5]
    assert isinstance(instance, af.ModelInstance)
    assert isinstance(instance.gaussian, Gaussian)
    assert instance.time == 1.5
    assert instance.gaussian.centre == pytest.approx(13.0)
    assert instance.gaussian.normalization == pytest.approx(3.5)
    assert instance.gaussian.sigma == pytest.approx(3.0)
    assert instance.gaussian.time == pytest.approx(1.5)


def test_nested_attribute_paths_can_be_interpolated_on():
    interpolator = af.LinearInterpolator(linear_instances())
    instance = interpolator[interpolator.gaussian.time == 2.5]
    assert instance.gaussian.time == 2.5
    assert instance.gaussian.centre == pytest.approx(15.0)


def test_a_known_value_returns_a_copy_of_that_instance():
    instances = linear_instances()
    interpolator = af.LinearInterpolator(instances)
    instance = interpolator[interpolator.time == 2.0]
    assert instance.gaussian.centre == instances[2].gaussian.centre == 14.0
    assert instance is not instances[2]
    instance.gaussian.centre = -1.0
    assert instances[2].gaussian.centre == 14.0


def test_instances_given_out_of_order_are_sorted():
    interpolator = af.SplineInterpolator(linear_instances((3.0, 0.0, 2.0, 1.0)))
    assert interpolator[interpolator.time == 0.5].gaussian.centre == pytest.approx(11.0)


def test_linear_interpolator_is_the_least_squares_line():
    # Values 0, 1, 0 at t = 0, 1, 2: the best line is flat at 1/3.
    instances = [
        af.ModelInstance({"gaussian": Gaussian(value, 1.0, 1.0, time), "time": time})
        for time, value in ((0.0, 0.0), (1.0, 1.0), (2.0, 0.0))
    ]
    interpolator = af.LinearInterpolator(instances)
    assert interpolator[interpolator.time == 0.5].gaussian.centre == pytest.approx(1.0 / 3.0)


def test_spline_passes_through_every_point_and_curves_between():
    # y = t^2 at t = 0..4: a cubic spline reproduces a quadratic exactly.
    instances = [
        af.ModelInstance({"gaussian": Gaussian(time**2, 1.0, 1.0, time), "time": time})
        for time in (0.0, 1.0, 2.0, 3.0, 4.0)
    ]
    interpolator = af.SplineInterpolator(instances)
    assert interpolator[interpolator.time == 2.5].gaussian.centre == pytest.approx(6.25)
    assert af.LinearInterpolator(instances)[interpolator.time == 2.5].gaussian.centre != (
        pytest.approx(6.25)
    )


@pytest.mark.parametrize("interpolator_class", [af.LinearInterpolator, af.SplineInterpolator])
def test_out_of_range_values_extrapolate_by_default(interpolator_class):
    interpolator = interpolator_class(linear_instances())
    before = interpolator[interpolator.time == -1.0]
    after = interpolator[interpolator.time == 5.0]
    # Linear data: the line (and the spline's end pieces) continue the straight line.
    assert before.gaussian.centre == pytest.approx(8.0)
    assert after.gaussian.centre == pytest.approx(20.0)
    assert after.gaussian.normalization == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("interpolator_class", [af.LinearInterpolator, af.SplineInterpolator])
def test_out_of_range_values_raise_when_extrapolation_is_off(interpolator_class):
    interpolator = interpolator_class(linear_instances(), extrapolate=False)
    assert interpolator[interpolator.time == 3.0].gaussian.centre == pytest.approx(16.0)
    assert interpolator[interpolator.time == 0.25].gaussian.centre == pytest.approx(10.5)
    with pytest.raises(ValueError, match=r"time = 3.5 is outside the instances' range 0.0 to 3"):
        interpolator[interpolator.time == 3.5]


def test_tuples_are_interpolated_element_by_element_and_other_types_kept():
    instances = [
        af.ModelInstance({"shape": Shaped((time, 2.0 * time), count=3, label="a"), "time": time})
        for time in (0.0, 1.0)
    ]
    instance = af.LinearInterpolator(instances)[af.LinearInterpolator(instances).time == 0.5]
    assert instance.shape.position == pytest.approx((0.5, 1.0))
    assert isinstance(instance.shape.position, tuple)
    assert instance.shape.count == 3 and instance.shape.label == "a"


def test_relationships_give_the_curve_of_each_attribute():
    interpolator = af.LinearInterpolator(linear_instances())
    relationships = interpolator.relationships(interpolator.time)
    assert relationships.gaussian.centre(10.0) == pytest.approx(30.0)
    assert relationships.gaussian.centre.m == pytest.approx(2.0)


def test_bad_input_raises_naming_what_to_fix():
    with pytest.raises(ValueError, match="needs at least one instance"):
        af.LinearInterpolator([])
    interpolator = af.LinearInterpolator(linear_instances())
    with pytest.raises(AttributeError, match="no attribute 'tim' to interpolate on"):
        interpolator[interpolator.tim == 1.0]
    with pytest.raises(TypeError, match="interpolator.time == 1.5"):
        interpolator[1.5]
    single = af.LinearInterpolator(linear_instances((1.0,)))
    with pytest.raises(ValueError, match="needs instances at 2 or more different values of time"):
        single[single.time == 2.0]
    repeated = af.SplineInterpolator(linear_instances((0.0, 1.0, 1.0)))
    with pytest.raises(ValueError, match=r"\[1.0\] appear more than once"):
        repeated[repeated.time == 0.5]


def test_interpolator_pickles():
    interpolator = af.LinearInterpolator(linear_instances())
    copy = pickle.loads(pickle.dumps(interpolator))
    assert copy[copy.time == 1.5].gaussian.centre == pytest.approx(13.0)


def _with_errors(centre_errors):
    instances = linear_instances((0.0, 1.0))
    errors = [
        af.ModelInstance({"gaussian": Gaussian(error, 0.0, 0.0, 0.0), "time": 0.0})
        for error in centre_errors
    ]
    return instances, errors


def test_errors_are_propagated_through_the_line():
    instances, errors = _with_errors([1.0, 1.0])
    interpolator = af.LinearInterpolator(instances, errors=errors)
    # Halfway: the mean of two values, error sqrt(0.5^2 + 0.5^2).
    middle = interpolator.errors_for(interpolator.time == 0.5)
    assert middle.gaussian.centre == pytest.approx(0.5**0.5)
    assert middle.gaussian.normalization == 0.0
    assert middle.time == 0.0
    # Extrapolated to t = 2: 2 * y(1) - y(0), error sqrt(1 + 4).
    assert interpolator.errors_for(interpolator.time == 2.0).gaussian.centre == pytest.approx(
        5.0**0.5
    )
    # At a known time: that instance's errors.
    assert interpolator.errors_for(interpolator.time == 1.0).gaussian.centre == 1.0


def test_errors_need_one_per_instance_and_are_required_for_errors_for():
    instances, errors = _with_errors([1.0, 2.0])
    with pytest.raises(ValueError, match="1 errors given for 2 instances"):
        af.SplineInterpolator(instances, errors=errors[:1])
    interpolator = af.SplineInterpolator(instances)
    with pytest.raises(ValueError, match=r"has no errors: make it with SplineInterpolator.from_"):
        interpolator.errors_for(interpolator.time == 0.5)


def test_from_samples_interpolates_medians_with_their_errors():
    instances = []
    samples_list = []
    for index, time in enumerate((0.0, 1.0, 2.0)):
        truth = af.ex.Gaussian(centre=40.0 + 5.0 * time, normalization=20.0, sigma=5.0)
        data, noise = af.ex.simulate_data([truth], noise=0.2, seed=index)
        model = af.Collection(
            gaussian=af.Model(
                af.ex.Gaussian,
                centre=af.UniformPrior(lower_limit=30.0, upper_limit=70.0),
                normalization=20.0,
                sigma=5.0,
            ),
            time=time,
        )
        search = af.DynestyStatic(nlive=30, seed=1)
        result = search.fit(model=model, analysis=af.ex.Analysis(data, noise))
        samples_list.append(result.samples)
        instances.append(result.samples.median_pdf())

    interpolator = af.LinearInterpolator.from_samples(samples_list, sigma=1.0)
    instance = interpolator[interpolator.time == 0.5]
    errors = interpolator.errors_for(interpolator.time == 0.5)
    assert instance.gaussian.centre == pytest.approx(42.5, abs=1.0)
    fit_errors = [
        (upper - lower) / 2.0
        for upper, lower in zip(
            [s.values_at_upper_sigma(1.0, as_instance=False)[0] for s in samples_list],
            [s.values_at_lower_sigma(1.0, as_instance=False)[0] for s in samples_list],
            strict=True,
        )
    ]
    assert all(error > 0.0 for error in fit_errors)
    # The line through three fits is better known than any one fit.
    assert 0.0 < errors.gaussian.centre < max(fit_errors)
    # Fixed values have no error.
    assert errors.gaussian.sigma == 0.0 and errors.gaussian.normalization == 0.0
    assert errors.time == 0.0
    known = interpolator.errors_for(interpolator.time == 1.0)
    assert known.gaussian.centre == pytest.approx(fit_errors[1])
    assert interpolator[interpolator.time == 1.0].gaussian.centre == pytest.approx(
        instances[1].gaussian.centre
    )
