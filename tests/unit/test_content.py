"""Content is data: every file under assets/ matches its schema, and both languages have every key."""

import hashlib
import json
import re
import string
from pathlib import Path

import jsonschema
import pytest

from widgets._assets import ASSETS, WORKBOOKS
from widgets.i18n import catalog, flatten, languages

SCHEMAS = {
    "i18n/fr.json": "catalog.schema.json",
    "i18n/en.json": "catalog.schema.json",
    "content/lambert.json": "lambert.schema.json",
    "content/settings.json": "settings.schema.json",
    "content/statements.fr.json": "statements.schema.json",
    "content/statements.en.json": "statements.schema.json",
    "content/first_calls.fr.json": "first_calls.schema.json",
    "content/first_calls.en.json": "first_calls.schema.json",
    "content/scaling.fr.json": "scaling.schema.json",
    "content/scaling.en.json": "scaling.schema.json",
    "content/checkin.json": "checkin_rules.schema.json",
    "content/checkin.fr.json": "checkin.schema.json",
    "content/checkin.en.json": "checkin.schema.json",
    "content/relationships.fr.json": "relationships.schema.json",
    "content/relationships.en.json": "relationships.schema.json",
    **{
        f"rubrics/{name}.{lang}.json": "rubric.schema.json"
        for name in (
            "reformulation",
            "pre_session",
            "scaling_followup",
            "checkin_response",
            "cooperation",
            "session_message",
        )
        for lang in ("fr", "en")
    },
    "rubrics/valence.fr.json": "valence.schema.json",
    "rubrics/valence.en.json": "valence.schema.json",
}


def load(relative: str):
    return json.loads((ASSETS / relative).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("document", "schema"), SCHEMAS.items())
def test_asset_matches_its_schema(document, schema):
    validator = jsonschema.Draft202012Validator(load(f"schema/{schema}"))
    errors = sorted(validator.iter_errors(load(document)), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


def test_every_json_asset_is_covered_by_a_schema():
    documents = {
        path.relative_to(ASSETS).as_posix()
        for path in ASSETS.rglob("*.json")
        if "schema" not in path.parts and "templates" not in path.parts
    }
    assert documents == set(SCHEMAS)


def test_schema_rejects_a_broken_catalog():
    broken = load("i18n/fr.json")
    del broken["factors"]["labels"]["relationship"]
    broken["site"]["title"] = "   "
    validator = jsonschema.Draft202012Validator(load("schema/catalog.schema.json"))
    assert len(list(validator.iter_errors(broken))) == 2


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_both_languages_have_every_key_with_the_same_placeholders():
    fr, en = (dict(flatten(load(f"i18n/{lang}.json"))) for lang in ("fr", "en"))
    assert set(fr) == set(en), f"only in fr: {set(fr) - set(en)}; only in en: {set(en) - set(fr)}"
    for key in fr:
        if isinstance(fr[key], str):
            assert placeholders(fr[key]) == placeholders(en[key]), key


def test_catalog_language_codes_match_file_names():
    for lang in languages():
        assert load(f"i18n/{lang}.json")["lang"] == lang


def test_lambert_shares_sum_to_100():
    assert sum(entry["percent"] for entry in load("content/lambert.json")["factors"]) == 100


def test_chapters_are_numbered_from_00_without_gaps_and_the_same_in_both_languages():
    numbers = {lang: [chapter.number for chapter in catalog(lang).chapters()] for lang in languages()}
    for lang, found in numbers.items():
        assert found == [f"{index:02d}" for index in range(len(found))], lang
    assert len({tuple(found) for found in numbers.values()}) == 1


def test_every_chapter_has_its_notebook_and_every_notebook_its_chapter():
    slugs = [chapter.slug for lang in languages() for chapter in catalog(lang).chapters()]
    assert len(slugs) == len(set(slugs)), "slugs must be unique across languages"
    expected = {chapter.path for lang in languages() for chapter in catalog(lang).chapters()} | {"app.ipynb"}
    found = {path.relative_to(WORKBOOKS).as_posix() for path in WORKBOOKS.rglob("*.ipynb")}
    found = {path for path in found if ".ipynb_checkpoints" not in path}
    assert found == expected


def test_slug_starts_with_its_number():
    for lang in languages():
        for chapter in catalog(lang).chapters():
            assert re.match(rf"^{chapter.number}-", chapter.slug)


def test_missing_key_raises_rather_than_showing_a_hole():
    with pytest.raises(KeyError, match="no string"):
        catalog("fr")("factors.nonexistent")
    with pytest.raises(ValueError, match="unsupported language"):
        catalog("de")


def test_assets_need_no_network_and_template_requests_no_other_host():
    template = ASSETS / "voila" / "templates" / "alliance"
    for path in template.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(src|href)=\"https?://", text), path


ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference"
FINGERPRINTS = Path(__file__).resolve().parents[1] / "data" / "reference-fingerprints.txt"
RUN = 8  # words


def _runs(text: str) -> set[str]:
    """Fingerprints of every run of ``RUN`` words (lower case, punctuation dropped): comparable without
    keeping the article's text in this repository."""
    words = re.findall(r"\w+", text.lower())
    return {
        hashlib.sha256(" ".join(words[i : i + RUN]).encode()).hexdigest()[:16]
        for i in range(len(words) - RUN + 1)
    }


