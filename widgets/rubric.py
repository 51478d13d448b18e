"""Transparent rubrics for free-text answers: criteria read from ``assets/rubrics/``, matched on words.

A rubric is data (``assets/rubrics/<name>.<lang>.json``, validated by ``rubric.schema.json``): criteria, each
a *strength* or a *fault*, with a weight, the messages a person reads and the patterns that trigger it. This
module is the one engine every rubric-marked exercise uses (chapter 02's reformulations, later the questions
of chapters 03 and 04): it normalises the text, finds each criterion's evidence and maps it back to the words
the person typed, so that a view can highlight exactly those words.

Matching is done on a normalised copy of the text, so that patterns are written once, in lower case and
without accents:

- lower case, accents removed (``Déjà`` and ``deja`` read the same), typographic apostrophes made plain;
- French inclusive endings dropped (``convaincu·e``, ``prêt.e.s``, ``seul(e)`` read as the masculine form);
- English contractions expanded (``what's`` → ``what is``, ``haven't`` → ``have not``), and the shorthand
  of people typing fast spelt out (``u`` → ``you``; ``bcp`` → ``beaucoup``, ``pk`` → ``pourquoi``);
- apostrophes and hyphens read as spaces (``qu'est-ce`` → ``qu est ce``, ``jusqu'ici`` → ``jusqu ici``).

Patterns are regular expressions over whole words (the engine adds the word boundaries, so an asset needs
no backslashes: ``[a-z]*`` for a word's ending, a plain space between words), run sentence by sentence (a
pattern starting with ``^`` is anchored at the start of a sentence; a colon does not end one, so "à quel
chiffre vous diriez : ça me suffit ?" stays one question). A pattern may carry ``unless``: a match
is ignored when the same sentence also matches ``unless`` (``combien de fois`` amplifies a problem, unless
the sentence counts successes). A pattern with ``"in": "question"`` only counts in a question. A criterion
with ``unless_met`` does not count when that other criterion (or one of those) is met ("only closed
questions" is not a fault once the answer also asks an open one).

**Valence.** A word that usually marks a strength ("déjà", "jusqu'ici", "signes", "since when", "would you
like") is only a strength when what it points at is wanted: "what has already gone wrong?" is problem talk.
A pattern marked ``"points"`` is judged by the nearest word that carries valence after it (or just before
it), from ``assets/rubrics/valence.<lang>.json``: words of the problem or of a worsening, words of what is
better, words of a wish for an absence (arrêter de, never again), and the negations and comparisons that turn
a problem word round ("pas pire", "stopped it dropping", "less often"). A strength that points at the problem
becomes the rubric's ``problem`` criterion ("points": "progress"), a wish that points at an absence its
``absence`` criterion ("points": "want"); a problem-amplifying question that points at what is better or at a
problem turned round ("since when has it been better?", "how come it is not worse?") becomes its ``turned``
criterion ("points": "question"), as does any problem word turned round in a question. Where an answer both
opens and shuts, or a question asks "for better or worse", the verdict says so rather than judging.

The result is training feedback built from the solution-focused literature (``../shared/DOMAIN.md``), not a
validated measure: it reads words, not intentions, and says so to the people who use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import Any, Literal

from widgets._assets import load_json
from widgets.i18n import check_lang

Kind = Literal["strength", "fault"]
Notice = Literal["empty", "no_words"]
Points = Literal["progress", "want", "question"]
Target = Literal["problem", "better", "absence", "either", "none"]
#: Characters read per answer: twice the default answer limit (an answer over the limit cannot be saved
#: anyway). About 10 ms at this length on a 2-core machine; a whole 10,000-character text took 26–29 ms.
READ_LIMIT = 4000

_APOSTROPHES = dict.fromkeys(map(ord, "’‘`´ʼʹ′"), "'")
_INCLUSIVE = re.compile(
    r"(?<=[a-z])(?:[·•⋅∙](?:e|es|s|ne|nes|le|les|se|ses|te|tes|x)\b|\.(?:e|es|s)\b|\((?:e|es|s)\))+"
)
#: Contractions typed without their apostrophe (``dont``, ``whats``): one pattern, looked up here.
_APOSTROPHE_LESS = {
    **{word: f"{word[:-1]} is" for word in ("whats", "hows", "whos", "wheres", "thats", "theres")},
    **{word: f"{word[:-2]} not" for word in ("dont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent",
                                            "couldnt", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt")},
    "cant": "can not", "wont": "will not", "im": "i am", "ive": "i have", "weve": "we have",
    "youre": "you are", "youve": "you have", "youd": "you would", "youll": "you will",
    "theyre": "they are", "theyve": "they have",
}  # fmt: skip
_EN_CONTRACTIONS: tuple[tuple[str, str | dict[str, str]], ...] = (
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bshan't\b", "shall not"),
    (r"\bain't\b", "is not"),
    (r"n't\b", " not"),
    (r"\bi'm\b", "i am"),
    (r"'re\b", " are"),
    (r"'ve\b", " have"),
    (r"'ll\b", " will"),
    (r"'d\b", " would"),
    (r"\b(it|that|what|there|here|who|where|how|when|he|she|this|everything|nothing)'s\b", r"\1 is"),
    (r"\blet's\b", "let us"),
    # the same typed without the apostrophe
    (
        r"\b(?:whats|hows|whos|wheres|thats|theres|dont|didnt|doesnt|isnt|wasnt|arent|werent|cant|couldnt"
        r"|wouldnt|shouldnt|havent|hasnt|hadnt|youre|youve|youd|youll|theyre|theyve|ive|im|weve|wont)\b",
        _APOSTROPHE_LESS,
    ),
    # how people type in a hurry
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\burself\b", "yourself"),
    (r"\br\b", "are"),
    (r"\bpls\b", "please"),
    (r"\b(?:bc|cuz|coz)\b", "because"),
    (r"\bidk\b", "i do not know"),
    (r"\btbh\b", "to be honest"),
    (r"\brn\b", "right now"),
    (r"\btho\b", "though"),
    (r"\bw/", "with "),
    (r"\bits not\b", "it is not"),
)
_FR_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\bqqch\b", "quelque chose"),
    (r"\bqqn\b", "quelqu'un"),
    (r"\bbcp\b", "beaucoup"),
    (r"\btt\b", "tout"),
    (r"\bpr\b", "pour"),
    (r"\bds\b", "dans"),
    (r"\bvs\b", "vous"),
    (r"\bpk\b", "pourquoi"),
    (r"\bpq\b", "pourquoi"),
    (r"\bpcq\b", "parce que"),
    (r"\bqd\b", "quand"),
    (r"\bcb\b", "combien"),
    (r"\bpb\b", "probleme"),
    (r"\btjrs\b", "toujours"),
    (r"\bjms\b", "jamais"),
    (r"\btkt\b", "t'inquiete pas"),
    (r"\bjsp\b", "je sais pas"),
    (r"\bc\b(?!')", "c'est"),  # "c pas grave"
)
_SEPARATORS = re.compile(r"['\-‐‑–—_/]+")
_SPACES = re.compile(r"\s+")
_SENTENCE = re.compile(r"[^.!?…;\n]+(?:[.!?…;\n]+|$)")
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class _Mapped:
    """A normalised text and, for each of its characters, the span of the original text it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


