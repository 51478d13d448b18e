"""Chapter 03's core: the calls, and scoring what a participant marked."""

import pytest

from widgets import first_call


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_calls_have_markers_of_several_kinds(lang):
    calls = first_call.calls(lang)
    assert len(calls) >= 3
    names = first_call.categories(lang)
    for call in calls:
        kinds = {phrase.key for phrase in call.markers}
        assert len(kinds) >= 3
        assert kinds <= set(names)
        assert all(phrase.markable for phrase in call.markers)
        assert all(phrase.why for phrase in call.phrases if phrase.markable)
        assert len({phrase.id for phrase in call.phrases}) == len(call.phrases)
    with pytest.raises(KeyError):
        first_call.call("call-99", lang)


def test_score_says_found_missed_and_extra_in_the_calls_order():
    call = first_call.calls("fr")[0]
    markers = call.markers
    plain = next(phrase for phrase in call.phrases if phrase.markable and phrase.key is None)
    helper = next(phrase for phrase in call.phrases if not phrase.markable)
    result = first_call.score(call, [markers[1].id, plain.id, helper.id, "99-9", 42])
    assert result.found == (markers[1],)
    assert result.missed == tuple(markers[:1] + markers[2:])
    assert result.extra == (plain,)
    assert result.total == len(markers)
    assert result.state(markers[1].id) == "found"
    assert result.state(helper.id) is None  # the helper's words cannot be marked
    perfect = first_call.score(call, [phrase.id for phrase in markers])
    assert not perfect.missed
    assert not perfect.extra
    assert first_call.valid_marks(call, [plain.id, "nope", helper.id, markers[0].id]) == sorted(
        [plain.id, markers[0].id], key=[phrase.id for phrase in call.phrases].index
    )


def test_both_languages_mark_the_same_phrases():
    for fr, en in zip(first_call.calls("fr"), first_call.calls("en"), strict=True):
        assert [(p.id, p.key) for p in fr.phrases] == [(p.id, p.key) for p in en.phrases]


@pytest.mark.parametrize(
    ("lang", "tried"), [("fr", "J’ai essayé les tisanes"), ("en", "I’ve tried herbal teas")]
)
def test_what_the_caller_has_already_tried_is_a_resource(lang, tried):
    """Chapter 03 asks to note what the person has already tried (and what helped, even a little): the key
    agrees, so marking it counts as found, not as extra."""
    call = first_call.call("call-1", lang)
    phrase = next(phrase for phrase in call.phrases if phrase.text.startswith(tried))
    assert phrase.key == "resources"
    assert phrase in first_call.score(call, [phrase.id]).found
