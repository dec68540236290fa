"""Broken and hostile corpus files: each is skipped (with its reason counted) or read, within
the time limit, and the ingest carries on with the rest."""
import os
import time

import pytest

from kb import load
from kb.cli import main
from kb.load import load_corpus

from hostile import inflate_bomb_pdf, looping_xref_pdf, plain_pdf
from pdfs import make_pdf

GOOD = "# Verslag 2020\n\nDe IND ontving in 2020 in totaal 1.234 klachten over de behandeling van aanvragen."


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    folder.mkdir()
    (folder / "verslag-2020.md").write_text(GOOD, "utf-8")
    (folder / "zelfde-verslag-2020.md").write_text(GOOD, "utf-8")  # the same report, a second name
    (folder / "willekeurig.pdf").write_bytes(os.urandom(8192))
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "leeg.pdf").write_bytes(b"")
    (folder / "programma.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "oud-2009.txt").write_bytes("Financiële controle en coördinatie: één overzicht.".encode("cp1252"))
    make_pdf(folder / "geheim.pdf", ["Vertrouwelijk verslag"], user_password="wachtwoord")
    make_pdf(folder / "open-2019.pdf", ["Beveiligd maar zonder wachtwoord: klachten."], user_password="")
    plain_pdf(folder / "gewoon-2018.pdf")
    looping_xref_pdf(folder / "lus.pdf")
    inflate_bomb_pdf(folder / "bom.pdf")
    return folder


@pytest.fixture(scope="module")
def loaded(hostile_corpus):
    started = time.monotonic()
    result = load_corpus(hostile_corpus)
    return result, time.monotonic() - started


def test_every_hostile_file_ends_read_or_skipped_within_the_limit(loaded, hostile_corpus):
    result, seconds = loaded
    files = {p.name for p in hostile_corpus.iterdir()}
    read = {d.meta.source for d in result.documents}
    skipped = {name for name, _ in result.skipped}
    assert read | skipped == files and not read & skipped
    assert seconds < load.PDF_SECONDS * 2  # no file may hold the ingest up past its own limit
    assert sum(result.skip_counts.values()) == len(skipped)


@pytest.mark.parametrize("name, kind, words", [
    ("willekeurig.pdf", "damaged", "not a readable PDF"),
    ("leeg.txt", "empty", "empty"),
    ("leeg.pdf", "empty", "the file is empty"),  # as an empty text file says, not "damaged"
    ("programma.txt", "binary", "binary file"),
    ("geheim.pdf", "encrypted", "encrypted with a password"),
    ("zelfde-verslag-2020.md", "duplicate", "same document as verslag-2020.md"),
])
def test_skipped_with_its_reason(loaded, name, kind, words):
    result, _ = loaded
    reasons = dict(result.skipped)
    assert name in reasons and words in reasons[name] and reasons[name].startswith(name)
    assert result.skip_counts[kind] >= 1


def test_readable_files_are_read(loaded):
    result, _ = loaded
    texts = {d.meta.source: d.text for d in result.documents}
    assert "Financiële controle en coördinatie: één overzicht." in texts["oud-2009.txt"]
    assert "klachten" in texts["open-2019.pdf"] and "Klachten over asiel" in texts["gewoon-2018.pdf"]
    assert "1.234 klachten" in texts["verslag-2020.md"]


def test_looping_xref_and_inflate_bomb_cost_a_message_at_most(loaded):
    result, _ = loaded
    reasons, texts = dict(result.skipped), {d.meta.source: d.text for d in result.documents}
    assert "lus.pdf" in reasons or "Een lus in de verwijzingen" in texts["lus.pdf"]
    assert "bom.pdf" not in texts and result.skip_counts["decompression bomb"] == 1
    assert "inflates past" in reasons["bom.pdf"] or "memory" in reasons["bom.pdf"]


def test_the_child_process_limits_are_applied(tmp_path, monkeypatch):
    pdf = plain_pdf(tmp_path / "gewoon-2018.pdf")
    monkeypatch.setattr(load, "PDF_MEMORY", 32 * 2**20)  # too little even to start Python
    with pytest.raises(load.UnreadableFile, match="reader stopped|memory"):
        load.read_pdf(pdf)
    monkeypatch.setattr(load, "PDF_MEMORY", 2 * 2**30)
    monkeypatch.setattr(load, "PDF_SECONDS", 0.01)
    with pytest.raises(load.UnreadableFile, match="took over 0.01 s"):
        load.read_pdf(pdf)


def test_size_and_page_limits_refuse_before_parsing(tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "dik-2020.pdf", ["een", "twee", "drie"])
    monkeypatch.setattr(load, "MAX_PAGES", 2)
    with pytest.raises(load.UnreadableFile, match="3 pages is over the 2-page limit") as err:
        load.read_pdf(pdf)
    assert err.value.kind == "too many pages"
    monkeypatch.setattr(load, "MAX_PDF_BYTES", 100)
    with pytest.raises(load.UnreadableFile, match="over the 0 MB limit") as err:
        load.read_pdf(pdf)
    assert err.value.kind == "too large"


def test_ingest_summary_counts_what_was_skipped_and_why(hostile_corpus, tmp_path, capsys):
    code = main(["--corpus", str(hostile_corpus), "--index", str(tmp_path / "index"), "ingest"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "files skipped (" in out and "1 encrypted" in out and "1 duplicate" in out and "1 binary" in out
    assert "skipped: geheim.pdf: the PDF is encrypted" in err


def test_links_out_of_the_corpus_folders_and_fifos_are_reported_never_read(tmp_path, capsys):
    """`ln -s /etc/passwd corpus/evil.txt` must not put the password file in the index."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "verslag-2020.md").write_text(GOOD, "utf-8")
    secret = tmp_path / "elders" / "geheim.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    (corpus / "evil.txt").symlink_to(secret)
    (corpus / "evil-map.md").symlink_to(secret.parent, target_is_directory=True)
    (corpus / "binnen.txt").symlink_to(corpus / "verslag-2020.md")  # inside: read, then a duplicate
    (corpus / "x.pdf").mkdir()
    os.mkfifo(corpus / "pijp.txt")  # opening it would block the ingest
    started = time.monotonic()
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"])
    out, err = capsys.readouterr()
    assert code == 0 and time.monotonic() - started < 60
    assert "skipped: evil.txt: a link to" in err and "outside the corpus folder; not read" in err
    assert "skipped: evil-map.md: a link to" in err and "skipped: x.pdf: a folder, not a file" in err
    assert "skipped: pijp.txt: not a regular file" in err and "1 duplicate" in out
    assert "2 outside the corpus" in out and "1 folder" in out and "1 not a file" in out
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ask", "root:x:0:0", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0 and "root:x" not in out.replace('"query": "root:x:0:0"', "")
    (corpus / "later.txt").symlink_to(secret)  # added after the index was built: reported too
    assert main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"]) == 0
    out, err = capsys.readouterr()
    assert "skipped: later.txt: a link to" in err and "3 outside the corpus" in out


def test_a_corpus_with_no_readable_report_is_a_clear_error_and_the_index_stays(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"])
    _, err = capsys.readouterr()
    assert code == 2 and f"kb: {corpus}: no report kb can read there; put a .txt" in err and "Traceback" not in err
    (corpus / "verslag-2020.md").write_text(GOOD, "utf-8")
    assert main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"]) == 0
    built = sorted(p.name for p in (tmp_path / "index").iterdir())
    (corpus / "verslag-2020.md").unlink()
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4 not really")
    capsys.readouterr()
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"])
    _, err = capsys.readouterr()
    assert code == 2 and "no report kb can read there (1 file skipped: 1 damaged)" in err
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == built  # the last index stays current
