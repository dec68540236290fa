"""How a passage is named and shown to a reader: its citation (with who published the report and,
for a document a user added, that and when), its section as words, and its text without markup
or the PDF damage cleaning left. Pure functions over strings and the index's document records."""
from __future__ import annotations

import re

from .clean import _LIGATURE, _SUSPENDED
from .lexicon import is_known

# A chronicle's news item under its month's heading: "15/12  Naturalisatiedag voor de tiende keer" (day, title).
DATE = r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:[ \t]*-[ \t]*\d{1,2}/\d{1,2})?[ \t]+"  # "18/4 ", "14/3-18/3 "
DATED_ENTRY = re.compile(rf"^[ \t]*{DATE}(?P<title>\S[^\n]{{2,120}}?)[ \t]*$", re.M)
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december", "january", "february", "march", "may", "june", "july", "august", "october")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*\)")  # "[x](javascript:alert(1))" too
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_FOOTNOTE = re.compile(r"(?<=\w)\[\d+\]")
_EMPHASIS = re.compile(r"(?<![\w*_])([*_]{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_INLINE_HYPHEN = re.compile(r"\b([a-zà-ÿ]+)- (?=([a-zà-ÿ]+)\b)")
_TABLE_TITLE = re.compile(r"^([A-ZÀ-Ý][A-ZÀ-Ý &/-]{2,})(?:\s+(?:19|20)\d\d)+\s*$", re.M)
WORDS = {"nl": {"section": "sectie", "before": "vóór de eerste kop", "table": "tabel",
                "added": "toegevoegd door een gebruiker op {date}, geen publicatie van de IND"},
         "en": {"section": "section", "before": "before the first heading", "table": "table",
                "added": "added by a user on {date}, not an IND publication"}}


def plain(text: str) -> str:
    """Text without Markdown or HTML markup: "## Klachten" -> "Klachten", "[IND-jaarcijfers](#)"
    -> "IND-jaarcijfers", "*Wachttijden*" -> "Wachttijden", "<i>Totaal</i>" -> "Totaal"."""
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _FOOTNOTE.sub("", text)
    text = _HEADING.sub("", text)
    for _ in range(2):  # "***x***" and "*x* en _y_"
        text = _EMPHASIS.sub(r"\2", text)
    return text


def mended(text: str) -> str:
    """PDF damage the index keeps (it must, to map back to the file) mended for reading, only where
    the word list knows the whole: "2.946 ft e" -> "2.946 fte", "gemeenschaps- onderdaan" -> one word."""
    def join(m: re.Match, tail: str) -> str:
        return m.group(1) if is_known(m.group(1) + tail) and tail not in _SUSPENDED else m.group(0)
    text = _LIGATURE.sub(lambda m: join(m, m.group(3)) if len(m.group(3)) <= 2 else m.group(0), text)
    return _INLINE_HYPHEN.sub(lambda m: join(m, m.group(2)), text)


def display_text(text: str) -> str:
    """A passage as a reader should see it: no markup, damage mended, the PDF's line breaks inside a
    paragraph gone (a bullet still starts its line), no run of blank lines."""
    return re.sub(r"\n{3,}", "\n\n", joined_lines(mended(plain(text)))).strip()


def joined_lines(text: str) -> str:
    """The PDF's line breaks inside a paragraph made spaces; a blank line or a bullet still breaks."""
    return re.sub(r"(?<!\n)[ \t]*\n(?![ \t]*(?:\n|[•▪◦\-–]\s))[ \t]*", " ", text)


def one_paragraph(text: str) -> str:
    """A quote to paste: the PDF's line breaks and bullets gone, one line of clean text."""
    text = re.sub(r"^[ \t]*[•▪◦\-–][ \t]+", "", display_text(text), flags=re.M)
    return " ".join(text.split())


def section_label(section: str, text: str = "", year: int = 0, lang: str = "nl") -> str:
    """The section as words a reader can cite: no markup; a bare month heading (a chronicle's
    "November") says nothing of the subject, so a table in it is named by its title, else by the
    news item the passage stands in (its dated title, the last part of the section path, or else
    the first in the text: "15 december 2016: Naturalisatiedag voor de tiende keer"), else the
    month gets its year ("november 2016")."""
    parts = [" ".join(plain(p).split()) for p in section.split(" > ")]
    parts = [p for p in parts if p]
    item = DATED_ENTRY.match(parts[-1]) if len(parts) > 1 and parts[-2].lower() in MONTHS else None
    if item:
        parts.pop()
    if parts and parts[-1].lower() in MONTHS:
        title = _TABLE_TITLE.search(text)
        entry = item or DATED_ENTRY.search(text)
        month = parts.pop().lower()
        parts.append(f"{WORDS[lang]['table']} {title.group(1).strip().capitalize()}" if title
                     else _dated(entry, month, year) if entry and year else f"{month} {year}" if year else month)
    return " > ".join(parts)


def _dated(entry: re.Match, month: str, year: int) -> str:
    """A chronicle's entry as a journalist cites it: "19/1 Koning bezoekt Ter Apel" under "Januari"
    -> "19 januari 2016: Koning bezoekt Ter Apel" (the month heading alone names no subject)."""
    number = int(entry["month"])
    month = MONTHS[number - 1] if 1 <= number <= 12 else month  # "1/7" under "Juni" (its month's heading is missing) is July
    return f"{int(entry['day'])} {month} {year}: {' '.join(entry['title'].split())}"


def added_note(doc: dict, lang: str = "nl") -> str:
    """"toegevoegd door een gebruiker op 2026-11-23, …" for a document a user added, else ""."""
    return WORDS[lang]["added"].format(date=doc["added"]) if doc.get("added") else ""


def report_name(doc: dict, lang: str = "nl") -> str:
    """"IND Jaarverslag 2016 (Immigratie- en Naturalisatiedienst, 2017)": title, publisher and the year
    it came out (the title's year when the manifest gives none); a user's document says so."""
    published = str(doc.get("published") or doc.get("year") or "")[:4]
    by = ", ".join(x for x in (doc.get("publisher", ""), published) if x)
    name = f"{plain(doc['title'])} ({by})" if by else plain(doc["title"])
    note = added_note(doc, lang)
    return f"{name} [{note}]" if note else name


def citation(chunk, doc: dict, lang: str = "nl") -> str:
    """The full citation of a passage: report (publisher, year), section, page for a PDF."""
    where = section_label(chunk.section, chunk.text, chunk.year, lang) or WORDS[lang]["before"]
    page = f", p. {chunk.page}" if chunk.page and chunk.page >= 1 else ""
    return f"{report_name(doc, lang)}, {WORDS[lang]['section']} {where}{page}"
