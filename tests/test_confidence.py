"""The no-answer model's features of what a passage marks (pure: no model, no index)."""
from kb.answer import asked
from kb.confidence import FEATURES, features, marked_evidence
from kb.records import Chunk, Passage
from kb.retrieve import make_query

TEXT = ("De IND behandelde in 2022 veel naturalisatieverzoeken. "
        "Er werden 1.200 naturalisatieverzoeken afgewezen. Het jaar was druk.")


def _passage(marked: str | None) -> Passage:
    chunk = Chunk("c", "d", "t", 2022, "", None, 0, len(TEXT), TEXT)
    spans = [] if marked is None else [(TEXT.index(marked), TEXT.index(marked) + len(marked))]
    return Passage(chunk, 1.0, highlights=spans)


def _ask(question: str):
    query = make_query(question, [0.0])
    return asked(question, list(query.terms), query.years)


def test_marked_text_without_the_asked_detail_or_a_figure_scores_lower():
    ask = _ask("Hoeveel naturalisatieverzoeken werden in 2022 afgewezen?")
    assert ask.kind == "number"
    answering = marked_evidence(_passage("Er werden 1.200 naturalisatieverzoeken afgewezen."), ask, {})
    about = marked_evidence(_passage("De IND behandelde in 2022 veel naturalisatieverzoeken."), ask, {})
    assert answering[1] == 1.0 and about[1] == 0.0
    assert 0.0 < about[0] < answering[0] <= 1.0


def test_a_question_without_a_question_word_needs_no_kind_and_nothing_marked_counts_nothing():
    ask = _ask("naturalisatieverzoeken afgewezen 2022")
    assert marked_evidence(_passage("Het jaar was druk."), ask, {}) == (0.0, 1.0)
    assert marked_evidence(_passage(None), ask, {}) == (0.0, 0.0)
    assert marked_evidence(None, ask, {}) == (0.0, 0.0)


def test_one_feature_per_name_with_or_without_passages():
    ask = _ask("Hoeveel naturalisatieverzoeken werden in 2022 afgewezen?")
    assert len(features([_passage("Het jaar was druk.")], ask, {2022}, {})) == len(FEATURES)
    assert len(features([], ask, {2022}, {})) == len(FEATURES)
