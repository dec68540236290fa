"""Repair what PDF text extraction broke, keeping a map back to the raw text.

Every repair is an edit (start, end, replacement) on the text as it stands; a Dutch
word list (wordfreq) decides whether two fragments are one word. Where it cannot
decide, the text is left as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import is_known, is_word, word_score
from .lines import BULLETS

Edit = tuple[int, int, str]
# Each pattern looks ahead for the word after the break instead of consuming it, so that
# word can begin the next break too ("afhande-\nlingafhande-\nling"): one pass finds all.

# PDF fonts draw these letter pairs as one glyph; extraction then puts a space after it.
_LIGATURE = re.compile(r"\b(\w*(?:f[fiklthbj]|tt))( {1,2})(?=([a-zà-ÿ]+)\b)")
# A line that ends in a word fragment with a hyphen of any kind (hyphen-minus, U+2010 hyphen,
# U+2011 non-breaking hyphen, U+00AD soft hyphen), continued on the next line.
HYPHENS = "-\u2010\u2011\u00ad"
_HYPHEN_BREAK = re.compile(rf"(\w+)[{HYPHENS}][ \t]*\n[ \t]*(?=(\w+))")
# A word standing inside a line (a fragment of a broken word only stands at a line's end or start).
_INNER_WORD = re.compile(r"(?<=[ \t(“‘\"'])\w+(?=[ \t.,;:!?)”’\"'])")
# A line that ends in letters with no space (the hyphen was lost), continued lower case.
_BARE_BREAK = re.compile(r"([A-Za-zà-ÿ]+)\n[ \t]*(?=([a-zà-ÿ]\w*))")  # the next line may be indented
# The same with spaces around the break: joined only when the whole is clearly a word.
_SPACED_BREAK = re.compile(r"([a-zà-ÿ]+)[ \t]+\n[ \t]*(?=([a-zà-ÿ]+)\b)")
# A body line ending in a letter or comma, blank lines, then a line going on in lower case.
_PARAGRAPH_BREAK = re.compile(r"([^\n]*[a-zà-ÿ,])([ \t]*\n(?:[ \t]*\n)+[ \t]*)(?=([a-zà-ÿ][^\n]*))")
BODY_LINE = 35  # characters: shorter lines are titles, table labels or word fragments
_LIST_MARKS = (*BULLETS, "-", "–")
_MARGIN = 0.5
_RARE_HEAD = 2.0  # "handhavings", "nareis": a head this rare alone is a compound's first part
_SUSPENDED = {"en", "of", "tot", "t/m"}  # "in- en uitvoer": the hyphen is real


@dataclass
class Cleaned:
    text: str
    offsets: list[int]  # offsets[i]: index in the raw text of cleaned character i
    repairs: dict[str, int] = field(default_factory=dict)


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[int]]:
    """Apply non-overlapping edits; return the new text and new->old offsets."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for start, end, repl in sorted(edits):
        if start < pos:
            continue  # overlapping edit: the first one wins
        out.append(text[pos:start])
        offsets.extend(range(pos, start))
        out.append(repl)
        offsets.extend(min(start + j, max(end - 1, start)) for j in range(len(repl)))
        pos = end
    out.append(text[pos:])
    offsets.extend(range(pos, len(text) + 1))  # one past the end maps to the end
    return "".join(out), offsets


def ligature_edits(text: str) -> list[Edit]:
    """"fl uctuaties" -> "fluctuaties", "effi  ciency" -> "efficiency"."""
    edits = []
    for m in _LIGATURE.finditer(text):
        head, tail = m.group(1), m.group(3)
        joined = word_score(head + tail)
        if (joined >= 1.5 and joined > min(word_score(head), word_score(tail))) or (
            (not is_word(head) or _bare_ligature(head, tail)) and is_known(head + tail)
        ):
            edits.append((m.start(2), m.end(2), ""))
    return edits


def _bare_ligature(head: str, tail: str) -> bool:
    """A fragment that is the ligature alone ("fi let", "2.946 ft e"): frequent as a token, so
    frequency alone never joined it; a one-letter tail other than "u" is no Dutch word either."""
    return len(head) <= 2 or (len(tail) == 1 and tail != "u")


def vocabulary(text: str) -> set[str]:
    """The words the text itself uses whole, inside a line: a broken word it also uses unbroken
    is one word, and a word it uses is no fragment."""
    return set(_INNER_WORD.findall(text))


def hyphen_break_edits(text: str) -> list[Edit]:
    """"samenwer-" + newline + "king" -> "samenwerking"; "IND-" + "medewerkers" stays, and so does
    "Woo-" + "contactpersoon" where the document writes "Woo-verzoeken"; a word the document uses
    whole elsewhere ("IN-" + "DiGO" where it says "INDiGO") is joined whatever its case."""
    edits, vocab = [], vocabulary(text)
    hyphened = {m.group(1) for m in re.finditer(r"(\w+)-(?=\w)", text)}  # within a line: "Woo-verzoeken"
    for m in _HYPHEN_BREAK.finditer(text):
        head, tail = m.group(1), m.group(2)
        if head + tail in vocab:
            edits.append((m.end(1), m.start(2), ""))
            continue
        if not head[-1].islower() or not tail[0].islower() or tail in _SUSPENDED or head in hyphened:
            continue
        if is_known(head + tail) or not (is_word(head) and is_word(tail)):
            edits.append((m.end(1), m.start(2), ""))
    return edits


def bare_break_edits(text: str) -> list[Edit]:
    """"toe" + newline + "name" -> "toename" where the hyphen was lost in extraction; two whole
    words ("behandelde" + "klachten") stay two."""
    edits, vocab = [], vocabulary(text)
    for m in _BARE_BREAK.finditer(text):
        if _one_word(m.group(1), m.group(2), vocab):
            edits.append((m.end(1), m.start(2), ""))
    return edits


