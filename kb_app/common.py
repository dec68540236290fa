"""What every page shares: the corpus and index paths, the knowledge base (loaded once per process,
built first with a counted progress bar), the interface language, and typed errors as messages."""
from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import streamlit as st

from kb.cite import citation
from kb.embed import get_embedder
from kb.errors import DamagedIndex, IndexMissing, KbError, StaleIndex
from kb.build import IngestReport, ingest
from kb.pipeline import KnowledgeBase
from kb.render import md_escape
from kb.store import Location, backend, is_url, location_of

from .texts import TEXT


def corpus_dir() -> Path:
    return Path(os.environ.get("KB_CORPUS", "corpus"))


def index_dir() -> Location:
    """The index folder, or KB_STORE=postgresql://...: several app processes share one database."""
    return location_of(None, os.environ.get("KB_INDEX", "index"))


def lang() -> str:
    """The interface language: the sidebar's choice, first taken from the URL (?taal=en)."""
    return st.session_state.get("taal") or ("en" if st.query_params.get("taal") == "en" else "nl")


def words() -> dict:
    return TEXT[lang()]


def number(value: float, decimals: int = 0) -> str:
    """A number as the interface's language writes it: 2.000 and 0,99 in Dutch, 2,000 and 0.99 in English."""
    written = f"{value:,.{decimals}f}"
    return written.translate(str.maketrans(",.", ".,")) if lang() == "nl" else written


def keep_in_url(**params) -> None:
    """This page's state in the address, so a link shares it (the language always goes along)."""
    st.query_params.from_dict({"taal": lang(), **{k: v for k, v in params.items() if v not in ("", [], None)}})


def from_url(key: str, param: str, older: tuple[str, ...] = ()) -> None:
    """A widget's first value from the address (a shared link; `older` names it had in links
    made before), later ones from the session."""
    if key not in st.session_state:
        st.session_state[key] = next((st.query_params[p] for p in (param, *older) if p in st.query_params), "")


def page_header(t: dict, page: str) -> None:
    """A page's title (its name in the menu) and one line saying what it is for."""
    st.title(t[page], anchor=False)
    st.markdown(t[f"{page}_intro"])


def topic_input(t: dict, key: str, param: str, placeholder: str, older: tuple[str, ...] = ()) -> str:
    """The subject box of a page whose state is one subject, kept in the address as `param`."""
    from_url(key, param, older)
    topic = st.text_input(t["topic"], key=key, help=t["topic_help"], placeholder=placeholder)
    keep_in_url(**{param: topic})
    return topic


@st.cache_resource(show_spinner=False)
def embedder():
    return get_embedder()


@st.cache_resource(show_spinner=False)
def load_kb(corpus: str, index: str) -> KnowledgeBase:
    return KnowledgeBase(index if is_url(index) else Path(index), embedder(), corpus=Path(corpus))


def open_kb() -> KnowledgeBase | None:
    """The knowledge base; built first, with progress, when missing or stale. None after saying why not."""
    t = words()
    try:
        try:
            return load_kb(str(corpus_dir()), str(index_dir()))
        except (IndexMissing, StaleIndex):
            build_index()
            load_kb.clear()
            return load_kb(str(corpus_dir()), str(index_dir()))
    except DamagedIndex as exc:
        damaged_page(exc, t)
    except KbError as exc:
        st.error(md_escape(str(exc)))
    return None


class SharedBuild:
    """The one build of this process's index, whatever the number of sessions: it runs in its own
    thread (a closed tab loses nothing), and every session reads its progress from here."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.done = self.total = 0
        self.started = 0.0
        self.report: IngestReport | None = None
        self.error: BaseException | None = None

    def start(self, corpus: Path, index: Path, model, force: bool) -> None:
        """Start the build unless one is running (then this session waits for that one)."""
        with self.lock:
            if self.thread and self.thread.is_alive():
                return
            self.done = self.total = 0
            self.started, self.report, self.error = time.perf_counter(), None, None
            self.thread = threading.Thread(target=self._run, args=(corpus, index, model, force), daemon=True)
            self.thread.start()

    def _run(self, corpus: Path, index: Path, model, force: bool) -> None:
        try:
            self.report = ingest(corpus, index, model, force=force, progress=self._progress)
        except BaseException as exc:  # shown by every session that waits on it
            self.error = exc

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def running(self) -> bool:
        return bool(self.thread and self.thread.is_alive())


@st.cache_resource(show_spinner=False)
def shared_build(corpus: str, index: str) -> SharedBuild:
    return SharedBuild()


def build_index(force: bool = False, expanded: bool = True) -> IngestReport:
    """`ingest` of the app's corpus, once per process: a session that finds it running shows the same
    progress (the share of the text embedded, an estimate of the time left) and waits; done says done."""
    t = words()
    build = shared_build(str(corpus_dir()), str(index_dir()))
    build.start(corpus_dir(), index_dir(), embedder(), force)
    with st.status(t["building"], expanded=expanded) as status:
        bar = st.progress(0.0, text=t["progress_start"])
        seen: list[tuple[float, int]] = []
        while build.running():
            done, total = build.done, build.total
            seen.append((time.perf_counter(), done))
            left = time_left(seen, total)
            if total:
                bar.progress(done / total, text=t["progress"].format(pct=100 * done / total, left=left))
            time.sleep(0.25)
        if build.error:
            raise build.error
        report = build.report
        status.update(label=t["built"].format(n=number(report.chunks), s=time.perf_counter() - build.started)
                      if not report.up_to_date
                      else t["ready"], state="complete", expanded=False)
    return report


RECENT = 15.0  # seconds of progress the estimate of the time left is read from


def time_left(seen: list[tuple[float, int]], total: int) -> float:
    """Seconds left at the pace of the last RECENT seconds, (time, done) samples oldest first, done
    in characters embedded. Not the pace since the start: the model's pace per character still
    differs a little by pass and by the machine's load (a full build, measured: 106 s estimated at
    12 s with 106 s to go, 57 at 50 with 69; counted in texts it read 237 and 7 s)."""
    if not seen or not seen[-1][1]:
        return 0.0
    now, done = seen[-1]
    then, before = next(((t, d) for t, d in seen if now - t <= RECENT), seen[0])
    if done > before and now > then:
        return (total - done) * (now - then) / (done - before)
    return (total - done) * (now - seen[0][0]) / done


def damaged_page(exc: DamagedIndex, t: dict) -> None:
    """The index cannot be read: say why, and offer the intact previous one or a rebuild."""
    st.error(md_escape(str(exc)))
    left, right = st.columns(2)
    try:
        if exc.previous and left.button(f"{t['restore']} ({exc.previous})"):
            backend(index_dir()).restore()
        elif right.button(t["rebuild"]):
            build_index(force=True)
        else:
            return
    except KbError as err:
        st.error(md_escape(str(err)))
        return
    load_kb.clear()
    st.rerun()


def cite(kb: KnowledgeBase, chunk) -> str:
    """The passage's full citation in the interface language, from its report's manifest entry."""
    return citation(chunk, kb.index.documents.get(chunk.doc_id, {"title": chunk.title, "year": chunk.year}), lang())


def fact_citation(kb: KnowledgeBase, fact) -> str:
    """A table fact's full citation: the chunk its row stands in."""
    chunk = next((c for c in kb.index.chunks if c.doc_id == fact.doc_id and c.start <= fact.start < c.end), None)
    doc = kb.index.documents.get(fact.doc_id, {"title": fact.report, "year": fact.report_year})
    return citation(chunk, doc, lang()) if chunk else citation_of_doc(doc)


