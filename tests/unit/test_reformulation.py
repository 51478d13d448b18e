"""Chapter 02's core: the reformulation rubric (``widgets.reformulation.assess``) and the statement bank."""

import random

import pytest

from tests import labelled
from widgets import reformulation
from widgets.rubric import normalize


def criterion(feedback, criterion_id):
    return feedback.result(criterion_id)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Pourquoi pensez-vous qu'il ne vous écoute pas ?", False),
        ("fr", "Vous devriez vous entraîner davantage", False),
        ("fr", "Quand l'un d'eux s'est un peu mieux passé, qu'aviez-vous fait différemment ?", True),
        ("en", "Why do you think he doesn't listen to you?", False),
        ("en", "You should practise more.", False),
        ("en", "When one of them went a little better, what had you done differently?", True),
    ],
)
def test_the_issues_examples(lang, text, expected):
    assert reformulation.assess(text, lang).solution_focused is expected


def test_feedback_has_the_contract_other_checks_rely_on():
    feedback = reformulation.assess("Jusqu'ici, qu'est-ce qui vous a aidé à tenir ?", lang="fr")
    assert 0 <= feedback.score <= 1
    assert isinstance(feedback.solution_focused, bool)
    ids = [result.id for result in feedback.criteria]
    assert len(ids) == len(set(ids)) >= 8
    for result in feedback.criteria:
        assert isinstance(result.met, bool)
        assert result.message
        assert isinstance(result.evidence, tuple)
        assert bool(result.evidence) is result.met


def test_each_criterion_says_which_words_triggered_it():
    text = "C’est lourd. Jusqu’ici, qu’est-ce qui vous a aidé, même un peu ? Pourquoi ?"
    feedback = reformulation.assess(text, "fr")
    assert criterion(feedback, "acknowledges").evidence == ("lourd",)
    assert "Jusqu’ici" in criterion(feedback, "progress").evidence
    assert any("aidé" in words for words in criterion(feedback, "resources").evidence)
    assert criterion(feedback, "problem_amplifying").evidence == ("Pourquoi",)
    assert not feedback.solution_focused  # one "why" is enough to keep the person in the problem
    for result in feedback.criteria:
        for start, end in result.spans:
            assert text[start:end] in result.evidence  # spans point into what the person typed


def test_score_rewards_strengths_and_takes_off_faults():
    plain = reformulation.assess("Qu'aimeriez-vous à la place ?", "fr")
    richer = reformulation.assess(
        "C'est lourd. Qu'aimeriez-vous à la place, et qu'est-ce qui vous aide déjà un peu ?", "fr"
    )
    faulty = reformulation.assess("Qu'aimeriez-vous à la place ? Vous devriez en parler à votre chef.", "fr")
    assert richer.score > plain.score > faulty.score
    assert richer.score <= 1


@pytest.mark.parametrize(
    ("lang", "text", "criterion_id"),
    [
        # French: elision, missing accents, inclusive forms, hyphens
        ("fr", "Qu'est-ce qui a deja un peu change depuis votre appel ?", "progress"),
        ("fr", "Et a la place, qu'aimeriez-vous ?", "wanted_instead"),
        ("fr", "Comment vous y êtes-vous pris·e ?", "resources"),
        ("fr", "Vous êtes convaincu·e que c'est fichu : qu'est-ce qui vous a permis de venir ?", "resources"),
        ("fr", "Vous n'y arrivez pas encore : quel serait un premier petit signe ?", "progress"),
        # English: contractions, both apostrophes
        ("en", "You haven't found it yet. What's helped so far?", "progress"),
        ("en", "What’s already working, even a bit?", "resources"),
        ("en", "What'd you like instead?", "wanted_instead"),
        ("en", "You shouldn't wait.", "advice"),
        ("en", "Why'd you do that?", "problem_amplifying"),
    ],
)
def test_language_forms_people_really_type(lang, text, criterion_id):
    assert criterion(reformulation.assess(text, lang), criterion_id).met


def test_normalisation_maps_back_to_the_typed_text():
    typed = "Qu’ÉTAIT-CE, l’idée ? Prêt·e·s !"
    mapped = normalize(typed, "fr")
    assert mapped.text == "qu etait ce, l idee ? pret !"
    start = mapped.text.index("idee")
    assert mapped.span(start, start + 4) == (typed.index("idée"), typed.index("idée") + 4)
    start = mapped.text.index("pret")
    assert typed[slice(*mapped.span(start, start + 4))] == "Prêt"
    english = normalize("You haven’t.", "en")
    assert english.text == "you have not."


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("🙂🙂🙂 👍", "no_words"),
        ("?!…", "no_words"),
        ("1234", "no_words"),
    ],
)
def test_answers_with_nothing_to_read_get_a_notice_not_an_exception(lang, text, notice):
    feedback = reformulation.assess(text, lang)
    assert feedback.notice == notice
    assert feedback.score == 0
    assert not feedback.solution_focused
    assert feedback.verdict
    assert not any(result.met for result in feedback.criteria)


@pytest.mark.parametrize(
    ("lang", "text", "solution_focused"),
    [
        ("fr", "Pourquoi", False),
        ("fr", "Ah.", False),
        ("en", "Why", False),
        ("en", "Instead?", True),
        ("fr", "QU'AIMERIEZ-VOUS À LA PLACE ?", True),
        ("en", "WHY DON'T YOU JUST STOP?", False),
        ("fr", "🙂 Qu’est-ce qui va déjà un peu mieux ? 🙂", True),
    ],
)
def test_one_word_all_caps_and_emoji_answers(lang, text, solution_focused):
    assert reformulation.assess(text, lang).solution_focused is solution_focused


