"""Chapter 01's "guess, then compare": four linked sliders, a reveal, the comparison with Lambert."""

from __future__ import annotations

import ipywidgets as w

from widgets import factors, session
from widgets.i18n import catalog
from widgets.views._html import para, table
from widgets.views.chart import ChartView
from widgets.views.saving import SaveIndicator


def _signed(value: int) -> str:
    """``+5``, ``−5`` (a true minus sign) or ``0``."""
    return f"{value:+d}".replace("-", "\u2212") if value else "0"


class FactorsExercise(w.VBox):
    """Linked sliders that always sum to 100, and a button revealing Lambert's estimates beside them."""

    exercise_id = "guess_the_factors"

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        self.strings = catalog(lang)
        self.lang = lang
        self.session = current or session.current()
        self.shares = factors.starting_shares()
        self._syncing = False
        self._dirty = False
        self.revealed = False
        self.saved_state = SaveIndicator(lang)
        self._autosave = session.Autosave(self.save)
        t = self.strings

        self.sliders: dict[str, w.IntSlider] = {}
        rows: list[w.Widget] = []
        for key in factors.factor_ids():
            # The factor's name is the slider's label (its description; assets/js/router.js names the handle
            # by it), shown above the track, the hint under it.
            hint = w.HTML(para(t(f"factors.hints.{key}"), "wb-hint"))
            slider = w.IntSlider(
                description=t(f"factors.labels.{key}"),
                value=self.shares[key],
                min=0,
                max=factors.TOTAL,
                step=1,
                readout=True,
                continuous_update=True,
                layout=w.Layout(width="100%"),
            )
            slider.add_class("wb-slider").add_class(f"wb-slider-{key}")
            slider.observe(self._on_slide(key), names="value")
            self.sliders[key] = slider
            row = w.VBox([slider, hint])
            row.add_class("wb-factor").add_class(f"wb-factor-{key}")
            rows.append(row)

        self.total = w.HTML().add_class("wb-total")
        self.reveal_button = w.Button(description=t("factors.reveal"), button_style="primary")
        self.reveal_button.add_class("wb-reveal")
        self.reveal_button.on_click(lambda _button: self._reveal_and_save())
        self.reset_button = w.Button(description=t("factors.reset"))
        self.reset_button.add_class("wb-reset")
        self.reset_button.on_click(lambda _button: self._user_sets(factors.starting_shares()))
        self.chart = ChartView(fallback_text=t("factors.chart_title"))
        self.summary = w.HTML().add_class("wb-summary")
        actions = w.HBox([self.reveal_button, self.reset_button]).add_class("wb-actions")

        super().__init__(
            [
                w.HTML(para(t("factors.intro"), "wb-intro")),
                *rows,
                self.total,
                actions,
                self.chart,
                self.summary,
                self.saved_state,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-factors")
        self._show_total()
        self.session.subscribe(self.restore)
        self.restore()

    def _on_slide(self, key: str):
        def handler(change: dict) -> None:
            if not self._syncing:
                self._user_sets(factors.rebalance(self.shares, key, change["new"]))

        return handler

    def set_shares(self, shares: dict[str, int]) -> None:
        """Move every slider to ``shares`` (which the core guarantees sum to 100) without re-triggering."""
        self._syncing = True
        try:
            for key, slider in self.sliders.items():
                if slider.value != shares[key]:
                    slider.value = shares[key]
        finally:
            self._syncing = False
        self.shares = dict(shares)
        self._show_total()
        if self.revealed:
            self.reveal()

    def _user_sets(self, shares: dict[str, int]) -> None:
        self._dirty = True
        self.set_shares(shares)
        self.saved_state.saving()
        self._autosave()

    def save(self) -> None:
        """Keep the current shares (and whether they were compared) as this participant's answer."""
        self._autosave.cancel()
        value = {"shares": self.shares, "revealed": self.revealed}
        saved = self.session.save(self.exercise_id, self.lang, value, complete=self.revealed)
        self.saved_state.show(saved, self.session)

    def restore(self) -> None:
        """Show the participant's saved answer, unless they have already changed this one."""
        answer = self.session.answers.get(self.exercise_id)
        if answer is None or self._dirty:
            return
        shares = answer.value.get("shares", {})
        if set(shares) != set(factors.factor_ids()) or sum(shares.values()) != factors.TOTAL:
            return  # not an answer this version can show: leave the default
        self.set_shares({key: factors.clamp(shares[key]) for key in factors.factor_ids()})
        if answer.value.get("revealed"):
            self.reveal()
        self.saved_state.show(True, self.session)

    def _show_total(self) -> None:
        total = sum(self.shares.values())
        self.total.value = para(self.strings("factors.total", total=total), "wb-total-value")

    def _reveal_and_save(self) -> None:
        self._dirty = True
        self.reveal()
        self.save()

    def reveal(self) -> None:
        """Show the participant's estimate beside Lambert's: a chart, a table and what to make of it."""
        from widgets import figures

        t = self.strings
        reference = factors.lambert()
        gaps = factors.compare(self.shares, reference)
        biggest = factors.biggest_gap(gaps)
        threshold = factors.close_threshold()
        if abs(biggest.difference) <= threshold:
            verdict = t("factors.all_close", threshold=threshold)
        else:
            verdict = t(
                "factors.biggest_gap",
                factor=t(f"factors.labels.{biggest.factor}"),
                difference=_signed(biggest.difference),
            )
        rows = [
            [
                t(f"factors.labels.{gap.factor}"),
                figures.percent(gap.guess, self.lang),
                figures.percent(gap.reference, self.lang),
                _signed(gap.difference),
            ]
            for gap in gaps
        ]
        self.summary.value = (
            para(verdict, "wb-verdict")
            + table(
                t("factors.table_caption"),
                [
                    t("factors.column_factor"),
                    t("factors.column_yours"),
                    t("factors.column_lambert"),
                    t("factors.column_difference"),
                ],
                rows,
            )
            + para(
                t(
                    "factors.relationship_note",
                    relationship=reference["relationship"],
                    technique=reference["technique"],
                ),
                "wb-note",
            )
            + para(t("factors.caveat"), "wb-caveat")
        )
        self.chart.show(figures.factors_chart(self.shares, reference, self.lang))
        self.revealed = True
        self.reveal_button.description = t("factors.reveal_again")