@cache
def _fold(char: str) -> str:
    """One character as patterns see it: lower case, without accents, plain apostrophe."""
    base = unicodedata.normalize("NFD", char.translate(_APOSTROPHES)).lower()
    return "".join(piece for piece in base if not unicodedata.combining(piece))


def _per_char(raw: str) -> _Mapped:
    folded = "".join(map(_fold, raw))
    if len(folded) == len(raw):  # the usual case: one character for one
        return _Mapped(folded, tuple(range(len(raw))), tuple(range(1, len(raw) + 1)))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(raw):
        folded = _fold(char)
        chars.append(folded)
        starts.extend([index] * len(folded))
        ends.extend([index + 1] * len(folded))
    return _Mapped("".join(chars), tuple(starts), tuple(ends))


def _sub(mapped: _Mapped, pattern: re.Pattern[str], replacement: str | dict[str, str]) -> _Mapped:
    """``re.sub`` that keeps the map: replacement characters point at the span of what they replaced."""
    if pattern.search(mapped.text) is None:
        return mapped  # the usual case for most rewrites: nothing to copy
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in pattern.finditer(mapped.text):
        if match.end() == match.start():
            continue
        chars.append(mapped.text[position : match.start()])
        starts.extend(mapped.starts[position : match.start()])
        ends.extend(mapped.ends[position : match.start()])
        if isinstance(replacement, dict):
            new = replacement[match.group()]
        else:
            new = match.expand(replacement) if "\\" in replacement else replacement
        first, last = mapped.span(match.start(), match.end())
        chars.append(new)
        starts.extend([first] * len(new))
        ends.extend([last] * len(new))
        position = match.end()
    chars.append(mapped.text[position:])
    starts.extend(mapped.starts[position:])
    ends.extend(mapped.ends[position:])
    return _Mapped("".join(chars), tuple(starts), tuple(ends))


