"""Query builders (autofit/aggregator/attributes.py): which predicate each comparison builds."""

from __future__ import annotations

import pytest

import autofit as af
from autofit.aggregator.attributes import InfoQuery, ModelQuery, SearchQuery
from autofit.aggregator.query import (
    ComponentIs,
    FieldComparison,
    InfoComparison,
    Not,
    ParameterComparison,
)


def test_model_paths_follow_attributes_and_items():
    assert repr(ModelQuery().gaussian.centre) == "model.gaussian.centre"
    assert repr(ModelQuery()[0].centre) == "model.0.centre"
    query = ModelQuery().galaxies["lens"].centre > 1.0
    assert isinstance(query, ParameterComparison)
    assert (query.path, query.symbol, query.value) == ("galaxies.lens.centre", ">", 1.0)


def test_a_class_a_model_or_a_class_path_gives_a_component_query():
    for value in (af.ex.Gaussian, af.Model(af.ex.Gaussian), "autofit.example.model.Gaussian"):
        query = ModelQuery().gaussian == value
        assert isinstance(query, ComponentIs)
        assert (query.path, query.class_path) == ("gaussian", "autofit.example.model.Gaussian")
    root = ModelQuery() == af.Collection
    assert (root.path, root.class_path) == ("", "autofit.model.collection.Collection")
    negated = ModelQuery().gaussian != af.ex.Gaussian
    assert isinstance(negated, Not) and isinstance(negated.inner, ComponentIs)


def test_numbers_give_parameter_queries_with_every_operator():
    centre = ModelQuery().gaussian.centre
    built = [centre == 1, centre != 1, centre < 1, centre <= 1, centre > 1, centre >= 1]
    assert [query.symbol for query in built] == ["==", "!=", "<", "<=", ">", ">="]
    assert all(isinstance(query, ParameterComparison) for query in built)
    assert all(query.value == 1.0 and isinstance(query.value, float) for query in built)


def test_private_names_and_iteration_are_not_paths():
    with pytest.raises(AttributeError):
        ModelQuery()._private  # noqa: B018
    with pytest.raises(TypeError, match="cannot be iterated"):
        list(ModelQuery().gaussian)


def test_search_fields_and_completion():
    search = SearchQuery()
    name = search.name == "x"
    assert isinstance(name, FieldComparison) and (name.field, name.value) == ("name", "x")
    assert (search.unique_tag != "y").symbol == "!="
    assert (search.path_prefix >= "a").field == "path_prefix"
    complete = search.is_complete
    assert (complete.field, complete.symbol, complete.value) == ("is_complete", "==", True)
    unfinished = search.is_complete == False  # noqa: E712
    assert (unfinished.symbol, unfinished.value) == ("==", False)


def test_info_items_compare_by_kind():
    info = InfoQuery()
    assert (info["a"] == "text").kind == "text"
    assert (info["a"] == 2).kind == "number"
    assert (info["a"] == True).kind == "number"  # noqa: E712
    listed = info["a"] == [1, 2]
    assert isinstance(listed, InfoComparison) and (listed.kind, listed.value) == ("json", "[1, 2]")
    assert (info["a"] != None).value == "null"  # noqa: E711
    assert repr(info[3] > 1) == "info['3'] > 1.0"


def test_queries_are_unhashable_builders():
    with pytest.raises(TypeError):
        hash(ModelQuery().gaussian)
    with pytest.raises(TypeError):
        {SearchQuery().name: 1}
