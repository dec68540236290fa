"""Headings: which lines of a report are titles, and the titles they make.

From Markdown `#` lines; else from a contents list ("Titel<TAB>6") naming the heading lines;
else from heading-like lines (short, capitalised, standing alone), a title set large over
several lines read as one."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_DUTCH

from .cite import DATE
from .lexicon import word_score
from .lines import TOC_LINE, TORN_LABELS, in_torn_table, is_table_line

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_CAPS_LINE = re.compile(r"^[ \t]*([A-ZÀ-Ý][A-ZÀ-Ý '’&,/-]{5,70}[?!]?)[ \t]*$", re.M)
_FUNCTION_WORDS = frozenset(STOPWORDS_DUTCH)
_DATED = re.compile(DATE + r"\w")  # timeline entries: "18/4 Inzet NL-experts"
_DATED_TITLE = re.compile(DATE + r"[A-ZÀ-Ý0-9‘']")  # one opening a title: "14/3-18/3 ILO-conferentie 2016"
# Short lines that stand alone like a heading but are none: a reference to a web page ("Zie
# https://www.easo.europa.eu/") and a signature's name with initials ("R.J.T. van Lint").
_SIGNATURE = (r"(?:(?:[A-Z]\.){1,4}\s*(?:(?:van|de|der|den|ter|ten)\s+)*[A-Z]\w+"
              r"|[A-Z]\w+\s+(?:(?:van|de|der|den|ter|ten)\s+)*[A-Z]\w+,)$")  # "R.J.T. van Lint", "Rob van Lint,"
_NOT_A_HEADING = re.compile(rf"(?:Zie|See)\b|.*(?:://|\bwww\.)|{_SIGNATURE}")
MAX_CALL_WORDS = 4  # a title may call out ("Praten werkt!"); a longer line ending in "!" is a sentence
MAX_TITLE_LINES = 4  # a title set large takes a few lines; five short lines are a caption or a narrow column
_CAPTION = re.compile(r"\((?:links|rechts|midden|boven|onder)\)", re.I)  # "Willy van der Mark (links)"
_OPENS_QUOTE = ("‘", "“", "'", '"')
LIST_ITEM = 40  # characters: a line longer than this after a numbered line is prose, no list item
_NUMBERED = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+(?=[A-ZÀ-Ý])")  # "3.2 Klachten", "1. Inleiding"
_LONE_LINE = re.compile(r"\n[ \t]*([^\n]{2,70}?)[ \t]*(?:\n[ \t]*\n|\n?\Z)")  # a line, then a blank line or the end


@dataclass(frozen=True)
class Heading:
    start: int  # offset of the heading line in the document text
    level: int
    title: str


def looks_like_heading(line: str, prev: str, nxt: str, max_len: int = 70) -> bool:
    """Short, capitalised (after its number, "3.2 Klachten"), standing alone; `max_len` is kept
    below the body's line length."""
    s = line.strip()
    titled = bool(_DATED_TITLE.match(s))  # "31/12 Baten en lasten in 2016": its year is no table value
    dated = bool(_DATED.match(s))
    longest = 70 if dated else max_len / 0.7 if _NUMBERED.match(s) else max_len  # a numbered one: a body line's length
    if not (2 < len(s) <= longest) or s[-1] in ".,;:-" or (is_table_line(s) and not titled):
        return False
    words = s[len(m.group()):] if (m := _NUMBERED.match(s)) else s
    if not (words[:1].isupper() or dated) or len(words.split()) > (12 if dated else 8):
        return False
    if s.split()[-1].lower() in _FUNCTION_WORDS or _NOT_A_HEADING.match(s):  # wrapped: "De plannen die ... gemaakt om"
        return False
    if s.endswith("!") and len(s.split()) > MAX_CALL_WORDS:  # "Ik wens u veel leesplezier toe!" closes a letter
        return False
    prev_s, next_s = prev.strip(), nxt.strip()
    # a chronicle's dated title may follow a table row or a list with no full stop between
    standalone = not prev_s or prev_s[-1] in ".!?:”\"’'" or prev_s == prev_s.upper() or titled
    standalone |= bool(_NUMBERED.match(prev_s)) and len(prev_s) <= max_len  # under its chapter's "3 Klachten"
    return standalone and bool(next_s) and not next_s[0].islower()