@cache
def _rewrites(lang: str) -> tuple[tuple[re.Pattern[str], str | dict[str, str]], ...]:
    table = _EN_CONTRACTIONS if lang == "en" else _FR_ABBREVIATIONS
    return tuple((re.compile(pattern), replacement) for pattern, replacement in table)


def normalize(raw: str, lang: str) -> _Mapped:
    """The text as patterns see it (see the module docstring), with its map back to ``raw``."""
    mapped = _per_char(raw)
    if lang == "fr":
        mapped = _sub(mapped, _INCLUSIVE, "")
    for pattern, replacement in _rewrites(lang):
        mapped = _sub(mapped, pattern, replacement)
    mapped = _sub(mapped, _SEPARATORS, " ")
    return _sub(mapped, _SPACES, " ")


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    unless: re.Pattern[str] | None
    questions_only: bool
    points: Points | None = None
    unless_anywhere: bool = False
    excepted: re.Pattern[str] | None = None  # an including rubric's own ``unless`` (see ``load``)

    @cached_property
    def whole_text_check(self) -> bool:
        """Whether a search of the whole text can rule the pattern out at once (it cannot when the
        pattern is anchored at a sentence's start or end)."""
        return "^" not in self.regex.pattern.replace("[^", "") and "$" not in self.regex.pattern


@dataclass(frozen=True)
class _CriterionRule:
    id: str
    kind: Kind
    weight: float
    label: str
    met: str
    unmet: str
    patterns: tuple[_Pattern, ...]
    unless_met: tuple[str, ...] = ()
    valence: Literal["problem", "absence", "turned"] | None = None


@dataclass(frozen=True)
class Rubric:
    """One rubric in one language, compiled."""

    name: str
    lang: str
    criteria: tuple[_CriterionRule, ...]
    orientation: frozenset[str]
    verdicts: dict[str, str]
    notices: dict[str, str]

    def routed(self, valence: str) -> str | None:
        """The criterion that receives what the valence reading finds of kind ``valence``."""
        return next((rule.id for rule in self.criteria if rule.valence == valence), None)

    def criterion(self, criterion_id: str) -> _CriterionRule:
        return next(rule for rule in self.criteria if rule.id == criterion_id)


def _words(pattern: str) -> re.Pattern[str]:
    """A pattern that only matches whole words (patterns are written without ``\\b``)."""
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


def _compile(pattern: str | dict[str, Any]) -> _Pattern:
    if isinstance(pattern, str):
        return _Pattern(_words(pattern), None, False)
    unless = pattern.get("unless")
    return _Pattern(
        _words(pattern["re"]),
        _words(unless) if unless else None,
        pattern.get("in") == "question",
        pattern.get("points"),
        pattern.get("unless_in") == "answer",
    )