def _stored_fingerprints() -> set[str]:
    lines = FINGERPRINTS.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_no_text_of_ours_copies_the_source_article():
    """Texts are in the project's own words: no 8-word run from the reference article (citations aside).
    The article's runs are kept as fingerprints, so the check runs on any checkout; where the article
    is beside the checkout, the fingerprints are checked against it too."""
    article = _stored_fingerprints()
    assert len(article) > 100
    if REFERENCE.is_dir():
        text = " ".join(path.read_text(encoding="utf-8") for path in sorted(REFERENCE.glob("*.txt")))
        assert _runs(text) == article, "tests/data/reference-fingerprints.txt is out of date"
    ours = [load(f"i18n/{lang}.json") for lang in languages()]
    banks = ("statements", "first_calls", "scaling", "checkin", "relationships")
    ours += [load(f"content/{name}.{lang}.json") for name in banks for lang in languages()]
    ours_text = " ".join(str(leaf) for doc in ours for _, leaf in flatten(doc))
    ours_text += " ".join(path.read_text(encoding="utf-8") for path in WORKBOOKS.rglob("*.ipynb"))
    ours_text += " ".join(path.read_text(encoding="utf-8") for path in (ROOT / "docs").glob("*.md"))
    ours_text += (ROOT / "README.md").read_text(encoding="utf-8")
    ours_text = re.sub(r"«[^»]*»|“[^”]*”", " ", ours_text)  # quoted titles in the sources lines are citations
    assert not _runs(ours_text) & article


def test_statement_banks_match_their_language_and_contexts():
    for lang in languages():
        bank = load(f"content/statements.{lang}.json")
        assert bank["lang"] == lang
        assert {entry["context"] for entry in bank["statements"]} == set(bank["contexts"])
    fr, en = (load(f"content/statements.{lang}.json") for lang in ("fr", "en"))
    assert list(fr["contexts"]) == list(en["contexts"])
    assert [entry["id"] for entry in fr["statements"]] == [entry["id"] for entry in en["statements"]]


@pytest.mark.parametrize(
    "name",
    [
        "reformulation",
        "pre_session",
        "scaling_followup",
        "checkin_response",
        "cooperation",
        "session_message",
    ],
)
def test_rubrics_have_the_same_criteria_in_both_languages(name):
    from widgets.rubric import load as load_rubric

    def shape(lang):
        rubric = load_rubric(name, lang)  # compiles every pattern, includes those of other rubrics
        return rubric.orientation, [
            (
                rule.id,
                rule.kind,
                rule.weight,
                rule.unless_met,
                rule.valence,
                sorted({pattern.points for pattern in rule.patterns} - {None}),
            )
            for rule in rubric.criteria
        ]

    assert shape("fr") == shape("en")
    for lang in languages():
        rubric = load_rubric(name, lang)
        ids = [rule.id for rule in rubric.criteria]
        assert len(ids) == len(set(ids))
        assert rubric.orientation <= set(ids)
        assert all(other in [*ids, "orientation"] for rule in rubric.criteria for other in rule.unless_met)
        for kind in (
            "problem",
            "absence",
            "turned",
        ):  # the valence reading has somewhere to put what it finds
            assert [rule.id for rule in rubric.criteria if rule.valence == kind], kind
        assert load(f"rubrics/{name}.{lang}.json")["lang"] == lang


def test_first_calls_and_vignettes_match_across_languages():
    def calls(lang):
        return [
            (
                call["id"],
                [
                    (turn["speaker"], [segment["key"] for segment in turn["segments"]])
                    for turn in call["turns"]
                ],
            )
            for call in load(f"content/first_calls.{lang}.json")["calls"]
        ]

    def vignettes(lang):
        return [
            (entry["id"], entry["context"], entry["numbers"], entry["good_enough"], len(entry["story"]))
            for entry in load(f"content/scaling.{lang}.json")["vignettes"]
        ]

    assert calls("fr") == calls("en")
    assert vignettes("fr") == vignettes("en")
    for lang in languages():
        for entry in load(f"content/scaling.{lang}.json")["vignettes"]:
            assert len(entry["numbers"]) == len(entry["story"]), entry["id"]
        for call in load(f"content/first_calls.{lang}.json")["calls"]:
            keys = [segment["key"] for turn in call["turns"] for segment in turn["segments"]]
            assert sum(key is not None for key in keys) >= 3, call["id"]
            helpers = [turn for turn in call["turns"] if turn["speaker"] == "helper"]
            assert all(segment["key"] is None for turn in helpers for segment in turn["segments"])


def test_valence_words_have_the_same_shape_in_both_languages():
    fr, en = load("rubrics/valence.fr.json"), load("rubrics/valence.en.json")
    assert fr.keys() == en.keys()
    assert fr["reach"] == en["reach"]


def test_rubric_schema_rejects_a_broken_rubric():
    broken = load("rubrics/reformulation.fr.json")
    broken = {**broken, "criteria": [{**broken["criteria"][0], "kind": "bonus", "patterns": []}]}
    validator = jsonschema.Draft202012Validator(load("schema/rubric.schema.json"))
    assert len(list(validator.iter_errors(broken))) == 2