def _one_word(head: str, tail: str, vocab: set[str]) -> bool:
    """Is head+tail one broken word? A fragment is. Two whole words (see `_whole`) are only when the document uses the joined word whole, or the word list has it
    and it beats them as a pair, or the head is rarely seen alone and the whole is a compound
    ("handhavings" + "aanpak"). Zipf scores are log10 frequencies per 10^9 words, so two
    independent words together score about z(head) + z(tail) - 9: the joined word must beat that."""
    if head + tail in vocab:
        return True
    if not (_whole(head, vocab) and _whole(tail, vocab)):
        return True  # a fragment: "klachtafhande" + "ling"
    joined = word_score(head + tail)
    if joined >= 1.0 and joined > word_score(head) + word_score(tail) - 9 + _MARGIN:
        return True
    return head.islower() and word_score(head) < _RARE_HEAD and is_known(head + tail)


def _whole(word: str, vocab: set[str]) -> bool:
    """A listed word, a compound of two, an acronym ("EASO") or a word the document uses."""
    return is_known(word) or word.isupper() or word in vocab


def spaced_break_edits(text: str) -> list[Edit]:
    """"ener " + newline + " zijds" -> "enerzijds": only where the whole beats both parts."""
    edits = []
    for m in _SPACED_BREAK.finditer(text):
        head, tail = m.group(1), m.group(2)
        if word_score(head + tail) > max(word_score(head), word_score(tail)):
            edits.append((m.end(1), m.start(2), ""))
    return edits


def whitespace_edits(text: str) -> list[Edit]:
    """Runs of spaces become one; 3+ newlines become 2; lines lose leading spaces.

    A line keeps one trailing space where it had any: that space says the line ended
    between words, which the line-break repair reads, so cleaning twice changes nothing.
    """
    lead, trail = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
    if lead == len(text):
        return [(0, lead, "")] if text else []
    body_end = len(text) - trail
    edits: list[Edit] = [(0, lead, "")] if lead else []
    for m in re.finditer(r"([ \t\u00a0]*)\n[ \t\u00a0\n]*", text):
        newlines = min(m.group().count("\n"), 2)
        kept = (" " if m.group(1) and newlines == 1 else "") + "\n" * newlines
        if m.group() != kept and lead <= m.start() and m.end() <= body_end:  # the ends go whole
            edits.append((m.start(), m.end(), kept))
    for m in re.finditer(r"(?<=\S)[ \t\u00a0]{2,}(?=\S)|(?<=\S)[\t\u00a0](?=\S)", text):
        if "\t" not in m.group():  # tabs separate table columns
            edits.append((m.start(), m.end(), " "))
    if trail:
        edits.append((body_end, len(text), ""))
    return edits


def paragraph_break_edits(text: str) -> list[Edit]:
    """A sentence broken by a blank line (a page or column break of the PDF, or of its conversion):
    "Dit aspect van dienstverlening" / blank / "krijgt in 2012 aandacht van de IND." is one
    paragraph again, so the sentence is one and its quote starts where it does. Only between
    body lines: the first long, no list item, ending in a letter or comma; the next in lower case,
    of three words or more, long or holding punctuation. A torn table's wrapped label
    ("Top 3 nationaliteiten aantal ingewilligde" / "vvr-aanvragen 1e aanleg") stays."""
    edits = []
    for m in _PARAGRAPH_BREAK.finditer(text):
        line, nxt = m.group(1).strip(), m.group(3).strip()
        if len(line) >= BODY_LINE and not line.startswith(_LIST_MARKS) and len(nxt.split()) >= 3 and (
                len(nxt) >= BODY_LINE or re.search(r"[.,;:!?]", nxt)):
            edits.append((m.start(2), m.end(2), "\n"))
    return edits


def line_end_edits(text: str) -> list[Edit]:
    """Windows and old Mac line ends become plain newlines."""
    return [(m.start(), m.end(), "\n") for m in re.finditer(r"\r\n?", text)]


_PASSES = (
    ("line_ends", line_end_edits),
    ("ligature", ligature_edits),
    ("hyphen_break", hyphen_break_edits),
    ("line_break", bare_break_edits),
    ("spaced_break", spaced_break_edits),
    ("paragraph_break", paragraph_break_edits),
    ("whitespace", whitespace_edits),
)
# A PDF that kb reads itself keeps its hyphens (PDFium reports a line-end hyphen, even one the
# typesetter added): a bare line break there is a word boundary, never a lost hyphen. Joining
# read "teruggevorderde" + "bedrag" as one word.
PDF_PASSES = tuple(p for p in _PASSES if p[0] not in ("line_break", "spaced_break"))


def clean_text(raw: str, passes=_PASSES, rounds: int = 4) -> Cleaned:
    """Run every repair pass in order, composing the offset maps back to `raw`; repeat until
    nothing changes. One repair can enable another ("Kop" + "klachten" + "klachten": once the
    last two are one fragment, the first break reads differently), and cleaning must give the
    same text when run again on its own output."""
    text, offsets = raw, list(range(len(raw) + 1))
    repairs: dict[str, int] = {}
    for _ in range(rounds):
        changed = False
        for name, find_edits in passes:
            edits = find_edits(text)
            if not edits:
                continue
            new_text, step = apply_edits(text, edits)
            changed |= new_text != text
            text, offsets = new_text, [offsets[i] for i in step]
            if name not in ("line_ends", "whitespace"):
                repairs[name] = repairs.get(name, 0) + len(edits)
        if not changed:
            break
    return Cleaned(text=text, offsets=offsets, repairs=repairs)