def _ids(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _rule(entry: dict[str, Any]) -> _CriterionRule:
    return _CriterionRule(
        id=entry["id"],
        kind=entry["kind"],
        weight=float(entry["weight"]),
        label=entry["label"],
        met=entry["met"],
        unmet=entry["unmet"],
        patterns=tuple(_compile(pattern) for pattern in entry["patterns"]),
        unless_met=_ids(entry.get("unless_met")),
        valence=entry.get("valence"),
    )


@dataclass(frozen=True)
class Valence:
    """The words that carry valence in one language (``assets/rubrics/valence.<lang>.json``), compiled."""

    problem: re.Pattern[str]
    better: re.Pattern[str]
    absence: re.Pattern[str]
    turners: re.Pattern[str]
    far_turners: re.Pattern[str]
    after_turners: re.Pattern[str]
    boundaries: re.Pattern[str]
    either: re.Pattern[str]
    reported: re.Pattern[str]
    after: int
    before: int
    turn_reach: int
    far_turn_reach: int


def _any(patterns: list[str]) -> re.Pattern[str]:
    return _words("|".join(f"(?:{pattern})" for pattern in patterns))


@cache
def valence(lang: str) -> Valence:
    """The valence words of ``lang`` (cached)."""
    data = load_json(f"rubrics/valence.{check_lang(lang)}.json")
    return Valence(
        problem=_any(data["problem"]),
        better=_any(data["better"]),
        absence=_any(data["absence"]),
        turners=_any(data["turners"]),
        far_turners=_any(data["far_turners"]),
        after_turners=_any(data["after_turners"]),
        boundaries=_any(data["boundaries"]),
        either=_any(data["either"]),
        reported=_any(data["reported"]),
        after=data["reach"]["after"],
        before=data["reach"]["before"],
        turn_reach=data["reach"]["turn"],
        far_turn_reach=data["reach"]["far_turn"],
    )


def _excepted(rule: _CriterionRule, unless: str | None) -> _CriterionRule:
    """An included criterion: the very same rule, or a copy that ignores a sentence matching ``unless``."""
    if unless is None:
        return rule
    extra = _words(unless)
    return replace(rule, patterns=tuple(replace(pattern, excepted=extra) for pattern in rule.patterns))


@cache
def load(name: str, lang: str) -> Rubric:
    """The rubric ``name`` in ``lang`` (cached: compiled once per kernel).

    A rubric may ``include`` criteria of another one (``{"rubric": "reformulation", "criteria": [...]}``):
    they are used as they are written there, so a fault such as "advice" is defined once for every rubric.
    The include may add, per criterion, an ``unless`` of its own (``"unless": {"advice": "..."}``): a match
    does not count in a sentence that also matches it, in this rubric only (a proposal about the work
    together is not advice when a client's check-in is discussed).
    """
    data = load_json(f"rubrics/{name}.{check_lang(lang)}.json")
    criteria = [_rule(entry) for entry in data["criteria"]]
    for included in data.get("include", []):
        source = load(included["rubric"], lang)
        exceptions = included.get("unless", {})
        criteria += [
            _excepted(source.criterion(criterion_id), exceptions.get(criterion_id))
            for criterion_id in included["criteria"]
        ]
    return Rubric(
        name=name,
        lang=lang,
        criteria=tuple(criteria),
        orientation=frozenset(data["orientation"]),
        verdicts=data["verdicts"],
        notices=data["notices"],
    )


@dataclass(frozen=True)
class CriterionResult:
    """One line of feedback: a criterion, whether the answer meets it, and the words that triggered it."""

    id: str
    kind: Kind
    met: bool
    label: str
    message: str
    evidence: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Feedback:
    """What a rubric makes of one answer.

    ``score`` (0–1) adds the weights of the strengths met and takes off those of the faults found;
    ``solution_focused`` holds when at least one orientation criterion is met and no fault is found.
    ``notice`` says why an answer could not really be read (``"empty"``, ``"no_words"``); ``read`` is how
    many characters were read (all of them, unless the text is longer than ``READ_LIMIT``). ``mixed``: the
    answer both opens onto resources and holds a fault; ``unsure``: a word points at "better or worse" at
    once. The verdict then says so in plain words instead of judging.
    """

    text: str
    score: float
    solution_focused: bool
    criteria: tuple[CriterionResult, ...]
    verdict: str
    notice: Notice | None = None
    read: int = 0
    mixed: bool = False
    unsure: bool = False

    @property
    def partly_read(self) -> bool:
        return self.read < len(self.text)

    @property
    def strengths(self) -> tuple[CriterionResult, ...]:
        return tuple(result for result in self.criteria if result.kind == "strength")

    @property
    def faults(self) -> tuple[CriterionResult, ...]:
        return tuple(result for result in self.criteria if result.kind == "fault")

    def result(self, criterion_id: str) -> CriterionResult:
        return next(result for result in self.criteria if result.id == criterion_id)


def _sentences(text: str) -> Iterable[tuple[int, str, bool]]:
    """``(offset, sentence, is_question)`` for each sentence of a normalised text."""
    for match in _SENTENCE.finditer(text):
        sentence = match.group()
        stripped = sentence.lstrip()
        yield match.start() + len(sentence) - len(stripped), stripped, "?" in stripped


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_WORDS = re.compile(r"[a-z0-9]+")
#: A sentence that asks, even typed on a phone without its question mark.
_ASKS = re.compile(
    r"(?:(?:and|so|ok|okay|et|alors|ok) )?(?:what|how|when|who|which|where|qu est ce|comment|quand|qui|quel"
    r"|quelle|quels|quelles|est ce|depuis quand)(?![a-z0-9])"
)
_COMMA = re.compile(r"[,:()]")


@dataclass(frozen=True)
class _Term:
    """A word that carries valence in a sentence (offsets in the sentence); ``turned``: a problem word turned
    round by the negation or comparison starting at ``start`` ("pas pire", "stopped it dropping")."""

    start: int
    end: int
    kind: Literal["problem", "better", "absence", "turned"]


def _word_starts(sentence: str) -> list[int]:
    return [match.start() for match in _WORDS.finditer(sentence)]


def _lead_start(sentence: str, position: int, words: int, valence_: Valence) -> int:
    """Where the ``words`` words before ``position`` begin, not reaching back past a comma or a boundary."""
    starts = [start for start in _word_starts(sentence) if start < position]
    start = starts[-words] if len(starts) >= words else 0
    for stop in (
        *_COMMA.finditer(sentence, start, position),
        *valence_.boundaries.finditer(sentence, start, position),
    ):
        start = max(start, stop.end())
    return start


def _tail_end(sentence: str, position: int, words: int, valence_: Valence) -> int:
    """Where the ``words`` words after ``position`` end, not reaching past a comma or a boundary."""
    following = [match.end() for match in _WORDS.finditer(sentence, position)]
    end = following[words - 1] if len(following) >= words else len(sentence)
    stops = [stop.start() for stop in (*_COMMA.finditer(sentence, position, end),
                                       *valence_.boundaries.finditer(sentence, position, end))]  # fmt: skip
    return min([end, *stops])


def _terms(sentence: str, valence_: Valence) -> list[_Term]:
    """The words of ``sentence`` that carry valence, in order; a problem word wins over a better one."""
    terms: list[_Term] = []
    for match in valence_.problem.finditer(sentence):
        lead = _lead_start(sentence, match.start(), valence_.turn_reach, valence_)
        far = _lead_start(sentence, match.start(), valence_.far_turn_reach, valence_)
        turner = valence_.turners.search(sentence, lead, match.start()) or valence_.far_turners.search(
            sentence, far, match.start()
        )
        tail = _tail_end(sentence, match.end(), valence_.far_turn_reach, valence_)
        after = valence_.after_turners.search(sentence, match.end(), tail)
        if turner is not None:
            terms.append(_Term(turner.start(), match.end(), "turned"))
        elif after is not None:
            terms.append(_Term(match.start(), after.end(), "turned"))
        else:
            terms.append(_Term(match.start(), match.end(), "problem"))
    taken = [(term.start, term.end) for term in terms]
    for kind, regex in (("better", valence_.better), ("absence", valence_.absence)):
        for match in regex.finditer(sentence):
            if not any(match.start() < end and start < match.end() for start, end in taken):
                terms.append(_Term(match.start(), match.end(), kind))
                taken.append(match.span())
    return sorted(terms, key=lambda term: term.start)


def _target(
    sentence: str, start: int, end: int, terms: list[_Term], valence_: Valence, whole: bool = False
) -> tuple[Target, _Term | None]:
    """What the words at ``start:end`` point at: the nearest word carrying valence after them (within reach,
    or to the end of the sentence when ``whole``, and before a boundary such as "mais"), else one just
    before them; "either" for "better or worse"."""
    limit = len(sentence)
    following = [match.start() for match in _WORDS.finditer(sentence, end)]
    if not whole and len(following) > valence_.after:
        limit = following[valence_.after]
    boundary = valence_.boundaries.search(sentence, end, limit)
    if boundary is not None:
        limit = boundary.start()
    ahead = [term for term in terms if term.start >= start and term.end >= end and term.start < limit]
    if ahead:
        kinds = {
            "problem" if term.kind == "problem" else "better" for term in ahead if term.kind != "absence"
        }
        if kinds == {"problem", "better"} and valence_.either.search(sentence, end, limit):
            return "either", None
        first = ahead[0]
        return ("better" if first.kind == "turned" else first.kind), first
    lead = _lead_start(sentence, start, valence_.before, valence_)
    behind = [term for term in terms if lead <= term.start and term.end <= start]
    if behind:
        last = behind[-1]
        return ("better" if last.kind == "turned" else last.kind), last
    return "none", None


def _absence(sentence: str, end: int, terms: list[_Term], valence_: Valence) -> _Term | None:
    """A wish for an absence within reach after a "want" word ("voudriez… que les disputes cessent")."""
    following = [match.start() for match in _WORDS.finditer(sentence, end)]
    limit = following[valence_.after] if len(following) > valence_.after else len(sentence)
    boundary = valence_.boundaries.search(sentence, end, limit)
    limit = boundary.start() if boundary is not None else limit
    return next((term for term in terms if term.kind == "absence" and end <= term.start < limit), None)


@dataclass(frozen=True)
class _Hit:
    span: tuple[int, int]
    points: Points | None
    target: Target
    target_span: tuple[int, int] | None
    absence_span: tuple[int, int] | None = None  # a wish for an absence within reach ("arrêter de")


def _find(
    rule: _CriterionRule,
    mapped: _Mapped,
    sentences: list[tuple[int, str, bool]],
    terms: list[list[_Term]],
    valence_: Valence,
) -> list[_Hit]:
    hits: list[_Hit] = []
    # Most patterns match nowhere: one search of the whole text spares the sentence-by-sentence pass.
    patterns = [
        pattern
        for pattern in rule.patterns
        if not pattern.whole_text_check or pattern.regex.search(mapped.text) is not None
    ]
    for index, (offset, sentence, is_question) in enumerate(sentences):
        for pattern in patterns:
            if pattern.questions_only and not is_question:
                continue
            if pattern.unless is not None and pattern.unless.search(
                mapped.text if pattern.unless_anywhere else sentence
            ):
                continue
            if pattern.excepted is not None and pattern.excepted.search(sentence):
                continue
            for match in pattern.regex.finditer(sentence):
                if match.end() == match.start():
                    continue
                span = mapped.span(offset + match.start(), offset + match.end())
                if pattern.points is None or valence_.reported.search(sentence, 0, match.start()):
                    # No valence to read, or the person's own words reflected back ("vous dites que…").
                    hits.append(_Hit(span, None, "none", None))
                    continue
                # A problem question ("depuis quand…", "how come…") is read to the end of its sentence: what
                # it asks about may come after many words ("…des journées où vous fumez un peu moins").
                whole = pattern.points == "question"
                target, term = _target(sentence, match.start(), match.end(), terms[index], valence_, whole)
                where = mapped.span(offset + term.start, offset + term.end) if term is not None else None
                absence = None
                if pattern.points == "want":
                    wish = _absence(sentence, match.end(), terms[index], valence_)
                    absence = mapped.span(offset + wish.start, offset + wish.end) if wish else None
                hits.append(_Hit(span, pattern.points, target, where, absence))
    return hits


_QUOTES = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")


def _quoted(text: str) -> list[tuple[int, int]]:
    """Where ``text`` quotes someone: between « », “ ” or a pair of straight double quotes."""
    return [match.span() for match in _QUOTES.finditer(text)]


def _inside(span: tuple[int, int], regions: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in regions)


def _runs_into(span: tuple[int, int], regions: list[tuple[int, int]]) -> bool:
    """``span`` overlaps one of ``regions`` without holding it whole ("empêché" in "empêché de descendre",
    not a whole closed question that happens to hold one)."""
    return any(
        start < span[1] and span[0] < end and not (span[0] <= start and end <= span[1])
        for start, end in regions
    )


def _route(rubric: Rubric, rule: _CriterionRule, hit: _Hit) -> str | None:
    """Where a hit's evidence goes once what it points at is known: its own criterion, another one (a
    strength aimed at the problem is problem talk), or nowhere (the criterion the rubric would route it to
    is missing)."""
    if hit.points is None:
        return rule.id
    if rule.kind == "strength":
        if hit.points == "progress" and hit.target == "problem":
            return rubric.routed("problem")
        if hit.points == "want" and hit.absence_span is not None:
            return rubric.routed("absence")
        return rule.id
    if hit.points == "question" and hit.target == "better":
        return rubric.routed("turned")
    return rule.id


def assess(text: str, name: str, lang: str = "fr") -> Feedback:
    """Read ``text`` with the rubric ``name`` in ``lang``. Never raises on what a person may type.
    Only the first ``READ_LIMIT`` characters are read, so that feedback stays immediate."""
    rubric = load(name, lang)
    valence_ = valence(lang)
    text = text if isinstance(text, str) else ""
    read = min(len(text), READ_LIMIT)
    mapped = normalize(text[:read], lang)
    sentences = list(_sentences(mapped.text))
    notice: Notice | None = None
    if not text.strip():
        notice = "empty"
    elif not _WORD.search(mapped.text):
        notice = "no_words"
    found: dict[str, list[tuple[int, int]]] = {rule.id: [] for rule in rubric.criteria}
    unsure = False
    turned: list[tuple[int, int]] = []
    if notice is None:
        terms = [_terms(sentence, valence_) for _, sentence, _ in sentences]
        for rule in rubric.criteria:
            for hit in _find(rule, mapped, sentences, terms, valence_):
                unsure = unsure or hit.target == "either"
                destination = _route(rubric, rule, hit)
                if destination is None:
                    continue
                found[destination].append(hit.span)
                pointed = hit.absence_span if hit.absence_span is not None else hit.target_span
                if destination != rule.id and pointed is not None:
                    found[destination].append(pointed)  # the words it points at, shown too
        # A problem word turned round in a question ("pas pire ?", "what stopped it dropping?") is a resource
        # question, and its words are not a fault ("empêché", "stopping" would read as "what stops you").
        for (offset, sentence, is_question), sentence_terms in zip(sentences, terms, strict=True):
            asks = is_question or _ASKS.match(sentence) is not None
            for term in sentence_terms:
                if term.kind == "turned" and asks:
                    turned.append(mapped.span(offset + term.start, offset + term.end))
                    if rubric.routed("turned"):
                        found[rubric.routed("turned")].append(turned[-1])
    quoted = _quoted(text[:read])
    for rule in rubric.criteria:
        others = [rubric.orientation if other == "orientation" else (other,) for other in rule.unless_met]
        if any(found.get(other) for group in others for other in group):
            found[rule.id] = []  # e.g. "only closed questions" does not hold once there is an open one
        if rule.kind == "fault":
            # Words in quotation marks are someone else's ("hearing « it was only a dog » hurts"): quoting
            # a reproach is not making it.
            found[rule.id] = [
                span for span in found[rule.id] if not _inside(span, quoted) and not _runs_into(span, turned)
            ]
        found[rule.id] = _merge(found[rule.id])
    results = []
    for rule in rubric.criteria:
        spans = found[rule.id]
        met = bool(spans)
        results.append(
            CriterionResult(
                id=rule.id,
                kind=rule.kind,
                met=met,
                label=rule.label,
                message=rule.met if met else rule.unmet,
                evidence=tuple(dict.fromkeys(text[start:end] for start, end in spans)),
                spans=tuple(spans),
            )
        )
    gained = sum(rule.weight for rule, result in zip(rubric.criteria, results, strict=True)
                 if result.met and rule.kind == "strength")  # fmt: skip
    lost = sum(rule.weight for rule, result in zip(rubric.criteria, results, strict=True)
               if result.met and rule.kind == "fault")  # fmt: skip
    score = round(max(0.0, min(1.0, gained) - lost), 2)
    oriented = any(result.met for result in results if result.id in rubric.orientation)
    faulty = any(result.met for result in results if result.kind == "fault")
    solution_focused = oriented and not faulty
    mixed = oriented and faulty
    if notice is not None:
        verdict = rubric.notices[notice]
    elif mixed:
        verdict = rubric.verdicts["mixed"]
    elif unsure:
        verdict = rubric.verdicts["unsure"]
    elif solution_focused:
        verdict = rubric.verdicts["solution_focused"]
    elif faulty:
        verdict = rubric.verdicts["fault"]
    else:
        verdict = rubric.verdicts["not_oriented"]
    return Feedback(text, score, solution_focused, tuple(results), verdict, notice, read, mixed, unsure)
