"""Bounded fuzzing of the reader: mutated bytes and mutated XML of a valid built workbook give a
normal ImportResult or a WorkbookFileError with a known code, never another exception.

scripts/fuzz_long.py runs the same mutations for as long as wanted."""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bad_inputs.mutate import BYTE_KINDS, KINDS, XML_KINDS, base_workbook, check, mutate


@pytest.fixture(scope="module", autouse=True)
def _built() -> None:
    base_workbook("zh-CN")   # built once (about 1 s), cached by mutate.base_workbook


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3), rng=st.randoms(use_true_random=False))
def test_mutated_workbooks_never_raise_anything_else(tmp_path, kinds, rng):
    data, done = mutate(base_workbook("zh-CN"), rng, kinds)
    outcome, detail = check(data, tmp_path)
    assert outcome != "FAIL", f"{done}\n{detail}"


@pytest.mark.parametrize("kind", KINDS)
def test_each_mutation_kind_once(tmp_path, kind):
    """Every mutator runs (seeded, so a failure replays exactly)."""
    rng = random.Random(f"kind-{kind}")
    data, done = mutate(base_workbook("zh-CN"), rng, [kind])
    assert done and (kind in BYTE_KINDS or kind in XML_KINDS)
    outcome, detail = check(data, tmp_path)
    assert outcome != "FAIL", f"{done}\n{detail}"