def test_contractions_typed_without_apostrophe_are_read_as_words():
    assert normalize("whats been going ok? I dont know, youre fine", "en").text == (
        "what is been going ok? i do not know, you are fine"
    )
    feedback = reformulation.assess("whats been a bit better since u called?", "en")
    assert "whats" in feedback.result("open_question").evidence[0]  # evidence is what was typed
    # and the shorthand of a phone keyboard
    assert normalize("c pas grave tkt, jsp", "fr").text == "c est pas grave t inquiete pas, je sais pas"
    assert reformulation.assess("c pas grave tkt", "fr").result("dismisses").met
    assert normalize("idk, its not w/ him", "en").text == "i do not know, it is not with him"


@pytest.mark.parametrize(
    ("lang", "quoting", "saying"),
    [
        ("fr", "Entendre « ce n’était qu’un chien » fait mal. Qu’est-ce qui t’aide un peu ?",
         "Ce n’était qu’un chien. Qu’est-ce qui t’aide un peu ?"),
        ("en", 'Being told "just get over it" hurts. What has helped you, even a little?',
         "Just get over it. What has helped you, even a little?"),
    ],
)  # fmt: skip
def test_quoting_someone_is_not_making_their_fault(lang, quoting, saying):
    assert reformulation.assess(quoting, lang).solution_focused
    assert not reformulation.assess(saying, lang).solution_focused


def test_markup_is_read_as_text():
    text = '<script>alert("x")</script><b onmouseover=1>Qu’aimeriez-vous à la place ?</b>'
    feedback = reformulation.assess(text, "fr")
    assert feedback.solution_focused
    for result in feedback.criteria:
        for words in result.evidence:
            assert words in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_very_long_answers_are_read_up_to_a_limit_and_the_page_says_so(lang):
    from widgets.i18n import catalog
    from widgets.rubric import READ_LIMIT
    from widgets.text import answer_limit
    from widgets.views.feedback import feedback_html

    assert 2 * answer_limit() <= READ_LIMIT  # every answer that can be saved is read whole
    sentence = {"fr": "Je comprends que ce soit difficile. ", "en": "I understand it is hard. "}[lang]
    question = {"fr": "Qu'aimeriez-vous à la place ?", "en": "What would you like instead?"}[lang]
    first = reformulation.assess(question + " " + sentence * 400, lang)
    assert first.partly_read
    assert first.read == READ_LIMIT
    assert first.solution_focused
    last = reformulation.assess(sentence * 400 + question, lang)  # 10,000 characters and more
    assert len(last.text) > 10_000
    assert not criterion(last, "wanted_instead").met  # beyond what is read…
    shown = feedback_html(catalog(lang), last)
    assert str(READ_LIMIT) in shown
    assert "wb-hint" in shown
    whole = reformulation.assess(sentence * 50 + question, lang)
    assert not whole.partly_read
    assert whole.solution_focused
    assert str(READ_LIMIT) not in feedback_html(catalog(lang), whole)


def test_an_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        reformulation.assess("Hallo", "de")


BANK_CONTEXTS = ("work", "couple", "parenting", "school", "health", "addiction", "grief", "mandated")
LABELLED = labelled.sets("reformulation")


def test_the_labelled_sets_are_there_in_both_languages():
    names = {labelled_set.path.name for labelled_set in LABELLED}
    assert {"set-a.fr.json", "set-a.en.json"} <= names
    for labelled_set in LABELLED:
        assert labelled_set.path.name.endswith(f".{labelled_set.lang}.json")
        assert len(labelled_set.items) >= 48
        labels = [labelled_set.label(item) for item in labelled_set.items]
        assert 0.35 < sum(labels) / len(labels) < 0.65, "both kinds, in similar numbers"
        assert set(BANK_CONTEXTS) <= {item["context"] for item in labelled_set.items}


@pytest.mark.parametrize("labelled_set", LABELLED, ids=lambda labelled_set: labelled_set.path.name)
def test_agreement_with_a_labelled_set(labelled_set):
    labelled.assert_agreement(labelled_set)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_banks_own_examples_are_read_as_resource_oriented(lang):
    misread = [
        f"{entry.id}: {example}"
        for entry in reformulation.statements(lang)
        for example in entry.exemplars
        if not reformulation.assess(example, lang).solution_focused
    ]
    assert not misread, "\n".join(misread)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_bank_covers_every_context(lang):
    bank = reformulation.statements(lang)
    contexts = reformulation.contexts(lang)
    assert len(bank) >= 24
    assert {entry.context for entry in bank} == set(contexts)
    expected = {"work", "couple", "parenting", "school", "health", "addiction", "grief", "mandated"}
    assert set(contexts) >= expected
    assert all(len(entry.exemplars) >= 2 for entry in bank)
    assert len({entry.id for entry in bank}) == len(bank)


def test_both_banks_hold_the_same_situations():
    def shape(lang):
        bank = reformulation.statements(lang)
        return [(entry.id, entry.context, len(entry.exemplars) >= 2) for entry in bank]

    assert shape("fr") == shape("en")


def test_moving_through_the_bank():
    first, second = reformulation.statements("fr")[:2]
    assert reformulation.next_statement(first.id, "fr").id == second.id
    last = reformulation.statements("fr")[-1]
    assert reformulation.next_statement(last.id, "fr").id == first.id
    grief = reformulation.statements("fr", "grief")
    assert reformulation.next_statement(first.id, "fr", "grief").id == grief[0].id
    rng = random.Random(7)
    picks = {reformulation.random_statement(first.id, "fr", rng=rng).id for _ in range(50)}
    assert first.id not in picks
    assert len(picks) > 10
    with pytest.raises(KeyError):
        reformulation.statement("nothing-1", "fr")
