"""kb in the browser: the entry point only. Each page is its own module under kb_app/pages/, every
word of both languages is in kb_app/texts.py. Run: streamlit run app.py"""
import streamlit as st

from kb_app.common import lang
from kb_app.texts import TEXT

# No page icons: Streamlit fetches Material icons from fonts.gstatic.com, and emoji need a font the
# server may lack; the app asks nothing of any host but its own (tests/test_browser.py checks).
PAGES = [("zoeken", "ask"), ("vergelijken", "compare"), ("cijfers", "figures"), ("controleren", "verify"),
         ("toevoegen", "add")]

st.set_page_config(page_title="kb: IND-rapporten", layout="wide")
choice = st.sidebar.radio("Taal / Language", ["nl", "en"], index=["nl", "en"].index(lang()), horizontal=True,
                          format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code])
st.session_state["taal"] = choice
t = TEXT[choice]
pages = [st.Page(f"kb_app/pages/{name}.py", title=t[key], url_path=name, default=name == "zoeken")
         for name, key in PAGES]
pages.append(st.Page("kb_app/pages/lees.py", title=t["context"], url_path="lees", visibility="hidden"))
st.navigation(pages).run()
