"""The documentation pages: every python code block runs and prints what its comments show.

Each page's ``python`` blocks run in order, in one fresh ``__main__`` namespace, in a subprocess
started from the repository root (so configuration pushed by one page never leaks into another).
A ``print(...)`` call followed by a comment shows the expected output: a trailing comment on the
line of the call (``print(model.prior_count)  # 3``) or the comment lines directly below it::

    print(model.info)
    # Total Free Parameters = 3
    # ...

The printed text must match, with ``...`` matching anything (doctest's ELLIPSIS) and ``≈X``
matching a number within 2 per cent of X or 5 units of its last decimal (numbers drawn by a
sampler, which change a little between versions of the sampler and numpy). Run one page by hand
with ``python test_autofit/test_docs.py docs/priors.md``.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import io
import os
import re
import subprocess
import sys
import tokenize
import traceback
import types
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = (
    "index.md",
    "installation.md",
    "overview.md",
    "model_composition.md",
    "priors.md",
    "configuration.md",
    "analysis.md",
    "searches.md",
    "jax.md",
    "samples_and_results.md",
    "model_comparison.md",
    "multiple_datasets.md",
    "graphical_models.md",
    "chaining.md",
    "grid_search.md",
    "sensitivity.md",
    "interpolation.md",
    "plots.md",
    "database.md",
    "running_at_scale.md",
    "security.md",
    "coming_from_pyautofit.md",
)
#: Optional packages a page's code runs, as (module, extra); the page is skipped without them
#: (the ``test`` extra installs them all).
PAGE_REQUIREMENTS = {
    "searches.md": (("zeus", "zeus"), ("nautilus", "nautilus"), ("h5py", "nautilus")),
    "jax.md": (("jax", "jax"), ("blackjax", "blackjax"), ("optax", "optax")),
    "running_at_scale.md": (("distributed", "dask"), ("mpi4py", "mpi")),
}
LANGUAGES = {"python", "text", "yaml", "bash", "console", "json"}
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


@dataclass(frozen=True)
class Block:
    """A fenced code block of a Markdown page."""

    language: str
    line: int
    source: str


@dataclass(frozen=True)
class Expectation:
    """The output a ``print`` call spanning lines ``first``-``last`` of a page should print."""

    first: int
    last: int
    text: str


def code_blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, with the page line number of its first line."""
    lines = text.splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        index += 1
        if match is None:
            continue
        indent, fence = len(match["indent"]), match["fence"]
        closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        start = index
        while index < len(lines) and not closing.match(lines[index]):
            index += 1
        body = [line[indent:] if line[:indent].isspace() else line for line in lines[start:index]]
        language = match["info"].split()[0] if match["info"].split() else ""
        blocks.append(Block(language, start + 1, "\n".join(body) + "\n"))
        index += 1
    return blocks


def _comment_text(comment: str) -> str:
    text = comment[1:]
    return text[1:] if text.startswith(" ") else text


