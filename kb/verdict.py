"""Verdict stage: every difference between the report's words and a quote, classified.

The two token lists are aligned on their `form` keys. Each stretch where they differ is a
block, and a block is either form only (punctuation, an article, how a word or number is
written) or it changes the claim: a number or amount, a date or year, a negation, a direction
or comparison word, a name, other wording. A block that only leaves report words out is an
omission (the quote is partial) unless the words left out are a negation or direction word.
Nothing that cannot be shown to be form only is ever treated as form only.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from rapidfuzz.distance import Indel

from .lexical import STOPWORDS
from .tokens import MULTIPLIERS, Token, value

ARTICLES = frozenset({"de", "het", "een", "t", "n"})
NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "niks", "niemand", "nergens", "geenszins", "allerminst"})
DIRECTIONS = frozenset("""gestegen gedaald stijging stijgingen daling dalingen stijgen dalen stijgt daalt steeg stegen
daalde daalden toename toenames afname afnames toegenomen afgenomen toenemen afnemen toe af
meer minder hoger lager hoog laag groter kleiner langer korter sneller langzamer trager vaker eerder later
ruim bijna ruimschoots nagenoeg circa ongeveer ca maximaal minimaal minstens tenminste hooguit
meest minst hoogste laagste grootste kleinste verdubbeld gehalveerd verhoogd verlaagd gegroeid gekrompen groei
krimp opgelopen teruggelopen beter slechter verbeterd verslechterd verdrievoudigd""".split())
MONTHS = frozenset("""januari februari maart april mei juni juli augustus september oktober november december
jan feb mrt apr jun jul aug sep sept okt nov dec""".split())
UNITS = ("%", "€")
ORDERED = frozenset({"number", "date", "negation", "name"})  # whose place in a sentence is part of the claim
CLAIM_KINDS = ("number", "date", "negation", "direction", "name")


@dataclass(frozen=True)
class Change:
    """A difference that can change the claim: what the report says and what the text says
    instead (either may be empty: a word added or left out); `at` is the report side's span."""

    kind: str  # number | date | negation | direction | name | wording
    report: str
    text: str
    at: tuple[int, int] | None = None
    doc_id: str = ""


@dataclass
class Comparison:
    """The outcome of comparing a report span with a text: the claim changes, the report
    words the text leaves out, which text tokens are the report's words, and exactness."""

    changes: list[Change] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    covered: int = 0  # text words (not punctuation) that are the report's own, in form
    words: int = 0  # text words (not punctuation)
    exact: bool = True
    gaps: list[tuple[int, int]] = field(default_factory=list)  # text token ranges not in the report
    anchor: int = 0  # words in the longest run of the report's own that has a word other than a stop word
    lead: int = 0  # text tokens before the report's first (the text begins with words of its own)
    trail: int = 0  # text tokens after the report's last


Block = tuple[int, int, int, int]  # report tokens [a, b), text tokens [c, d)


def blocks(src: list[Token], dst: list[Token]) -> tuple[list[Block], list[Block]]:
    """(equal runs, differing blocks) of the two token lists aligned on their form keys;
    neighbouring inserts and deletes are one block."""
    equal, differ = [], []
    for op in Indel.opcodes([t.form for t in src], [t.form for t in dst]):
        run = (op.src_start, op.src_end, op.dest_start, op.dest_end)
        if op.tag == "equal":
            equal.append(run)
        elif differ and differ[-1][1] == run[0] and differ[-1][3] == run[2]:
            differ[-1] = (differ[-1][0], run[1], differ[-1][2], run[3])
        else:
            differ.append(run)
    return equal, differ


def is_year(token: Token) -> bool:
    return token.kind == "number" and token.text.isdigit() and len(token.text) == 4 and 1900 <= int(token.text) <= 2099


def category(tokens: list[Token], i: int) -> str:
    """What a token is for the claim: punct, article, number, date, negation, direction, name
    or content."""
    t = tokens[i]
    if t.form in UNITS or t.form in MULTIPLIERS or (t.kind == "number" and not is_year(t)):
        return "number"
    if is_year(t) or t.form in MONTHS:
        return "date"
    if t.kind == "punct":
        return "punct"
    if t.form.isdigit():  # a number word: "twee"
        return "number"
    for kind, words in (("article", ARTICLES), ("negation", NEGATIONS), ("direction", DIRECTIONS)):
        if t.form in words:
            return kind
    initial = i == 0 or tokens[i - 1].text in ".!?:"
    if t.text[0].isupper() and (not initial or (t.text.isupper() and len(t.text) > 1)):
        return "name"
    return "content"


