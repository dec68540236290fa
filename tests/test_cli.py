"""The kb command: JSON and text output, clear errors and exit codes, never a traceback."""
import json
import os
import subprocess
import sys

import pytest

from kb.answer import passage_json

from kb.cli import main
from pdfs import make_pdf

from conftest import ROOT


def run_kb(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_ask_json_has_the_documented_shape(slice_paths, capsys):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "tijdige afhandeling klachten 2012", "-k", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "tijdige afhandeling klachten 2012" and len(out["results"]) == 3
    first = out["results"][0]
    for key in ("rank", "doc_id", "title", "year", "section", "page", "start", "end", "text", "highlights", "quote",
                "table_row", "citation", "score"):
        assert key in first
    assert first["rank"] == 1 and first["year"] == 2012 and "83%" in first["quote"]
    start, end = first["highlights"][0]
    assert first["text"][start:end] in first["quote"] and first["quote"] in first["text"]  # verbatim
    assert first["table_row"].startswith("Klachten, Tijdige afhandeling klachten") and "2012: 83%" in first["table_row"]
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "Waarom nam het aantal klachten toe?", "-k", "1",
                 "--json"]) == 0
    [prose] = json.loads(capsys.readouterr().out)["results"]
    assert prose["highlights"] and "klachten" in prose["quote"] and prose["table_row"] is None  # a sentence, no row


def test_ask_text_marks_the_answer(slice_paths, capsys):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "Aantal ontvangen klachten 2016", "-k", "2"]) == 0
    out = capsys.readouterr().out
    full = "IND Jaarverslag 2016 (Immigratie- en Naturalisatiedienst, 2017), section "
    assert out.startswith(f"2016: 1.540 (Aantal ontvangen), {full}")  # the fact first, cited in full
    assert f"\n1. {full}" in out and "»" in out and "«" in out


def test_a_document_a_user_added_is_marked_in_the_command_lines_citations(slice_kb):
    doc = slice_kb.index.documents["ind-jaarverslag-2016"]
    doc["added"] = "2026-11-23"
    try:
        top = slice_kb.ask("Aantal ontvangen klachten 2016", k=1)[0]
        assert top.chunk.doc_id == "ind-jaarverslag-2016"
        assert "[added by a user on 2026-11-23, not an IND publication]" in top.citation
        assert passage_json(top, 1)["citation"] == top.citation
    finally:
        del doc["added"]


@pytest.mark.parametrize("question, message", [
    ("", "empty"), ("?!?", "no letters"), ("x" * 10_000, "characters long"),
])
def test_bad_questions_exit_non_zero_with_a_message(tmp_path, question, message):
    result = run_kb("--index", str(tmp_path / "index"), "ask", question)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "index").exists()  # refused before anything was built


@pytest.mark.parametrize("flag, value, message", [
    ("--doc", "nope", "--doc nope: no report has that id; the ids are ind-jaarresultaten-2012, "),
    ("--year", "2030", "--year 2030: no report is of that year; the years are 2011, 2012, 2016"),
])
def test_a_filter_naming_no_report_is_an_error_that_lists_the_reports(slice_paths, capsys, flag, value, message):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "klachten", flag, value]) == 2
    assert message in capsys.readouterr().err


