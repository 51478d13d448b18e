"""widgets/_wire.py: a connecting page gets every widget's state, computed once, with ipywidgets' own models'
defaults left out — and nothing else changes (the rendering itself: every browser test)."""

from __future__ import annotations

import json

import anywidget
import ipywidgets as w
import pytest
import traitlets
from ipywidgets.widgets import widget as ipywidget

from widgets import _wire


class Probe(anywidget.AnyWidget):
    _esm = traitlets.Unicode("export default { render() {} }").tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)


class Comm:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def send(self, data, buffers=None) -> None:
        self.sent.append(data)


@pytest.fixture
def page(monkeypatch):
    """A few widgets as a page holds them, and the control comm a connecting page opens."""
    before = set(ipywidget._instances)
    made = [
        w.VBox([w.HTML("<p>texte</p>"), w.Button(description="Envoyer"), w.Text(value="déjà")]),
        Probe(value="x"),
    ]
    comm = Comm()
    monkeypatch.setattr(ipywidget.Widget, "_control_comm", comm)
    yield made, comm, set(ipywidget._instances) - before  # ours, their layouts and styles included
    for made_widget in made:
        made_widget.close()


def test_the_installed_ipywidgets_has_what_the_patch_relies_on():
    assert _wire.check() is None


def test_every_state_is_computed_once_and_sent_in_one_message(page, monkeypatch):
    _, comm, _ = page
    assert _wire.install()
    calls = []
    original, stock = _wire.state, ipywidget.Widget.get_state

    def counted(widget):
        calls.append(widget.model_id)
        return original(widget)

    def stock_counted(self, *args, **kwargs):
        calls.append(self.model_id)
        return stock(self, *args, **kwargs)

    monkeypatch.setattr(_wire, "state", counted)
    monkeypatch.setattr(ipywidget.Widget, "get_state", stock_counted)
    ipywidget.Widget._handle_control_comm_msg({"content": {"data": {"method": "request_states"}}})
    assert len(comm.sent) == 1
    assert comm.sent[0]["method"] == "update_states"
    assert set(comm.sent[0]["states"]) == set(ipywidget._instances)
    assert sorted(calls) == sorted(ipywidget._instances)  # ipywidgets' own handler: each twice


def test_only_the_defaults_of_ipywidgets_own_models_are_left_out_and_nothing_else_is_lost(page):
    made, _, ids = page
    lean = _wire.states(ipywidget._instances)
    for model_id, instance in ipywidget._instances.items():
        full = instance.get_state()
        sent = lean[model_id]["state"]
        standard = instance._model_module in _wire.STANDARD_MODULES
        assert sent == instance.get_state(drop_defaults=standard)  # what ipywidgets itself computes
        assert lean[model_id]["model_name"] == instance._model_name
        if instance._model_module in _wire.STANDARD_MODULES:
            defaults = {key: instance.traits()[key].default_value for key in full}
            assert {**defaults, **sent} == full  # the front end's defaults fill in exactly what was left out
        else:
            assert sent == full  # anywidget's code is a trait default: sent whole
    probe = next(m for m in made if isinstance(m, Probe))
    assert "_esm" in lean[probe.model_id]["state"]
    layout = made[0].layout
    assert lean[layout.model_id]["state"] == {}  # a Layout with nothing set: ~1 KB of nulls before
    ours = {key: ipywidget._instances[key] for key in ids}
    full_bytes = len(json.dumps({key: value.get_state() for key, value in ours.items()}))
    lean_bytes = len(json.dumps(_wire.states(ours)))
    assert lean_bytes < full_bytes / 2


def test_other_control_messages_still_reach_ipywidgets(page):
    assert _wire.install()
    with pytest.raises(RuntimeError, match="Unknown front-end to back-end widget control msg"):
        ipywidget.Widget._handle_control_comm_msg({"content": {"data": {"method": "something else"}}})