def find_headings(text: str) -> list[Heading]:
    md = [Heading(m.start(), len(m.group(1)), m.group(2).strip()) for m in _MD_HEADING.finditer(text)]
    if md:
        return md
    toc = {toc_key(m.group(1)) for m in TOC_LINE.finditer(text)}
    named = sum(toc_key(line.strip()) in toc for line in text.split("\n") if "\t" not in line)
    if named < 2:  # no contents list, or lines like one that name no heading: a table's "Label<TAB>412"
        return _plain_headings(text)
    headings = []
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        if toc_key(s) in toc and "\t" not in line:
            headings.append(Heading(pos, 1, s))
        elif _CAPS_LINE.match(line) and not is_table_line(s):
            headings.append(Heading(pos, 2, s))
        pos += len(line) + 1
    return headings


def _plain_headings(text: str) -> list[Heading]:
    """The headings of a text without Markdown or a contents list: heading-like lines, and a
    title set large over a few short lines, read as one."""
    lines = text.split("\n")
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    max_len = heading_max_len(lines)
    headings: list[Heading] = []
    skip = 0
    for i, line in enumerate(lines):
        s = line.strip()
        prev = "" if _signed_above(lines, i) else _nearest(lines, i, -1)  # a signature ends what came before
        block = title_lines(lines, i, prev, max_len) if i >= skip else 0
        if block and not _torn(lines, i):
            headings.append(Heading(starts[i], 1, " ".join(x.strip() for x in lines[i:i + block])))
            skip = i + block
            continue
        second = second_title_line(text, starts[i] + len(line)) if _DATED.match(s) else []
        nxt = _nearest(lines, i + len(second), +1)  # what follows the title (a lowercase "asielzoekerscentra" is in it)
        role = i > 0 and re.match(_SIGNATURE, lines[i - 1].strip())  # under the signer's name: "Hoofddirecteur IND"
        if (i >= skip and not role and looks_like_heading(line, prev, nxt, max_len) and not _torn(lines, i)
                and not _listed(lines, i)):
            # a chronicle's news item stands under its month; "3.2 Klachten" under "3 Klachten"
            level = 2 if _DATED_TITLE.match(s) else _depth(s) or 1
            headings.append(Heading(starts[i], level, " ".join([continued_title(s, _following(lines, i)), *second])))
    return headings


def _listed(lines: list[str], i: int) -> bool:
    """Is line i an item of a numbered list: numbered as a short line next to it is (across blank
    lines), to the same depth ("1 Syrische" / "2 Albanese"), and followed by neither prose nor a
    section numbered under it, as a chapter's title is ("4 Klachten" / "4.1 ...")? A numbered
    footnote's sentence is no item."""
    depth = _depth(lines[i].strip())
    nxt = _nearest(lines, i, +1).strip()
    if not depth or len(nxt) > LIST_ITEM or _depth(nxt) > depth:
        return False
    return any(_depth(x) == depth and len(x) <= LIST_ITEM for x in (_nearest(lines, i, -1, True).strip(), nxt))


def _depth(line: str) -> int:
    return m.group(1).count(".") + 1 if (m := _NUMBERED.match(line)) else 0


