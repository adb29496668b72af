"""The files that can hold the priors of a class, and the classes searched."""

from __future__ import annotations

from autofit.config.prior_files import (
    PriorFile,
    classes_to_search,
    prior_files_for,
    qualified_name,
)


def test_files_for_a_class_in_a_package_module_in_search_order():
    files = prior_files_for("mypackage.profiles", "Gaussian")
    assert [(file.relative_path, file.class_key) for file in files] == [
        ("mypackage.profiles.yaml", "Gaussian"),
        ("mypackage.profiles.yml", "Gaussian"),
        ("mypackage/profiles.yaml", "Gaussian"),
        ("mypackage/profiles.yml", "Gaussian"),
        ("profiles.yaml", "Gaussian"),
        ("profiles.yml", "Gaussian"),
        ("Gaussian.yaml", None),
        ("Gaussian.yml", None),
    ]


def test_files_for_a_class_in_a_top_level_module_have_no_duplicates():
    files = prior_files_for("profiles", "Gaussian")
    assert files == (
        PriorFile(("profiles.yaml",), "Gaussian"),
        PriorFile(("profiles.yml",), "Gaussian"),
        PriorFile(("Gaussian.yaml",), None),
        PriorFile(("Gaussian.yml",), None),
    )


def test_nested_folders_are_path_components():
    files = prior_files_for("a.b.c", "K")
    assert PriorFile(("a", "b", "c.yaml"), "K") in files


class Parent:
    pass


class Child(Parent):
    pass


def test_classes_to_search_follow_the_mro_without_builtins():
    assert list(classes_to_search(Child)) == [Child, Parent]
    assert list(classes_to_search(ValueError)) == []


def test_qualified_name_joins_module_and_qualname():
    assert qualified_name(Child) == f"{__name__}.Child"
