"""Chapter 04's core: the scale chart's rules, its JSON, the vignettes, and its plotly figure."""

import math

import plotly.graph_objects as go
import pytest

from widgets import figures, scaling
from widgets.scaling import MAX_SESSIONS, ScaleChart, ScaleError


def test_points_notes_and_good_enough():
    chart = ScaleChart().place(1, 2).place(2, "3,5").place(3, 4.4)
    assert chart.points == {1: 2.0, 2: 3.5, 3: 4.5}  # half points; a French comma is read
    chart = chart.note(2, "not_zero", "  Elle est revenue  ").note(2, "next_sign", "Elle sortira")
    assert chart.notes[2] == {"not_zero": "Elle est revenue", "next_sign": "Elle sortira"}
    chart = chart.set_good_enough(7)
    assert chart.good_enough == 7
    assert scaling.is_complete(chart)
    moved = chart.place(2, 6)
    assert moved.points[2] == 6
    assert chart.points[2] == 3.5
    removed = moved.remove(2)
    assert 2 not in removed.points
    assert 2 not in removed.notes
    assert not scaling.is_complete(removed)


@pytest.mark.parametrize(
    ("session", "value", "code"),
    [
        (1, 11, "off_scale"),
        (1, -1, "off_scale"),
        (1, "douze", "not_a_number"),
        (1, float("nan"), "not_a_number"),
        (1, math.inf, "not_a_number"),
        (1, True, "not_a_number"),
        (0, 5, "session_range"),
        (2.5, 5, "session_range"),
        ("x", 5, "session_range"),
        (MAX_SESSIONS + 1, 5, "too_many_sessions"),
    ],
)
def test_bad_points_are_refused_with_a_reason(session, value, code):
    chart = ScaleChart().place(1, 3)
    with pytest.raises(ScaleError) as raised:
        chart.place(session, value)
    assert raised.value.code == code
    assert chart.points == {1: 3.0}  # nothing lost


def test_bad_notes_are_refused_with_a_reason():
    chart = ScaleChart().place(1, 3)
    with pytest.raises(ScaleError) as raised:
        chart.note(1, "not_zero", "x" * (scaling.NOTE_LIMIT + 1))
    assert raised.value.code == "note_too_long"
    assert raised.value.details == {"count": scaling.NOTE_LIMIT + 1, "limit": scaling.NOTE_LIMIT}
    with pytest.raises(ScaleError) as raised:
        chart.note(4, "next_sign", "un signe")
    assert raised.value.code == "no_point"
    cleaned = chart.note(1, "not_zero", "il\u202e est\x00 venu")
    assert cleaned.notes[1]["not_zero"] == "il est venu"  # control and direction characters dropped
    assert 1 not in chart.note(1, "not_zero", "a").note(1, "not_zero", "").notes.get(1, {})


def test_json_round_trip_and_lenient_reading():
    chart = ScaleChart().place(1, 2).place(4, 6.5).note(4, "next_sign", "<b>plus</b>").set_good_enough(8)
    assert ScaleChart.from_json(chart.to_json()) == chart
    damaged = {
        "points": {"1": 3, "2": 42, "11": 5, "x": 1, "3": "abc"},
        "notes": {"1": {"not_zero": "ok", "next_sign": "y" * 500}, "9": {"not_zero": "no point"}, "2": "bad"},
        "good_enough": "beaucoup",
    }
    read = ScaleChart.from_json(damaged)
    assert read.points == {1: 3.0}
    assert read.notes == {1: {"not_zero": "ok"}}
    assert read.good_enough is None
    assert ScaleChart.from_json(None) == ScaleChart()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_scaling_chart_is_a_valid_plotly_figure_that_escapes_notes(lang):
    chart = (
        ScaleChart()
        .place(1, 2)
        .place(3, 4.5)
        .note(3, "not_zero", '<img src=x onerror="x()">')
        .set_good_enough(7)
    )
    spec = figures.scaling_chart(chart, lang, "Cas <b>1</b>")
    figure = go.Figure(spec)  # raises on any property plotly does not know
    scale = figure.data[1]
    assert list(scale.x) == [1, 3]
    assert list(scale.y) == [2, 4.5]
    assert list(scale.text) == ["2", "4,5" if lang == "fr" else "4.5"]
    assert "<img" not in str(spec)
    assert "&lt;img" in str(scale.customdata)
    assert figure.layout.shapes[0].y0 == 7
    grid = figure.data[0]
    assert len(grid.x) == MAX_SESSIONS * 11  # every session × every whole number can be clicked
    assert figure.layout.title.text == "Cas &lt;b&gt;1&lt;/b&gt;"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_vignettes(lang):
    cases = scaling.vignettes(lang)
    assert len(cases) >= 3
    for case in cases:
        assert len(case.numbers) == len(case.story) <= MAX_SESSIONS
        assert all(0 <= number <= 10 for number in case.numbers)
        assert scaling.vignette(case.id, lang) == case
    with pytest.raises(KeyError):
        scaling.vignette("scale-99", lang)
