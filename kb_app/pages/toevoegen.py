"""Toevoegen: a report is added only where the server allows it (KB_ALLOW_UPLOADS=1, or the password
in KB_ADMIN_PASSWORD), with its title, publisher, year and period confirmed by the user; it is checked
before it is stored, under a safe name inside the corpus, marked as added by a user, then indexed."""
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

import streamlit as st

from kb.errors import KbError, UnreadableFile
from kb.files import file_sha256
from kb.load import SUFFIXES, corpus_files, load_file, meta_from_name
from kb.provenance import add_to_manifest, check_meta, guess_meta, user_meta
from kb.records import DocMeta
from kb.render import md_escape, safe_filename

from kb_app.common import build_index, corpus_dir, load_kb, localised, page_header, words


def allowed(t: dict) -> bool:
    """Off unless the server says otherwise: a flag, or an administrator's password."""
    if os.environ.get("KB_ALLOW_UPLOADS") == "1" or st.session_state.get("admin"):
        return True
    password = os.environ.get("KB_ADMIN_PASSWORD", "")
    st.info(t["locked"])
    if not password:
        return False
    given = st.text_input(t["password"], type="password", key="admin-password")
    if given and hmac.compare_digest(given.encode(), password.encode()):
        st.session_state["admin"] = True
        st.rerun()
    if given:
        st.error(t["wrong_password"])
    return False


def read_upload(data: bytes, name: str) -> str:
    """The text as ingest would read it, from a scratch copy; raises UnreadableFile with the reason.
    The same bytes under another name are refused before anything is stored."""
    digest = hashlib.sha256(data).hexdigest()
    same = next((p.name for p in corpus_files(corpus_dir()) if p.name != name and file_sha256(p) == digest), None)
    if same:
        raise UnreadableFile(f"{name}: the same document as {same}, which is indexed already", kind="duplicate")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        doc, _ = load_file(path, meta_from_name(path))
    if not doc.text.strip():
        raise UnreadableFile(f"{name}: no text in it")
    return doc.text


def meta_form(guess: DocMeta, t: dict) -> DocMeta | None:
    """The user's account of the document, prefilled from the file; None until submitted."""
    with st.form(f"meta-{guess.source}"):
        title = st.text_input(t["form_title"], value=guess.title)
        publisher = st.text_input(t["form_publisher"], value=guess.publisher)
        left, mid, right = st.columns(3)
        year = left.number_input(t["form_year"], 1900, 2100, value=guess.year or 2024)
        published = mid.text_input(t["form_published"], value=guess.published)
        period = right.text_input(t["form_period"], value=", ".join(map(str, guess.period)))
        st.caption(t["provenance_note"])
        if not st.form_submit_button(t["form_submit"], type="primary"):
            return None
    years = tuple(int(y) for y in period.replace(",", " ").split() if y.isdigit())
    return DocMeta(doc_id=guess.doc_id, title=title.strip(), year=int(year), source=guess.source,
                   publisher=publisher.strip(), published=published.strip(), period=years or (int(year),))


def add(upload, t: dict) -> None:
    name = safe_filename(upload.name)
    target = corpus_dir() / name
    if target.suffix.lower() not in SUFFIXES:
        st.error(f"{t['refused']} {md_escape(upload.name)}: .txt, .md, .pdf")
        return
    if target.exists() and not st.checkbox(f"{t['overwrite']} {name}?", key=f"ow-{name}"):
        st.warning(f"{t['exists']} {name}.")
        return
    try:
        text = read_upload(upload.getvalue(), name)
        meta = meta_form(guess_meta(name, text), t)
        if meta is None:
            return
        check_meta(meta)
    except UnreadableFile as exc:
        st.error(f"{t['refused']} {md_escape(localised(str(exc)))}")
        return
    store(upload, target, meta, t)


def store(upload, target: Path, meta: DocMeta, t: dict) -> None:
    target.write_bytes(upload.getvalue())
    add_to_manifest(corpus_dir(), user_meta(meta))
    try:
        report = build_index(expanded=False)
    except KbError as exc:  # e.g. another build running: the file is kept and indexed on the next build
        st.error(f"{target.name}: {md_escape(localised(str(exc)))}")
        return
    load_kb.clear()
    st.session_state.setdefault("uploaded", set()).add(upload.file_id)
    skipped = dict(report.skipped)
    if target.name in skipped:
        st.warning(md_escape(localised(skipped[target.name])))
    else:
        st.success(f"{t['added']} {md_escape(meta.title)} ({target.name})")


def main() -> None:
    t = words()
    page_header(t, "add")
    if not allowed(t):
        return
    upload = st.file_uploader(t["upload"], type=[s.lstrip(".") for s in SUFFIXES], help=t["upload_help"],
                              max_upload_size=50, key="upload")
    if upload is not None and upload.file_id not in st.session_state.get("uploaded", set()):
        add(upload, t)


main()