def citation_of_doc(doc: dict) -> str:
    from kb.cite import report_name
    return report_name(doc, lang())


def report_titles(kb: KnowledgeBase) -> dict[str, str]:
    """doc_id -> the report's name as every citation gives it ("IND Jaarverslag 2016 (Immigratie- en
    Naturalisatiedienst, 2017)"), in year order: one form of a report's name in the whole app."""
    return {d: citation_of_doc(doc) for d, doc in sorted(kb.index.documents.items(), key=lambda x: (x[1]["year"], x[0]))}


def say_respelled(respelled: tuple[tuple[str, str], ...], t: dict) -> None:
    """Say which words were searched for where the user typed others: before anything else."""
    if respelled:
        st.caption(f"{t['respelled']}: " + ", ".join(f"**{md_escape(read)}** ({t['typed']}: {md_escape(typed)})"
                                                      for typed, read in respelled))


def say_error(exc: KbError) -> None:
    """A typed error from kb as a message in the interface's language."""
    st.warning(md_escape(localised(str(exc))))


_DUTCH = [  # kb's English messages (the CLI's language) as the Dutch interface says them
    (r"the question is empty", "De vraag is leeg; typ een paar woorden."),
    (r"the question is ([\d,.]+) characters long; keep it under ([\d,.]+)", "De vraag is {0} tekens lang; houd hem onder {1}."),
    (r"the question '(.*)' has no letters or digits", "De vraag ‘{0}’ bevat geen letters of cijfers; stel hem in woorden."),
    (r"the question '(.*)' is mostly symbols", "De vraag ‘{0}’ bestaat vooral uit tekens, niet uit woorden; stel hem in woorden."),
    (r"the text is ([\d,.]+) characters long; verify at most ([\d,.]+)", "De tekst is {0} tekens lang; controleer er hoogstens {1} tegelijk."),
    (r"the text to verify has no words", "De tekst bevat geen woorden; plak de zin die u wilt controleren."),
    (r"^(.+?): not a readable PDF", "{0}: geen leesbare PDF (beschadigd of geen PDF)."),
    (r"^(.+?): the PDF has no text layer", "{0}: de PDF heeft geen tekstlaag (gescand?); laat er eerst tekstherkenning (OCR) op los."),
    (r"^(.+?): the PDF is encrypted", "{0}: de PDF is met een wachtwoord beveiligd; sla een onbeveiligde kopie op."),
    (r"^(.+?): the file is empty", "{0}: het bestand is leeg."),
    (r"^(.+?): this is a binary file", "{0}: dit is geen tekstbestand; zet het om naar .txt, .md of .pdf."),
    (r"^(.+?): the same document as (.+?),", "{0}: hetzelfde document als {1}, dat al in de index staat."),
    (r"^(.+?): no text in it", "{0}: er staat geen tekst in."),
    (r"^(.+?): over the (\d+) MB limit", "{0}: groter dan de grens van {1} MB voor een tekstbestand; splits het."),
    (r"^(.+?): give the document a title", "{0}: geef het document een titel."),
    (r"^(.+?): say who published it", "{0}: vul in wie het heeft uitgegeven (een organisatie of persoon)."),
    (r"^(.+?): (\d+) is not a year between (\d+) and (\d+)", "{0}: {1} is geen jaar tussen {2} en {3}."),
]


def localised(message: str) -> str:
    """A kb message in the interface's language: English as kb says it; in Dutch where the message is
    known, else kb's words after a Dutch lead (the detail is then the reader's only clue)."""
    if lang() != "nl":
        return message
    for pattern, dutch in _DUTCH:
        found = re.search(pattern, message)
        if found:  # kb writes 2,000 in its English; Dutch groups thousands with a point
            return dutch.format(*(re.sub(r"(?<=\d),(?=\d{3}\b)", ".", g) for g in found.groups()))
    return f"Melding van kb (Engels): {message}"