def amounts(tokens: list[Token]) -> tuple[list[Decimal], Counter]:
    """The numbers of a block as values (a multiplier word applied: "2,5 miljoen" = 2500000)
    and its units (%, €) as a multiset."""
    values: list[Decimal] = []
    units: Counter = Counter()
    after_number = False
    for t in tokens:
        if t.form in MULTIPLIERS:
            if after_number:
                values[-1] *= MULTIPLIERS[t.form]
            else:
                values.append(Decimal(MULTIPLIERS[t.form]))
        elif t.form in UNITS:
            units[t.form] += 1
        elif (v := value(t)) is not None:
            values.append(v)
        after_number = value(t) is not None
    return values, units


def priced(tokens: list[Token]) -> list[tuple[Decimal, frozenset]]:
    """Each number as the amount it states: its multiplier applied and the units beside it, so
    "€ 450,2 mln" and "450,2 miljoen euro" are both (450200000, {€}), and "€ 5 en 3" differs
    from "5 en € 3"."""
    out = []
    for i, t in enumerate(tokens):
        amount = value(t)
        if amount is None:
            continue
        units = {tokens[i - 1].form} if i and tokens[i - 1].form in UNITS else set()
        for after in tokens[i + 1:]:
            if after.form in MULTIPLIERS:
                amount *= MULTIPLIERS[after.form]
            elif after.form in UNITS:
                units.add(after.form)
            else:
                break
        out.append((amount, frozenset(units)))
    return out


def spelled(tokens: list[Token], text: str) -> str:
    """The tokens as written in `text`, from the first to the last."""
    return " ".join(text[tokens[0].start:tokens[-1].end].split()) if tokens else ""


def by_category(tokens: list[Token], lo: int, hi: int) -> dict[str, list[Token]]:
    out: dict[str, list[Token]] = {}
    for i in range(lo, hi):
        out.setdefault(category(tokens, i), []).append(tokens[i])
    return out


def _negated(report: list[Token], text: list[Token]) -> tuple[Token, Token] | None:
    """A content word and its "on-" form on the other side: "voldoende" / "onvoldoende"."""
    for r in report:
        for t in text:
            if t.form == "on" + r.form or r.form == "on" + t.form:
                return r, t
    return None


def _same(kind: str, report: list[Token], text: list[Token]) -> bool:
    if kind == "number":
        return amounts(report) == amounts(text)
    if kind in ("negation", "direction"):
        return Counter(t.form for t in report) == Counter(t.form for t in text)
    return [t.form for t in report] == [t.form for t in text]


def _with_units(tokens: list[Token], side: list[Token]) -> list[Token]:
    """The tokens from the first to the last of `side`, widened to the whole amount as written:
    the number, its units and multiplier ("€ 2,5 miljoen", "1,1%")."""
    if not side:
        return side
    lo, hi = tokens.index(side[0]), tokens.index(side[-1]) + 1

    def part(t: Token) -> bool:
        return t.form in UNITS or t.form in MULTIPLIERS or value(t) is not None
    while lo > 0 and part(tokens[lo - 1]) and (tokens[lo - 1].form == "€" or not value(tokens[lo])):
        lo -= 1
    while hi < len(tokens) and part(tokens[hi]) and (tokens[hi - 1].form == "€" or not value(tokens[hi])):
        hi += 1
    return tokens[lo:hi]


def _beside(tokens: list[Token], at: int) -> list[Token]:
    """The number just before position `at`, where a unit or multiplier was added or dropped."""
    return [tokens[at - 1]] if at > 0 and value(tokens[at - 1]) is not None else []


def _words(tokens: list[Token]) -> str:
    """The tokens' form keys run together, punctuation left out but not "%" and "€"."""
    return "".join(t.form for t in tokens if t.kind != "punct" or t.form in UNITS)


