"""Arithmetic on priors: derived parameters, assertions, logarithms and identity semantics."""

from __future__ import annotations

import math

import pytest

import autofit as af
from autofit.priors import Abs
from autofit.priors.arithmetic import NAMESPACE, is_expression


@pytest.fixture
def a():
    return af.UniformPrior(0.0, 10.0)


@pytest.fixture
def b():
    return af.GaussianPrior(0.0, 1.0)


VALUE_A = 3.0
VALUE_B = 1.5


def evaluate_source(expression, a, b):
    """Evaluate ``expression.source`` with the names the compiled model gives it."""
    names = {id(a): "x_a", id(b): "x_b"}
    source = expression.source(lambda prior: names[id(prior)])
    return eval(source, dict(NAMESPACE), {"x_a": VALUE_A, "x_b": VALUE_B})


DERIVED = [
    ("prior + 1", lambda a, b: a + 1.0, VALUE_A + 1.0),
    ("1 + prior", lambda a, b: 1.0 + a, 1.0 + VALUE_A),
    ("prior - 2", lambda a, b: a - 2.0, VALUE_A - 2.0),
    ("2 - prior", lambda a, b: 2.0 - a, 2.0 - VALUE_A),
    ("prior * 2", lambda a, b: a * 2.0, VALUE_A * 2.0),
    ("2 * prior", lambda a, b: 2.0 * a, 2.0 * VALUE_A),
    ("prior / 4", lambda a, b: a / 4.0, VALUE_A / 4.0),
    ("4 / prior", lambda a, b: 4.0 / a, 4.0 / VALUE_A),
    ("prior ** 2", lambda a, b: a**2.0, VALUE_A**2.0),
    ("2 ** prior", lambda a, b: 2.0**a, 2.0**VALUE_A),
    ("int operand", lambda a, b: a + 2, VALUE_A + 2.0),
    ("-prior", lambda a, b: -a, -VALUE_A),
    ("abs(-prior)", lambda a, b: abs(-a), VALUE_A),
    ("Abs(prior - 5)", lambda a, b: Abs(a - 5.0), 2.0),
    ("Log", lambda a, b: af.Log(a), math.log(VALUE_A)),
    ("Log10", lambda a, b: af.Log10(a), math.log10(VALUE_A)),
    ("prior - other", lambda a, b: a - b, VALUE_A - VALUE_B),
    ("other - prior", lambda a, b: b - a, VALUE_B - VALUE_A),
    ("prior / other", lambda a, b: a / b, VALUE_A / VALUE_B),
    ("prior ** other", lambda a, b: a**b, VALUE_A**VALUE_B),
    ("nested", lambda a, b: (a * 2.0 + b) / (a - b), (2 * VALUE_A + VALUE_B) / (VALUE_A - VALUE_B)),
    ("Log of expression", lambda a, b: af.Log10(a * 10.0), math.log10(10.0 * VALUE_A)),
]


@pytest.mark.parametrize(
    ("build", "expected"), [case[1:] for case in DERIVED], ids=[c[0] for c in DERIVED]
)
def test_derived_parameters_evaluate_to_the_right_number(a, b, build, expected):
    derived = build(a, b)
    assert isinstance(derived, af.DerivedParameter)
    assert is_expression(derived)
    assert derived.evaluate({a: VALUE_A, b: VALUE_B}) == pytest.approx(expected, rel=1e-15)
    assert evaluate_source(derived, a, b) == pytest.approx(expected, rel=1e-15)


def test_operand_order_is_kept(a):
    assert (a - 1.0).operands == (a, 1.0)
    assert (1.0 - a).operands == (1.0, a)
    assert (2.0 / a).operator == "div"
    assert (2.0 / a).operands == (2.0, a)


def test_derived_parameters_list_their_distinct_priors_in_order(a, b):
    assert (a + 1.0).priors == [a]
    assert (a + a).priors == [a]
    assert (b * a - a).priors == [b, a]
    assert af.Log(a / b + b).priors == [a, b]
    assert (a * 2.0).evaluate({a: 4.0}) == 8.0


def test_equal_argument_priors_are_distinct_inputs():
    first, second = af.UniformPrior(0.0, 1.0), af.UniformPrior(0.0, 1.0)
    derived = first - second
    assert derived.priors == [first, second]
    assert derived.evaluate({first: 0.75, second: 0.25}) == 0.5


def test_log_of_a_number_is_a_number():
    assert af.Log(2.0) == math.log(2.0)
    assert af.Log10(1000.0) == pytest.approx(3.0, rel=1e-15)
    assert Abs(-2.5) == 2.5


def test_unsupported_operands_raise_type_error(a):
    with pytest.raises(TypeError):
        a + "1"
    with pytest.raises(TypeError):
        a * True
    with pytest.raises(TypeError):
        a > None  # noqa: B015 - the comparison itself must raise


