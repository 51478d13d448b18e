"""Chart specs are valid plotly figures (checked with plotly's own schema) built without importing plotly."""

import subprocess
import sys

import plotly.graph_objects as go
import pytest

from widgets import factors, figures


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_factors_chart_is_a_valid_plotly_figure(lang):
    guess = {"extratherapeutic": 10, "expectancy": 20, "technique": 40, "relationship": 30}
    spec = figures.factors_chart(guess, factors.lambert(), lang)
    figure = go.Figure(spec)  # raises on any property plotly does not know
    yours = figure.data[1]
    assert list(yours.x) == [30, 40, 20, 10]  # relationship … extratherapeutic, bottom to top
    assert figure.layout.xaxis.range == (0, 105)


def test_output_carries_the_mimetype_and_the_toolbar_config():
    output = figures.as_output(figures.factors_chart(factors.starting_shares(), factors.lambert(), "en"))
    bundle = output["data"][figures.MIMETYPE]
    assert bundle["config"]["toImageButtonOptions"]["format"] == "png"
    assert output["data"]["text/plain"].startswith("What contributes")


def test_building_a_chart_does_not_import_plotly():
    code = (
        "import sys; from widgets import figures, factors; "
        "figures.factors_chart(factors.starting_shares(), factors.lambert(), 'fr'); "
        "print('plotly' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_no_chart_can_send_a_participants_answers_to_plotly_cloud():
    """plotly.js 3 shows a "Share chart..." button by default: it uploads the figure to cloud.plotly.com."""
    config = figures.PLOT_CONFIG
    assert config["showSendToCloud"] is False
    assert config["plotlyServerURL"] == ""
    assert "sendChartToCloud" in config["modeBarButtonsToRemove"]