def classify(src: list[Token], dst: list[Token], block: Block, src_text: str, dst_text: str,
             same_amounts: bool = False) -> tuple[list[Change], list[str]]:
    """The claim changes of one differing block, and the report words it only leaves out. With
    `same_amounts` (both sides state the same amounts, `priced`), how a block writes an amount's
    unit or multiplier is form only."""
    a, b, c, d = block
    if _words(src[a:b]) == _words(dst[c:d]):
        return [], []  # punctuation, or one word written as two: "mvv aanvragen" / "mvvaanvragen"
    report, text = by_category(src, a, b), by_category(dst, c, d)
    changes: list[Change] = []
    omitted: list[Token] = []
    content_r, content_t = report.get("content", []), text.get("content", [])
    if pair := _negated(content_r, content_t):
        changes.append(Change("negation", pair[0].text, pair[1].text, (pair[0].start, pair[0].end)))
        content_r, content_t = [x for x in content_r if x is not pair[0]], [x for x in content_t if x is not pair[1]]
    for kind, r, t in [*((k, report.get(k, []), text.get(k, [])) for k in CLAIM_KINDS), ("wording", content_r, content_t)]:
        if _same(kind, r, t) or (kind == "number" and same_amounts):
            continue
        if not t and kind not in ("negation", "direction") and not (kind == "number" and not any(map(value, r))):
            omitted += r  # left out, not changed: the quote is partial (but a unit or "mln" left out changes the amount)
        else:
            if kind == "number":  # as the reader reads it: "1,1%", "€ 18 miljoen"; "12%" -> "12"
                r, t = _with_units(src, r or _beside(src, a)), _with_units(dst, t or _beside(dst, c))
            changes.append(Change(kind, spelled(r, src_text), spelled(t, dst_text), (r[0].start, r[-1].end) if r else None))
    return changes, [spelled([x], src_text) for x in sorted(omitted, key=lambda x: x.start)]


def _run(tokens: list[Token]) -> int:
    """The words of an equal run, or 0 when all are stop words ("bij de IND" anchors nothing)."""
    words = [t for t in tokens if t.kind != "punct"]
    return len(words) if any(t.form not in STOPWORDS for t in words) else 0


def _moves(src: list[Token], dst: list[Token], differ: list[Block]) -> list[tuple[Block, Block]]:
    """Words the text moved: a block only left out in one place and only added in another,
    the same words (the order of words can change a claim: a move is a wording change)."""
    gone = {_words(src[a:b]): (a, b, c, d) for a, b, c, d in differ if c == d and b > a}
    pairs = []
    for a, b, c, d in differ:
        key = _words(dst[c:d])
        if a == b and key in gone:
            pairs.append((gone.pop(key), (a, b, c, d)))
    return pairs


def _reordered(src: list[Token], dst: list[Token], differ: list[Block]) -> set[Block]:
    """The blocks that only leave report words out or only add words that the other side has in
    another place (Dutch orders a claim anew after "Volgens ..." or "... meldt dat"), none of
    them a number, a date (but "in 2012"), a negation or a name."""
    gone = [blk for blk in differ if blk[2] == blk[3]]
    added = [blk for blk in differ if blk[0] == blk[1]]
    if _compared(src) != _compared(dst):
        return set()  # "meer klachten dan aanvragen" -> "meer aanvragen dan klachten" is no order
    common = Counter(_forms(src, gone, 0)) & Counter(_forms(dst, added, 2))
    out = set()
    for blk, tokens, side in [*((b, src, 0) for b in gone), *((b, dst, 2) for b in added)]:
        lo, hi = blk[side], blk[side + 1]
        kinds = {category(tokens, i) for i in range(lo, hi) if not _time_adverbial(tokens, i, lo)}
        if set(_forms(tokens, [blk], side)) <= common.keys() and not kinds & ORDERED:
            out.add(blk)
    return out


def _compared(tokens: list[Token]) -> set[tuple[str, bool]]:
    """Each word with whether it stands before the first "dan" (what is compared with what)."""
    at = next((i for i, t in enumerate(tokens) if t.form == "dan"), None)
    return set() if at is None else {(t.form, i < at) for i, t in enumerate(tokens) if t.kind == "word" and t.form != "dan"}