def title_lines(lines: list[str], i: int, prev: str, max_len: int) -> int:
    """How many lines from line i make one title set large over short lines ("Soepeler regels" /
    "voor internationaal" / "talent"), else 0: two to four lines clearly shorter than a heading
    may be (a narrow column's body lines are as long as that); the first capitalised or opening
    a quotation, standing alone (after a blank line or a sentence's end) and holding no figure;
    none ending a clause or holding a photo caption's "(links)"; the last no function word; then
    a blank line, a longer line or a pull quote, never a line going on."""
    first, prev_s = lines[i].strip(), prev.strip()
    if not first or not (first[0].isupper() or first.startswith(_OPENS_QUOTE)) or first.endswith("&"):
        return 0  # a title ending in "&" goes on by continued_title's rule
    if (prev_s and prev_s[-1] not in ".!?:”\"’'") or _NOT_A_HEADING.match(first) or any(ch.isdigit() for ch in first):
        return 0  # "Top 3 nationaliteiten" / "studenten" is a figure box's title: it stays with its list
    n, short = 0, 3 * max_len // 4  # a narrow column's body lines are about max_len long
    while i + n < len(lines) and n < MAX_TITLE_LINES:
        s = lines[i + n].strip()
        if not s or len(s) > short or (n and (s.startswith(_OPENS_QUOTE) or s.endswith("?") or _DATED.match(s))):
            break  # a pull quote, an interview's question or a dated news title stand apart
        if s.rstrip("’”'\"")[-1] in ".,;:" or is_table_line(s) or _CAPTION.search(s):
            return 0
        n += 1
    after = lines[i + n].strip() if i + n < len(lines) else ""
    ends = not after or len(after) > short or after.startswith(_OPENS_QUOTE) or after.endswith("?") or _DATED.match(after)
    return n if n >= 2 and ends and lines[i + n - 1].split()[-1].lower() not in _FUNCTION_WORDS else 0


def _torn(lines: list[str], i: int) -> bool:
    """Whether line i is a torn table's label (lines.in_torn_table), read only for a line that may be a title."""
    return in_torn_table(_nearest(lines, i, -1, True), _following(lines, i))


def _signed_above(lines: list[str], i: int) -> bool:
    """Whether a signature's name and the role under it stand right above line i ("R.J.T. van
    Lint" / "Hoofddirecteur IND"): the foreword ends there, and the next chapter's title follows
    with no full stop before it."""
    return i >= 2 and bool(lines[i - 1].strip()) and re.match(_SIGNATURE, lines[i - 2].strip()) is not None


def toc_key(title: str) -> tuple[str, ...]:
    """A title's words without the function words: a contents list may word a chapter's title a
    little shorter than the chapter does ("Onbedoelde effecten wet- en regelgeving" for
    "Onbedoelde effecten van wet- en regelgeving")."""
    return tuple(w for w in re.findall(r"\w+", title.lower()) if w not in _FUNCTION_WORDS)


def continued_title(title: str, after: list[str]) -> str:
    """A title set large breaks over lines: one that ends in "&" goes on on the next line, and a
    word broken there without a hyphen is made whole ("Asiel &" / "Bescher" / "ming" reads
    "Asiel & Bescherming")."""
    if not title.endswith("&") or not after:
        return title
    title = f"{title} {after[0].strip()}"
    rest = after[1].strip() if len(after) > 1 else ""
    last = title.split()[-1]
    whole = (last + rest).lower()
    if rest.isalpha() and rest.islower() and word_score(whole) > max(word_score(last.lower()), word_score(rest)):
        title += rest
    return title


def second_title_line(text: str, end: int) -> list[str]:
    """The line after a dated news title that ends at `end`, when the title goes on there: a line
    standing alone before a blank line, ending no sentence ("15/9 Start onderzoek Family
    reunification of Third-country" / "Nationals in the EU plus Norway: National Practices").
    An item's text runs on for lines, so a lone line is the title's."""
    m = _LONE_LINE.match(text, end)
    return [m.group(1)] if m and m.group(1)[-1] not in ".!?:;," and not is_table_line(m.group(1)) else []


def heading_max_len(lines: list[str]) -> int:
    """Headings are clearly shorter than the wrapped body lines of a PDF text."""
    body = sorted(len(line.strip()) for line in lines if len(line.strip()) > 20)
    return int(0.7 * body[len(body) // 2]) if body else 70


def _following(lines: list[str], i: int) -> list[str]:
    """The next TORN_LABELS non-blank lines after line i."""
    return [line for line in lines[i + 1:i + 1 + 2 * TORN_LABELS] if line.strip()][:TORN_LABELS]


def _nearest(lines: list[str], i: int, step: int, across_blank: bool = False) -> str:
    """The nearest non-blank line after line i, or the line right before it ("" when that is
    blank, unless `across_blank`); "" at either end."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].strip():
            return lines[j] if step > 0 or across_blank or j == i - 1 else ""
        j += step
    return ""
