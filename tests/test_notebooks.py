"""The notebooks are kept without outputs and use only the public API (pytest --nbmake runs them: pyproject.toml)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_there_is_a_walkthrough():
    assert [p.name for p in NOTEBOOKS] == ["planner_walkthrough.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_is_stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_uses_only_public_names(path):
    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
    imported = re.findall(r"from (bemanning[\w.]*) import ([^\n]+)", source)
    assert imported
    for module, names in imported:
        for name in (n.strip() for n in names.split(",")):
            assert not name.startswith("_") and not any(part.startswith("_") for part in module.split("."))
            assert name in __import__(module, fromlist=["__all__"]).__all__, f"{module}.{name} is not public"
