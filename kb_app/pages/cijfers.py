"""Cijfers: one chart per measure on a real time axis with Dutch number format, the source report as the
points' colour and in the tooltip, every value's row and citation beneath. Its state is in the URL."""
import altair as alt
import streamlit as st

from kb.errors import KbError
from kb.pipeline import check_question
from kb.render import md_escape
from kb.series import rank_series, year_runs

from kb_app.common import citation_of_doc, fact_citation, lang, open_kb, page_header, say_error, say_respelled, topic_input, words

SHOWN, MORE = 4, 8
NUMBERS = {"nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
           "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}}


def rows_of(kb, series, t: dict) -> list[dict]:
    """One row a value; its report named as every citation names it (title, publisher, year out)."""
    names = {d: citation_of_doc(doc) for d, doc in kb.index.documents.items()}
    return [{t["chart_year"]: f.year, t["chart_value"]: f.value, t["chart_written"]: f.as_written,
             t["chart_report"]: names.get(f.doc_id, f.report), t["chart_source"]: fact_citation(kb, f)}
            for f in series.facts]


def chart(rows: list[dict], series, t: dict) -> alt.LayerChart:
    """Years on a quantitative axis (2012 -> 2015 is three steps), whole years as ticks; the value axis
    starts at zero and holds every point; one line for the measure (broken where years have no value),
    points coloured by report."""
    years = [r[t["chart_year"]] for r in rows]
    runs = year_runs(years)
    x = alt.X(f"{t['chart_year']}:Q", title=None, scale=alt.Scale(domain=[min(years) - 0.5, max(years) + 0.5], nice=False),
              axis=alt.Axis(format="d", tickMinStep=1, values=sorted(set(years))))
    unit = " %" if series.unit == "%" else ""
    y = alt.Y(f"{t['chart_value']}:Q", title=series.unit or None, scale=alt.Scale(zero=True, nice=True),
              axis=alt.Axis(format=",.4~f", labelExpr=f"datum.label + '{unit}'"))
    base = alt.Chart(alt.Data(values=[{**r, "run": runs[r[t["chart_year"]]]} for r in rows])).encode(x=x, y=y)
    line = base.mark_line(color="#9aa5b1").encode(detail="run:N")  # no line across years without a value
    points = base.mark_point(filled=True, size=90).encode(
        color=alt.Color(f"{t['chart_report']}:N", scale=alt.Scale(scheme="tableau10"), legend=alt.Legend(orient="bottom", direction="vertical",
                                                                    labelLimit=0, title=None)),
        tooltip=[alt.Tooltip(f"{t['chart_year']}:Q", format="d"), f"{t['chart_written']}:N",
                 f"{t['chart_report']}:N", f"{t['chart_source']}:N"])
    return (line + points).properties(height=260).configure(locale={"number": NUMBERS[lang()]})


def show(kb, series, t: dict) -> None:
    st.subheader(md_escape(series.name), anchor=False)
    if series.disputed:
        st.warning(f"{t['disputed']} {', '.join(map(str, series.disputed))}.")
    rows = rows_of(kb, series, t)
    st.altair_chart(chart(rows, series, t), width="stretch")
    # a table, not a grid: a grid cuts the long citation off at its column's edge, a table wraps it
    st.table([{t["chart_year"]: str(r[t["chart_year"]]), t["chart_written"]: r[t["chart_written"]],
               t["chart_source"]: r[t["chart_source"]]} for r in rows])


def main() -> None:
    t = words()
    page_header(t, "figures")
    kb = open_kb()
    if kb is None:
        return
    query = topic_input(t, "fig", "onderwerp", "asiel", older=("cijfers",))  # as Vergelijken names it
    if not query.strip():
        return
    try:
        query, respelled = kb.respelled(check_question(query))
        found = rank_series(kb.series, query)
    except KbError as exc:
        say_error(exc)
        return
    say_respelled(respelled, t)
    if not found:
        st.info(t["no_figures"])
    for series in found[:SHOWN]:
        show(kb, series, t)
    if len(found) > SHOWN:
        with st.expander(t["more_series"]):
            for series in found[SHOWN:SHOWN + MORE]:
                show(kb, series, t)


main()