def expectations(block: Block) -> list[Expectation]:
    """The expected output of each ``print`` call of a python block that is followed by one."""
    comments: dict[int, tuple[str, bool]] = {}
    for token in tokenize.generate_tokens(io.StringIO(block.source).readline):
        if token.type == tokenize.COMMENT:
            standalone = not token.line[: token.start[1]].strip()
            comments[token.start[0]] = (token.string, standalone)
    found = []
    for node in ast.walk(ast.parse(block.source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        ):
            continue
        end = node.end_lineno
        wanted = []
        if end in comments and not comments[end][1]:
            wanted.append(_comment_text(comments[end][0]))
        else:
            line = end + 1
            while line in comments and comments[line][1]:
                wanted.append(_comment_text(comments[line][0]))
                line += 1
        if wanted:
            offset = block.line - 1
            found.append(Expectation(node.lineno + offset, end + offset, "\n".join(wanted)))
    return found


def _normalised(text: str) -> str:
    lines = [line.rstrip() for line in text.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


#: ``≈X`` in an expected output: a printed number close to X (see :func:`approximately`).
APPROXIMATE = re.compile(r"≈(?P<number>[-+]?\d+(?:\.\d+)?)")
NUMBER = r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"


def approximately(expected: str, printed: str) -> bool:
    """Whether a printed number is within the tolerance of an ``≈X`` expectation.

    The tolerance is 2 per cent of X or 5 units of its last written decimal, whichever is
    larger (``≈-48.8`` accepts -49.7 to -47.8; ``≈24.5`` accepts 24.0 to 25.0): enough for the
    differences between versions of a sampler and numpy, not for a wrong result.
    """
    decimals = len(expected.partition(".")[2])
    tolerance = max(0.02 * abs(float(expected)), 5.0 * 10.0**-decimals)
    return abs(float(printed) - float(expected)) <= tolerance


def output_matches(expected: str, printed: str) -> bool:
    """Whether printed text matches the expected text.

    ``...`` matches anything (doctest's ELLIPSIS) and ``≈X`` matches a number close to X
    (:func:`approximately`); everything else must match exactly, apart from trailing spaces.
    """
    expected, printed = _normalised(expected), _normalised(printed)
    if not APPROXIMATE.search(expected):
        checker = doctest.OutputChecker()
        return checker.check_output(expected, printed, doctest.ELLIPSIS)
    pattern, targets, position = "", [], 0
    for match in APPROXIMATE.finditer(expected):
        pattern += _literal(expected[position : match.start()]) + NUMBER
        targets.append(match.group("number"))
        position = match.end()
    pattern += _literal(expected[position:])
    found = re.fullmatch(pattern, printed, re.DOTALL)
    return found is not None and all(
        approximately(target, number)
        for target, number in zip(targets, found.groups(), strict=True)
    )


def _literal(text: str) -> str:
    """A regular expression for exact text in which ``...`` matches anything."""
    return ".*?".join(re.escape(part) for part in text.split("..."))


def run_page(path: str) -> list[str]:
    """Run the python blocks of a page in a fresh ``__main__`` module; return the problems.

    Meant for a fresh interpreter: it replaces ``sys.modules["__main__"]``.
    """
    text = Path(path).read_text(encoding="utf-8")
    blocks = [block for block in code_blocks(text) if block.language == "python"]
    module = types.ModuleType("__main__")
    sys.modules["__main__"] = module
    namespace = module.__dict__
    printed: dict[int, list[str]] = {}

    def recording_print(*values, sep=" ", end="\n", file=None, flush=False):
        frame = sys._getframe(1)
        if file is None and frame.f_code.co_filename == path:
            buffer = io.StringIO()
            builtins.print(*values, sep=sep, end=end, file=buffer)
            printed.setdefault(frame.f_lineno, []).append(buffer.getvalue())
        builtins.print(*values, sep=sep, end=end, file=file, flush=flush)

    namespace["print"] = recording_print
    problems = []
    try:
        for block in blocks:
            code = compile("\n" * (block.line - 1) + block.source, path, "exec")
            try:
                exec(code, namespace)  # noqa: S102 - running the documentation is the point
            except Exception:  # noqa: BLE001 - reported with its traceback
                problems.append(f"{path}: the block at line {block.line} raised:\n")
                problems.append(traceback.format_exc())
                return problems
    finally:
        if "autofit" in sys.modules:
            sys.modules["autofit"].conf.instance.reset()
    for block in blocks:
        for expected in expectations(block):
            output = "".join(
                "".join(printed.get(line, [])) for line in range(expected.first, expected.last + 1)
            )
            if not output_matches(expected.text, output):
                problems.append(
                    f"{path}, line {expected.first}: printed output differs from the comment.\n"
                    f"--- expected\n{_normalised(expected.text)}--- printed\n{output}"
                )
    return problems


def run_in_subprocess(page: Path, temporary: Path) -> subprocess.CompletedProcess:
    """Run a page with :func:`run_page` in a fresh interpreter from the repository root."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("AUTOFIT_")
    }
    environment["TMPDIR"] = str(temporary)
    # Checkpoint MACs of the pages' fits use a key of their own, not the user's.
    environment["AUTOFIT_CHECKPOINT_KEY"] = str(temporary / "checkpoint.key")
    try:
        name = str(page.relative_to(ROOT))
    except ValueError:
        name = str(page)
    return subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), name],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_prints_what_it_shows(page, tmp_path):
    for module, extra in PAGE_REQUIREMENTS.get(page, ()):
        pytest.importorskip(module, reason=f"{page} runs {module}: pip install 'autofit[{extra}]'")
    completed = run_in_subprocess(DOCS / page, tmp_path)
    assert completed.returncode == 0, completed.stderr[-6000:]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_python_blocks_and_only_known_fences(page):
    blocks = code_blocks((DOCS / page).read_text(encoding="utf-8"))
    assert any(block.language == "python" for block in blocks)
    unknown = {block.language for block in blocks} - LANGUAGES
    assert not unknown, f"{page}: fences must be one of {sorted(LANGUAGES)}, got {unknown}"


@pytest.mark.parametrize("page", PAGES)
def test_every_print_shows_its_output_in_a_comment(page):
    for block in code_blocks((DOCS / page).read_text(encoding="utf-8")):
        if block.language != "python":
            continue
        shown = {expected.first for expected in expectations(block)}
        for node in ast.walk(ast.parse(block.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                line = node.lineno + block.line - 1
                assert line in shown, f"{page}, line {line}: print without its output in a comment"


@pytest.mark.parametrize("page", (*PAGES, "README.md"))
def test_relative_links_point_at_existing_files(page):
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    for block in code_blocks("\n".join(lines)):
        count = block.source.count("\n")
        lines[block.line - 1 : block.line - 1 + count] = [""] * count
    for match in LINK.finditer("\n".join(lines)):
        target = match["target"].split("#")[0]
        if not target or re.match(r"^[a-z]+:", target):
            continue
        assert (DOCS / target).exists(), f"{page} links to {target}, which does not exist"


def test_readme_and_index_list_every_page():
    for listing in ("README.md", "index.md"):
        text = (DOCS / listing).read_text(encoding="utf-8")
        for page in PAGES:
            if page != listing:
                assert f"({page})" in text, f"docs/{listing} does not link to {page}"


def test_expectations_read_trailing_and_following_comments():
    source = 'x = 2\nprint(x)  # 2\nprint(\n    "a\\nb"\n)\n# a\n#\n# b\nprint(x)\n\n# not output\n'
    found = expectations(Block("python", 10, source))
    assert found == [Expectation(11, 11, "2"), Expectation(12, 14, "a\n\nb")]


def test_output_matching_is_exact_apart_from_ellipsis_and_trailing_spaces():
    assert output_matches("Total = 3\n  x", "Total = 3   \n  x\n")
    assert output_matches("Searched: ...", "Searched: /tmp/a, /tmp/b")
    assert not output_matches("2.0", "2")
    assert not output_matches("a\nb", "a\n b")


def test_approximate_numbers_match_within_their_tolerance():
    assert output_matches("-48.8 +/- ...", "-48.8 +/- 0.5")
    assert output_matches("≈-48.8 +/- ...", "-49.2 +/- 0.5")
    assert output_matches("centre ≈50.0 (... to ...)", "centre 49.7 (49.1 to 50.3)")
    assert output_matches("≈24.5 and ≈3", "24.1 and 7")  # 3: at most 5 units off
    assert not output_matches("≈24.5", "23.9")
    assert not output_matches("≈-48.8 +/- ...", "-52.0 +/- 0.5")
    assert not output_matches("≈1.0 x", "1.0 y")


def test_a_page_with_wrong_output_or_a_failing_block_fails(tmp_path):
    wrong = tmp_path / "wrong.md"
    wrong.write_text("# Wrong\n\n```python\nprint(1 + 1)  # 3\n```\n", encoding="utf-8")
    completed = run_in_subprocess(wrong, tmp_path)
    assert completed.returncode == 1
    assert "line 4: printed output differs" in completed.stderr
    failing = tmp_path / "failing.md"
    failing.write_text(
        "# Failing\n\n```python\nx = 1\n```\n\ntext\n\n```python\nraise ValueError(x)\n```\n",
        encoding="utf-8",
    )
    completed = run_in_subprocess(failing, tmp_path)
    assert completed.returncode == 1
    assert "the block at line 10 raised" in completed.stderr
    assert "ValueError: 1" in completed.stderr


def test_blocks_of_a_page_share_one_namespace_and_classes_live_in_main(tmp_path):
    page = tmp_path / "shared.md"
    page.write_text(
        "# Shared\n\n```python\nclass Thing:\n    pass\n```\n\n"
        "```python\nimport sys\nprint(Thing.__module__, sys.modules['__main__'].Thing is Thing)"
        "  # __main__ True\n```\n",
        encoding="utf-8",
    )
    completed = run_in_subprocess(page, tmp_path)
    assert completed.returncode == 0, completed.stderr


def main(arguments: list[str]) -> int:
    """Run the pages named in ``arguments``; print problems to stderr."""
    sys.path[0] = os.getcwd()
    for category in (UserWarning, DeprecationWarning):
        warnings.filterwarnings("error", category=category, module="autofit")
    problems = []
    for path in arguments:
        problems += run_page(path)
    for problem in problems:
        builtins.print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
