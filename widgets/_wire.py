"""What a page's widgets cost on the wire when it connects: half the work, half the bytes.

When a page connects, ipywidgets' front end asks the kernel for every widget's state in one message
(``request_states`` on the ``jupyter.widget.control`` comm). ipywidgets 8 answers it in
``Widget._handle_control_comm_msg``, which

- first computes ``get_manager_state()`` and throws the result away — every widget's state serialised twice;
- sends every trait of every model, defaults included: a ``Layout`` with nothing set is ~1 KB of nulls, and
  the home page has 40 of them.

:func:`install` replaces that handler with one that computes the states once and leaves out, for
ipywidgets' own models only (``@jupyter-widgets/base`` and ``@jupyter-widgets/controls``), the traits that
still hold their default value: the front end's models have the same defaults (it is how ipywidgets' own
HTML embedding sends them, ``get_manager_state(drop_defaults=True)``). Other models (anywidget's, whose code
is a trait default) are sent whole. Measured with `make bench`'s crowd series: the home page's states went
from 124 KB to about half, which the kernel encodes, the server passes on and the browser parses once per
participant who connects — for 300 arriving at once, seconds of the two cores' time.

A private ipywidgets API: :func:`check` says what is missing, and a unit test pins it, so that an upgrade of
ipywidgets that changes it fails the tests rather than the room; the kernel then keeps ipywidgets' own
handler.
"""

from __future__ import annotations

import logging
from typing import Any

STANDARD_MODULES = frozenset({"@jupyter-widgets/base", "@jupyter-widgets/controls"})
_installed = False


def check() -> str | None:
    """What this ipywidgets lacks of what :func:`install` relies on (``None``: nothing)."""
    from ipywidgets.widgets import widget

    if not callable(getattr(widget.Widget, "_handle_control_comm_msg", None)):
        return "Widget._handle_control_comm_msg"
    if not hasattr(widget.Widget, "_control_comm"):
        return "Widget._control_comm"
    if not isinstance(getattr(widget, "_instances", None), dict):
        return "ipywidgets.widgets.widget._instances"
    if not callable(getattr(widget, "_remove_buffers", None)):
        return "ipywidgets.widgets.widget._remove_buffers"
    return None


_plans: dict[type, tuple[bool, list[tuple[str, Any, Any]]]] = {}


def _plan(widget: Any) -> tuple[bool, list[tuple[str, Any, Any]]]:
    """For a widget's class: whether its defaults are left out, and each synced trait's name, its
    serialiser and its default — what ``Widget.get_state`` looks up again for every trait of every widget
    (a third of a kernel's work when a page connects). ``add_traits`` makes a class of its own, so a class
    is a safe key."""
    cls = type(widget)
    plan = _plans.get(cls)
    if plan is None:
        traits = widget.traits()
        serialisers = [
            (key, widget.trait_metadata(key, "to_json", widget._trait_to_json), traits[key].default_value)
            for key in widget.keys
        ]
        plan = _plans[cls] = (widget._model_module in STANDARD_MODULES, serialisers)
    return plan


def state(widget: Any) -> dict[str, Any]:
    """``widget.get_state(drop_defaults=…)``, defaults left out for ipywidgets' own models only."""
    lean, serialisers = _plan(widget)
    found = {}
    for key, to_json, default in serialisers:
        value = to_json(getattr(widget, key), widget)
        if not lean or not _same(value, default):
            found[key] = value
    return found


def _same(value: Any, default: Any) -> bool:
    if type(value).__module__ == "numpy" or type(default).__module__ == "numpy":
        return False  # ipywidgets compares arrays element-wise; none of the workbook's widgets holds one
    return bool(value == default)


def states(instances: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every widget's state as the front end asks for it, each computed once, defaults of ipywidgets' own
    models left out."""
    found = {}
    for widget in list(instances.values()):
        state_now = state(widget)
        found[widget.model_id] = {
            "model_name": widget._model_name,
            "model_module": widget._model_module,
            "model_module_version": widget._model_module_version,
            "state": state_now,
        }
    return found


def install() -> bool:
    """Answer ``request_states`` with :func:`states` (once per kernel). False when ipywidgets changed."""
    global _installed
    if _installed:
        return True
    missing = check()
    if missing is not None:
        logging.getLogger(__name__).warning(
            "ipywidgets has no %s: its own request_states handler stays", missing
        )
        return False
    from ipywidgets.widgets import widget

    stock = widget.Widget._handle_control_comm_msg

    @classmethod  # type: ignore[misc]
    def handle_control_comm_msg(cls, msg: dict) -> None:
        data = msg.get("content", {}).get("data", {})
        if cls._control_comm is None or data.get("method") != "request_states":
            return stock.__func__(cls, msg)
        full_state, buffer_paths, buffers = widget._remove_buffers(states(widget._instances))
        cls._control_comm.send(
            {"method": "update_states", "states": full_state, "buffer_paths": buffer_paths}, buffers=buffers
        )
        return None

    widget.Widget._handle_control_comm_msg = handle_control_comm_msg
    _installed = True
    return True