def test_invalid_operator_raises():
    with pytest.raises(ValueError, match="mod"):
        af.DerivedParameter("mod", 1.0, 2.0)
    with pytest.raises(ValueError, match="neg"):
        af.DerivedParameter("neg", 1.0, 2.0)
    with pytest.raises(ValueError, match="eq"):
        af.Assertion("eq", 1.0, 2.0)


# -- assertions -------------------------------------------------------------------------------

COMPARISONS = [
    ("a > b", lambda a, b: a > b, [(2.0, 1.0, True), (1.0, 2.0, False), (1.0, 1.0, False)]),
    ("a < b", lambda a, b: a < b, [(1.0, 2.0, True), (2.0, 1.0, False), (1.0, 1.0, False)]),
    ("a >= b", lambda a, b: a >= b, [(2.0, 1.0, True), (1.0, 1.0, True), (1.0, 2.0, False)]),
    ("a <= b", lambda a, b: a <= b, [(1.0, 2.0, True), (1.0, 1.0, True), (2.0, 1.0, False)]),
    ("a > 5", lambda a, b: a > 5.0, [(6.0, 0.0, True), (5.0, 0.0, False), (4.0, 0.0, False)]),
    ("a < 5", lambda a, b: a < 5.0, [(4.0, 0.0, True), (5.0, 0.0, False)]),
    ("a >= 5", lambda a, b: a >= 5.0, [(5.0, 0.0, True), (4.0, 0.0, False)]),
    ("a <= 5", lambda a, b: a <= 5.0, [(5.0, 0.0, True), (6.0, 0.0, False)]),
    ("5 < a", lambda a, b: 5.0 < a, [(6.0, 0.0, True), (5.0, 0.0, False), (4.0, 0.0, False)]),
    ("5 > a", lambda a, b: 5.0 > a, [(4.0, 0.0, True), (6.0, 0.0, False)]),
    ("5 <= a", lambda a, b: 5.0 <= a, [(5.0, 0.0, True), (4.0, 0.0, False)]),
    ("5 >= a", lambda a, b: 5.0 >= a, [(5.0, 0.0, True), (6.0, 0.0, False)]),
    ("a + 1 > b", lambda a, b: a + 1.0 > b, [(1.5, 2.0, True), (0.5, 2.0, False)]),
    ("2 * a < b * b", lambda a, b: 2.0 * a < b * b, [(1.0, 2.0, True), (3.0, 2.0, False)]),
]


@pytest.mark.parametrize(
    ("build", "cases"), [c[1:] for c in COMPARISONS], ids=[c[0] for c in COMPARISONS]
)
def test_comparisons_build_assertions_that_evaluate_correctly(a, b, build, cases):
    assertion = build(a, b)
    assert isinstance(assertion, af.Assertion)
    names = {id(a): "x_a", id(b): "x_b"}
    source = assertion.source(lambda prior: names[id(prior)])
    for value_a, value_b, expected in cases:
        assert assertion.evaluate({a: value_a, b: value_b}) is expected
        assert eval(source, dict(NAMESPACE), {"x_a": value_a, "x_b": value_b}) is expected


def test_assertions_list_their_priors(a, b):
    assert (a > b).priors == [a, b]
    assert (a > 5.0).priors == [a]
    assert (5.0 > a).priors == [a]
    assert (a + b > a).priors == [a, b]


def test_assertions_describe_themselves(a, b):
    names = {id(a): "one.centre", id(b): "two.centre"}
    assert (a > b).describe(lambda prior: names[id(prior)]) == "one.centre > two.centre"
    assert (a <= 50.0).describe(lambda prior: names[id(prior)]) == "one.centre <= 50.0"


def test_an_assertion_has_no_truth_value(a, b):
    with pytest.raises(TypeError, match="add_assertion"):
        bool(a > b)
    with pytest.raises(TypeError):
        if a < 1.0:
            pass
    with pytest.raises(TypeError):
        0.0 < a < 1.0  # noqa: B015 - the chained comparison calls bool()


# -- identity and hashing ---------------------------------------------------------------------


def test_priors_compare_by_identity_and_stay_hashable():
    first, second = af.UniformPrior(0.0, 1.0), af.UniformPrior(0.0, 1.0)
    assert first == first
    assert first != second
    assert not (first == second)
    assert first != 0.5
    assert hash(first) == hash(first)
    table = {first: 1.0, second: 2.0}
    assert len(table) == 2
    assert table[first] == 1.0
    assert table[second] == 2.0
    assert len({first, second, first}) == 2


def test_derived_parameters_are_hashable_by_identity(a):
    derived = a + 1.0
    other = a + 1.0
    assert derived == derived
    assert derived != other
    assert len({derived, other}) == 2