def test_the_table_fact_keeps_to_the_filters(slice_paths, capsys):
    corpus, index = slice_paths
    args = ["--corpus", str(corpus), "--index", str(index), "ask", "Hoeveel klachten", "--json", "-k", "1"]
    assert main(args) == 0
    assert {f["year"] for f in json.loads(capsys.readouterr().out)["facts"]} == {2016}  # the latest year
    assert main(args + ["--year", "2012"]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert facts and {f["year"] for f in facts} == {2012} and all("Jaarresultaten 2012" in f["citation"] for f in facts)


def test_stale_index_names_the_fix(slice_paths, tmp_path):
    corpus, index = slice_paths
    changed = tmp_path / "corpus"
    changed.mkdir()
    for path in corpus.iterdir():
        (changed / path.name).write_bytes(path.read_bytes())
    (changed / "nieuw-2024.md").write_text("# Nieuw\n\nEen nieuw verslag.", "utf-8")
    result = run_kb("--corpus", str(changed), "--index", str(index), "ask", "klachten")
    assert result.returncode == 2 and "added nieuw-2024.md" in result.stderr and "kb ingest" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_on_a_fresh_checkout_builds_the_index_and_cites_pdf_pages(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "jaarverslag-2019.pdf", [
        "Voorwoord\n\nDit jaarverslag gaat over het werk van de dienst in 2019.",
        "Leges\n\nDe leges voor een verblijfsvergunning zijn in 2019 verhoogd naar 210 euro.",
        "Klachten\n\nIn 2019 ontving de dienst 2.345 klachten over de behandelduur.",
    ])
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    result = run_kb("--corpus", str(corpus), "--index", str(tmp_path / "index"), "ask", "Hoeveel klachten in 2019?", "--json", "-k", "2")
    assert result.returncode == 0, result.stderr
    assert "building it first" in result.stderr and "skipped: kapot.pdf" in result.stderr
    top = json.loads(result.stdout)["results"][0]
    assert top["page"] == 3 and "2.345 klachten" in top["quote"] and "p. 3" in top["citation"]


def test_eval_scores_a_question_set_beside_the_peer_and_hides_frozen_misses(slice_paths, tmp_path, capsys):
    from kb.evaluate import half

    corpus, index = slice_paths
    tune, frozen = (next(f"id{i}" for i in range(100) if half(f"id{i}") == h) for h in ("tune", "frozen"))
    cases = tmp_path / "cases.jsonl"
    rows = [{"id": "a", "q": "tijdige afhandeling klachten 2012", "years": [2012], "all_of": ["83%"], "style": "keyword"},
            {"id": tune, "q": "Hoeveel mvv-aanvragen waren er?", "years": [1999], "all_of": ["nergens"], "style": "natural"},
            {"id": frozen, "q": "Hoeveel mvv-aanvragen waren er?", "years": [1999], "all_of": ["nergens"], "style": "natural"}]
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    assert main(["--corpus", str(corpus), "--index", str(index), "eval", str(cases), "--misses"]) == 0
    out = capsys.readouterr().out
    assert f"miss {tune} [natural]" in out and f"miss {frozen}" not in out and "miss a " not in out
    all_row = next(line for line in out.splitlines() if line.startswith("ALL"))
    figures = all_row.split()
    assert figures[1] == "3" and figures[2] == "0.333" and len(figures) == 11  # kb's 4, the peer's 4, the lift
    assert main(["--corpus", str(corpus), "--index", str(index), "eval", str(cases), "--half", "frozen", "--no-peer"]) == 0
    assert capsys.readouterr().out.startswith("1 cases (frozen)")


def test_ingest_reports_repairs_and_up_to_date(slice_paths, capsys):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "ingest"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_missing_corpus_folder_is_a_message(slice_paths, tmp_path):
    _, index = slice_paths
    result = run_kb("--corpus", str(tmp_path / "nergens"), "--index", str(index), "ask", "klachten")
    assert result.returncode == 2 and "no corpus folder" in result.stderr and "Traceback" not in result.stderr


def test_ask_json_says_whether_the_reports_answer_and_carries_the_facts(slice_paths, capsys):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "Hoeveel klachten ontving de IND in 2016?", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["no_answer"] is False and 0 < out["confidence"] <= 1
    assert [(f["year"], f["as_written"], f["row_label"]) for f in out["facts"]] == [(2016, "1.540", "Aantal ontvangen")]
    assert set(out["facts"][0]) >= {"value", "citation", "doc_id", "report", "start", "end", "disputed"}
    assert main(["--corpus", str(corpus), "--index", str(index), "ask", "Hoeveel kost een paspoort bij de gemeente?"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("the reports seem not to answer this question") and "1." in text
    assert "‹" in text and "»" not in text  # the nearest sentence, not marked as an answer


def test_a_reader_that_goes_away_ends_kb_quietly(slice_paths):
    """`kb ask ... | head -1`: the pipe is closed before kb writes; no BrokenPipeError traceback."""
    corpus, index = slice_paths
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "kb.cli", "--corpus", str(corpus), "--index", str(index),
                              "ask", "klachten", "-k", "10"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    child.stdout.close()  # the reader has gone before the model is even loaded
    err = child.stderr.read().decode()
    assert child.wait(timeout=300) == 141 and "Traceback" not in err and "BrokenPipe" not in err


def test_a_file_name_with_a_newline_stays_on_one_report_line(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "verslag-2020.md").write_text("# Verslag\n\nDe IND ontving in 2020 veel klachten over aanvragen.", "utf-8")
    (corpus / "kapot\nskipped: alles.pdf").write_bytes(b"%PDF-1.4 kapot")
    assert main(["--corpus", str(corpus), "--index", str(tmp_path / "index"), "ingest"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("skipped: ")]
    assert lines == ["skipped: kapot\\nskipped: alles.pdf: not a readable PDF" + lines[0].split("not a readable PDF", 1)[1]]


def test_compare_prints_quotes_to_paste_cut_at_a_word(slice_paths, capsys):
    corpus, index = slice_paths
    assert main(["--corpus", str(corpus), "--index", str(index), "compare", "klachten", "-k", "2"]) == 0
    quotes = [line.strip() for line in capsys.readouterr().out.splitlines() if line.startswith("   ") and "section" not in line]
    assert quotes and all(not q.startswith(("'", '"')) for q in quotes)  # no Python repr
    import re
    # prose in quotation marks (cut at a word, with " …"); a table row said readably, bare
    assert all((q.startswith("“") and q.endswith("”")) or re.search(r": 20\d\d: ", q) for q in quotes)