def _forms(tokens: list[Token], spans: list[Block], side: int) -> list[str]:
    """The words of the blocks' tokens on one side (0: the report's, 2: the text's)."""
    return [t.form for blk in spans for t in tokens[blk[side]:blk[side + 1]] if t.kind != "punct"]


def _time_adverbial(tokens: list[Token], i: int, start: int) -> bool:
    """Is token i a year after "in" within a moved block from `start` ("In 2012 zijn" -> "zijn in 2012")?"""
    return is_year(tokens[i]) and i > start and tokens[i - 1].form == "in"


def compare(src: list[Token], dst: list[Token], src_text: str, dst_text: str, attributed: bool = False) -> Comparison:
    """Every difference between the report's tokens `src` and the text's `dst`, classified. With
    `attributed` (the text's claim said as the report's, its frame left off) words moved are word
    order, not a change, unless they are numbers, dates, negations or names: Dutch moves the verb
    and the words before it after "Volgens ..." or "... meldt dat"."""
    equal, differ = blocks(src, dst)
    out = Comparison(words=_count(dst), anchor=max((_run(dst[c:d]) for _, _, c, d in equal), default=0))
    ends = [blk for blk in differ if blk[0] == blk[1]]  # only text words, none of the report's
    out.lead = next((d - c for a, b, c, d in ends if c == 0 and a == 0), 0)
    out.trail = next((d - c for a, b, c, d in ends if d == len(dst) and a == len(src)), 0)
    out.exact = all(src[a + i].exact == dst[c + i].exact for a, b, c, _ in equal for i in range(b - a))
    out.exact &= all("".join(t.exact for t in src[a:b]) == "".join(t.exact for t in dst[c:d]) for a, b, c, d in differ)
    out.covered = sum(_count(dst[c:d]) for _, _, c, d in equal)
    reordered = _reordered(src, dst, differ) if attributed else set()
    moves = [pair for pair in _moves(src, dst, differ) if pair[0] not in reordered]
    moved = {blk for pair in moves for blk in pair} | reordered
    same_amounts = priced(src) == priced(dst)  # the unit before or after: "€ 450,2 mln" = "450,2 miljoen euro"
    for a, b, c, d in differ:
        changes, omitted = (classify(src, dst, (a, b, c, d), src_text, dst_text, same_amounts)
                            if (a, b, c, d) not in moved else ([], []))
        out.changes += changes
        out.omitted += omitted
        if changes:
            out.gaps.append((c, d))
        else:
            out.covered += _count(dst[c:d])  # form only, left out, or moved (a change of its own below)
    for gone in [ch for ch in out.changes if ch.kind == "number" and not ch.text]:  # "€ 450,2 mln": "450,2" said it
        if any(ch.kind == "number" and ch.text and ch.at == gone.at for ch in out.changes):
            out.changes.remove(gone)
    for (a, b, _, _), (_, _, c, d) in moves:
        if same_amounts and all(t.form in UNITS or t.form in MULTIPLIERS for t in src[a:b]):
            continue  # "€ 444 mln" written "444 mln euro"
        out.changes.append(Change("wording", spelled(src[a:b], src_text) + " (moved)", spelled(dst[c:d], dst_text),
                                  (src[a].start, src[b - 1].end)))
    return out


def _count(tokens: list[Token]) -> int:
    return sum(t.kind != "punct" for t in tokens)


ALTERED_AT = 0.6  # share of a text's words that must be the report's own for it to be a changed quote
ANCHOR = 3  # and it must have a run of this many words of the report's, in order, not all stop words


def decide(cmp: Comparison, parts: int = 0) -> str:
    """The verdict: not_found unless most of the text's words are the report's, with a run of
    them in the report's order (an anchor); then altered on any claim change, partial when
    words are left out or parts come from elsewhere, else exact or equivalent."""
    if not cmp.words or cmp.covered / cmp.words < ALTERED_AT or cmp.anchor < min(ANCHOR, cmp.words):
        return "not_found"
    if cmp.changes:
        return "altered"
    if cmp.omitted or parts:
        return "partial"
    return "exact" if cmp.exact else "equivalent"
