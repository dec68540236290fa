"""Frames: the words of a quote that say whose claim it is ("Volgens het jaarverslag ...", "De
IND meldt dat ...", "..., aldus het rapport"), which the quote check leaves out of the claim it
checks. Pure functions on tokens."""
from __future__ import annotations

from .tokens import Token

ATTRIBUTING = frozenset({"volgens", "aldus"})
FRAME_WORDS = 6  # words of a frame after the claim at most: ", aldus het jaarverslag van de IND"
REPORTING = frozenset("""meldt melden meldde schrijft schrijven schreef stelt stellen stelde zegt zeggen zei
rapporteert rapporteerde concludeert concludeerde constateert constateerde vermeldt noemt blijkt bleek""".split())


def attribution(dst: list[Token]) -> int:
    """How many of the text's first tokens say whose claim it is: "Volgens het jaarverslag (van
    de IND)", "Aldus de IND," (the verb after them is the claim's: Dutch puts it first there), or
    "De IND meldt dat", "Het rapport stelt:"; 0 when they do not."""
    forms = [t.form for t in dst]
    if forms[:1] and forms[0] in ATTRIBUTING:
        at = _noun_phrase(forms, 1)
        at = _noun_phrase(forms, at + 1) if at and forms[at:at + 1] in (["van"], ["uit"]) else at
        return at + (forms[at:at + 1] == [","]) if at and at < len(forms) - 1 else 0
    end = next((i for i, form in enumerate(forms[:FRAME_WORDS + 2]) if form in ("dat", ":")), None)
    return end + 1 if end and REPORTING & set(forms[:end]) else 0


def _noun_phrase(forms: list[str], at: int) -> int:
    """Where a short noun phrase starting at `at` ends: an article or possessive and one word."""
    at += forms[at:at + 1] in (["de"], ["het"], ["een"], ["haar"], ["zijn"], ["hun"])
    return at + 1 if at < len(forms) and forms[at].isalnum() else 0


def trailing_attribution(dst: list[Token]) -> int:
    """How many of the text's last tokens say whose claim it was, from the last comma on
    (", aldus het jaarverslag.", ", schrijft de IND."); 0 when they do not."""
    comma = next((i for i in range(len(dst) - 1, 0, -1) if dst[i].text == ","), None)
    words = [t for t in dst[comma + 1:] if t.kind != "punct"] if comma else []
    if words and len(words) <= FRAME_WORDS and (words[0].form in ATTRIBUTING or words[0].form in REPORTING):
        return len(dst) - comma
    return 0
