"""Chapter 05's core: the check-in's answers and the alert rules, at their boundaries."""

import pytest

from widgets import checkin
from widgets.checkin import Rules, ScoreError, Series

RULES = Rules(item_cutoff=7, total_cutoff=30, item_drop=2, total_drop=3)


def session(heard=8, goals=8, approach=8, overall=8) -> dict[str, int]:
    return {"heard": heard, "goals": goals, "approach": approach, "overall": overall}


def rules_fired(scores, rules=RULES) -> list[tuple[int, str, str | None]]:
    return [(alert.session, alert.rule, alert.item) for alert in checkin.alerts(scores, rules)]


def test_the_items_are_the_same_in_both_languages_and_the_rules_are_the_assets():
    assert checkin.item_ids() == ("heard", "goals", "approach", "overall")
    assert tuple(item.id for item in checkin.items("en")) == checkin.item_ids()
    assert checkin.rules() == RULES
    assert checkin.maximum_total() == 40


def test_an_item_at_the_cut_off_is_no_alert_one_point_below_is():
    assert rules_fired([session(heard=7, goals=8, approach=8, overall=8)]) == []
    assert rules_fired([session(heard=6, goals=9, approach=9, overall=9)]) == [(1, "item_low", "heard")]


def test_the_total_at_the_cut_off_is_no_alert_one_point_below_is():
    at = session(heard=7, goals=7, approach=8, overall=8)  # 30
    below = session(heard=7, goals=7, approach=7, overall=8)  # 29
    assert checkin.total(at) == 30
    assert checkin.total(below) == 29
    assert rules_fired([at]) == []
    assert rules_fired([below]) == [(1, "total_low", None)]


def test_a_drop_of_exactly_the_set_points_is_an_alert_one_less_is_not():
    # item: 9 → 7 is a drop of 2 (alert), 9 → 8 of 1 (none); totals stay above the cut-off
    assert rules_fired([session(goals=9), session(goals=7)]) == [(2, "item_drop", "goals")]
    assert rules_fired([session(goals=9), session(goals=8)]) == []
    # total: 36 → 33 is a drop of 3 (alert), 36 → 34 of 2 (none), each item down by 1 at most
    first = session(heard=9, goals=9, approach=9, overall=9)
    three = session(heard=8, goals=8, approach=8, overall=9)
    two = session(heard=8, goals=8, approach=9, overall=9)
    assert rules_fired([first, three]) == [(2, "total_drop", None)]
    assert rules_fired([first, two]) == []


def test_the_first_session_has_no_previous_one_and_a_rise_is_never_an_alert():
    assert rules_fired([session(heard=10), session(heard=6, goals=10, approach=10, overall=10)]) == [
        (2, "item_low", "heard"),
        (2, "item_drop", "heard"),
    ]
    assert rules_fired([session(goals=7), session(goals=10)]) == []


def test_a_slow_drift_raises_no_drop_alert_only_the_cut_off_catches_it():
    drift = [session(*values) for values in ((10, 10, 9, 9), (10, 9, 9, 8), (9, 9, 8, 8), (9, 8, 8, 7),
                                             (8, 8, 7, 7), (8, 7, 7, 6))]  # fmt: skip
    assert [checkin.total(scores) for scores in drift] == [38, 36, 34, 32, 30, 28]
    assert rules_fired(drift) == [(6, "total_low", None), (6, "item_low", "overall")]


def test_an_alert_says_its_values():
    (low, drop) = checkin.alerts([session(heard=9), session(heard=6)], RULES)[-2:]
    assert (low.rule, low.value, low.limit) == ("item_low", 6, 7)
    assert (drop.rule, drop.previous, drop.value, drop.drop) == ("item_drop", 9, 6, 3)


@pytest.mark.parametrize("raw", ["7", 7, " 7 ", 7.0, "7,0"])
def test_a_score_is_a_whole_number_from_0_to_10(raw):
    assert checkin.score(raw) == 7


@pytest.mark.parametrize(
    ("raw", "code"),
    [("", "not_a_number"), ("sept", "not_a_number"), ("7.5", "not_a_number"), (None, "not_a_number"),
     (True, "not_a_number"), ("nan", "not_a_number"), ("inf", "not_a_number"), ("<b>8</b>", "not_a_number"),
     ("11", "off_scale"), ("-1", "off_scale"), (1e9, "off_scale")],
)  # fmt: skip
def test_anything_else_is_refused_with_a_reason(raw, code):
    with pytest.raises(ScoreError) as error:
        checkin.score(raw)
    assert error.value.code == code


def test_a_series_changes_one_answer_and_keeps_the_rest():
    case = checkin.clients("fr")[0]
    series = Series.of(case)
    changed = series.set(2, "goals", "3")
    assert changed.scores[1]["goals"] == 3
    assert changed.scores[0] == case.scores[0]
    assert series.scores[1]["goals"] == case.scores[1]["goals"]  # immutable
    with pytest.raises(ScoreError):
        series.set(2, "goals", "12")
    with pytest.raises(KeyError):
        series.set(len(case.scores) + 1, "goals", 5)
    with pytest.raises(KeyError):
        series.set(1, "mood", 5)


def test_a_damaged_saved_series_falls_back_to_the_case_where_it_does_not_fit():
    case = checkin.clients("fr")[0]
    assert Series.from_json(None, case) == Series.of(case)
    assert Series.from_json({"scores": "x"}, case) == Series.of(case)
    assert Series.from_json({"scores": [{}]}, case) == Series.of(case)  # wrong length
    saved = Series.of(case).to_json()
    saved["scores"][0] = {**saved["scores"][0], "heard": 99, "goals": 2}
    restored = Series.from_json(saved, case)
    assert restored.scores[0]["heard"] == case.scores[0]["heard"]
    assert restored.scores[0]["goals"] == 2


def test_every_client_has_the_same_sessions_and_numbers_in_both_languages_and_alerts_to_work_on():
    french, english = checkin.clients("fr"), checkin.clients("en")
    assert [case.id for case in french] == [case.id for case in english]
    assert [case.scores for case in french] == [case.scores for case in english]
    for case in french:
        assert 6 <= len(case.scores) <= 8
        assert all(set(scores) == set(checkin.item_ids()) for scores in case.scores)
    with_alerts = [case for case in french if checkin.alerts(case.scores)]
    assert len(with_alerts) >= 2
    assert {alert.rule for case in french for alert in checkin.alerts(case.scores)} == set(checkin.RULES)


def test_answer_ids_and_their_items():
    assert checkin.response_id("client-2", 4) == "checkin.client-2.s4"
    assert checkin.parse_item("client-2.s4") == ("client-2", 4)
    assert checkin.parse_item("client-2") == ("client-2", None)
    order = checkin.answer_order()
    assert order[0] == checkin.clients("fr")[0].id
    assert f"{checkin.clients('fr')[0].id}.s1" in order
