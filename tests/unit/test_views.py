"""The ipywidgets views, driven the way the front end drives them: setting values and clicking."""

import pytest

from widgets import exercises, factors
from widgets.views.factors import FactorsExercise
from widgets.views.text_answer import TextAnswer


def readouts(view: FactorsExercise) -> dict[str, int]:
    return {key: slider.value for key, slider in view.sliders.items()}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_moving_one_slider_keeps_the_sum_at_100(lang):
    view = FactorsExercise(lang)
    view.sliders["relationship"].value = 55
    values = readouts(view)
    assert values["relationship"] == 55
    assert sum(values.values()) == 100
    assert values == view.shares
    assert "100" in view.total.value


def test_slider_values_stay_in_bounds():
    view = FactorsExercise("fr")
    view.sliders["technique"].value = 250  # what a typed readout could send
    assert view.sliders["technique"].value == 100
    assert readouts(view) == {"extratherapeutic": 0, "expectancy": 0, "technique": 100, "relationship": 0}
    view.sliders["technique"].value = -3
    assert view.sliders["technique"].value == 0
    assert sum(readouts(view).values()) == 100


def test_reveal_shows_chart_table_and_caveat_in_the_page_language():
    view = FactorsExercise("en")
    view.set_shares({"extratherapeutic": 10, "expectancy": 20, "technique": 40, "relationship": 30})
    view.reveal_button.click()
    assert view.revealed
    figure = view.chart.spec
    assert [trace["name"] for trace in figure["data"]] == ["Lambert’s estimate", "Your estimate"]
    assert "Factors outside therapy" in view.summary.value
    assert "−30" in view.summary.value or "-30" in view.summary.value
    assert "meta-analysis" in view.summary.value
    assert view.reveal_button.description == "Update the comparison"


def test_after_reveal_moving_a_slider_updates_the_comparison():
    view = FactorsExercise("fr")
    view.reveal()
    view.sliders["extratherapeutic"].value = 40
    yours = view.chart.spec["data"][1]
    assert 40 in yours["x"]


def test_reset_returns_to_an_even_split():
    view = FactorsExercise("fr")
    view.sliders["expectancy"].value = 70
    view.reset_button.click()
    assert readouts(view) == factors.starting_shares()


def test_text_answer_accepts_and_reports():
    accepted = []
    view = TextAnswer("reflection.01_practice", "fr", on_accept=accepted.append)
    view.box.value = "Dès le premier appel, je demanderai ce qui va déjà mieux."
    assert "57 / 2000" in view.counter.value
    view.submit.click()
    assert accepted == ["Dès le premier appel, je demanderai ce qui va déjà mieux."]
    assert "Réponse prise en compte" in view.message.value


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "la limite est de 20"), ("en", "the limit is 20")],
)
def test_over_long_text_gets_a_message_in_the_page_language_and_stays_in_the_box(lang, expected):
    accepted = []
    view = TextAnswer("reflection.01_practice", lang, on_accept=accepted.append, limit=20)
    view.box.value = "Première réponse ok"
    view.submit.click()
    typed = "x" * 25
    view.box.value = typed
    assert expected in view.message.value  # live, before submitting
    assert "wb-over" in view.counter.value
    view.submit.click()
    assert view.box.value == typed
    assert view.accepted == "Première réponse ok"
    assert accepted == ["Première réponse ok"]


def test_empty_submit_is_refused_with_a_message():
    view = TextAnswer("reflection.01_practice", "en")
    assert not view.accept()
    assert "Write a few words" in view.message.value


def test_typed_markup_is_never_rendered():
    view = TextAnswer("reflection.01_practice", "fr", limit=10)
    view.box.value = "<img src=x onerror=alert(1)>"
    view.submit.click()
    shown = view.counter.value + view.message.value + view.box.description
    assert "<img" not in shown
    assert "onerror" not in shown


def test_entry_points_refuse_an_unknown_language_or_exercise():
    with pytest.raises(ValueError, match="unsupported language"):
        exercises.guess_the_factors("de")
    with pytest.raises(KeyError, match="unknown exercise"):
        exercises.build("delete_everything", "fr")


def test_home_path_links_every_chapter_after_home():
    from widgets.views.home import chapter_path_html

    html = chapter_path_html("en")
    assert 'href="01-why-the-alliance.ipynb"' in html
    assert "00-welcome" not in html


def test_chart_is_a_mimetype_output_outside_the_workbook_server(monkeypatch):
    from widgets import figures
    from widgets.views.chart import ChartView

    monkeypatch.delenv(figures.PLOTLY_URL_VARIABLE, raising=False)
    view = ChartView()
    view.show(figures.factors_chart(factors.starting_shares(), factors.lambert(), "fr"))
    assert figures.MIMETYPE in view._chart.outputs[0]["data"]


def test_chart_loads_plotly_from_the_server_when_served(monkeypatch):
    from widgets import figures
    from widgets.views.chart import ChartView

    monkeypatch.setenv(figures.PLOTLY_URL_VARIABLE, "/workbook/plotly/plotly.min.js?v=1")
    view = ChartView()
    spec = figures.factors_chart(factors.starting_shares(), factors.lambert(), "en")
    view.show(spec)
    assert view._chart.plotly_url == "/workbook/plotly/plotly.min.js?v=1"
    assert view._chart.spec == spec
