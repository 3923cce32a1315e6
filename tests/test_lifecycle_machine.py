"""The transition table, the one transitions machine and the compiled table agree."""

from __future__ import annotations

import pytest
from transitions import MachineError

import infopen
from infopen._machine import COMPILED, MACHINE, TRANSITIONS, TRIGGERS, State, mermaid


class _Holder:
    __slots__ = ("_state",)

    def __init__(self, state: str) -> None:
        self._state = state


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_machine_and_compiled_table_agree(state: State, trigger: str) -> None:
    """For every (trigger, state): transitions refuses exactly when the compiled table has no row."""
    obj = _Holder(state.value)
    expected = COMPILED.get((trigger, state.value))
    if expected is None:
        with pytest.raises(MachineError):
            MACHINE.events[trigger].trigger(obj)
        assert obj._state == state.value
    else:
        assert MACHINE.events[trigger].trigger(obj)
        assert obj._state == expected


def test_mermaid_lists_every_row() -> None:
    """The diagram is drawn from the same table: one arrow per (source, trigger)."""
    text = mermaid()
    assert "delivered (送达)" in text
    for t in TRANSITIONS:
        if t.trigger == "delivered":  # a fact in every state, drawn as one note
            continue
        for s in t.sources:
            dest = s if t.dest is None else t.dest
            assert f"{s.value} --> {dest.value}: {t.trigger}" in text


def test_every_row_cites_an_article() -> None:
    """Each transition carries the article it comes from."""
    assert all(t.article for t in TRANSITIONS)


def test_transitions_is_not_exported() -> None:
    """transitions stays behind infopen's own API."""
    for name in infopen.__all__:
        assert not getattr(getattr(infopen, name), "__module__", "").startswith("transitions")


def test_docs_diagram_is_the_table() -> None:
    """docs/lifecycle.md carries exactly the diagram mermaid() draws from the table."""
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    assert "```{mermaid}\n" + mermaid() + "\n```" in page
