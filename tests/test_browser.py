"""The app in a real browser: streamlit run on a free localhost port, Debian's headless Chromium."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from chromium import CHROMEDRIVER, CHROMIUM, start_chromium
from conftest import ROOT
from kb.build import ingest

pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver")
OUT = ROOT / "test-output"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(corpus, index, **extra_env):
    """`streamlit run app.py` on a free localhost port, on the given corpus and index."""
    port = free_port()
    env = {**os.environ, "KB_CORPUS": str(corpus), "KB_INDEX": str(index), **extra_env}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture()
def server(slice_paths):
    with serve(*slice_paths) as url:
        yield url


MARKUP = ("De leges <script>alert(1)</script> voor een naturalisatieverzoek waren $5 en $6; "
          "zie [x](javascript:alert(1)) en <img src=x onerror=alert(1)>.")


@pytest.fixture()
def markup_server(slice_paths, embedder, tmp_path):
    """The slice plus a report whose text is markup, indexed with the real model."""
    corpus, index = slice_paths
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    (tmp_path / "corpus" / "markup-2024.md").write_text(f"# Kosten\n\n{MARKUP}", "utf-8")
    ingest(tmp_path / "corpus", tmp_path / "index", embedder)
    with serve(tmp_path / "corpus", tmp_path / "index") as url:
        yield url


@pytest.fixture()
def browser(tmp_path):
    driver = start_chromium(tmp_path / "chromium", log_requests=True)  # every request the page makes
    yield driver
    driver.quit()


def first_card(driver) -> str:
    """The citation of the first result card ("" while none, or while the page is redrawn)."""
    try:
        cards = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stMarkdown'] strong")]
    except StaleElementReferenceException:
        return ""
    return next((c for c in cards if ", sectie " in c or ", section " in c), "")


def ask(driver, question: str) -> float:
    """Type a question and press enter; seconds until the first result card differs from before."""
    box = WebDriverWait(driver, 120).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[aria-label='Vraag']")))
    before = first_card(driver)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(question)
    started = time.perf_counter()
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 60, poll_frequency=0.02).until(lambda d: first_card(d) not in ("", before))
    return time.perf_counter() - started


def test_question_in_a_real_browser_shows_a_cited_card(server, browser, capsys):
    OUT.mkdir(exist_ok=True)
    browser.get(server)
    ask(browser, "Aantal ontvangen klachten 2015")  # warm-up: first query loads the model in the server
    took = ask(browser, "tijdige afhandeling klachten 2012")
    cited = "De IND belicht: Jaarresultaten 2012 (Immigratie- en Naturalisatiedienst, 2013)"
    # read again until the page has settled: Streamlit may redraw the card once after painting it
    WebDriverWait(browser, 30, poll_frequency=0.1).until(lambda d: first_card(d).startswith(cited))
    browser.save_screenshot(str(OUT / "browser-ask.png"))
    (OUT / "browser-timing.txt").write_text(f"{took * 1000:.0f} ms\n", "utf-8")
    with capsys.disabled():
        print(f"\nbrowser: enter to first result card painted (warm): {took * 1000:.0f} ms")


def test_markup_in_a_query_injects_nothing(server, browser):
    browser.get(server)
    ask(browser, "klachten <img src=x onerror=alert(1)> [x](javascript:alert(1)) $5 en $6")
    no_injection(browser)


def no_injection(driver) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
    assert driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []
    assert driver.execute_script("return document.querySelectorAll('.katex').length") == 0  # no $…$ maths


def test_markup_in_a_document_is_shown_as_text(markup_server, browser):
    browser.get(markup_server)
    ask(browser, "leges naturalisatieverzoek $5 en $6 <script>alert(2)</script>")
    WebDriverWait(browser, 60).until(lambda d: "naturalisatieverzoek" in d.find_element(By.TAG_NAME, "body").text)
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "$5 en $6" in page and "<script>" not in page and "](javascript" not in page  # shown as clean text
    no_injection(browser)


PAGES = {"zoeken": "q=tijdige+afhandeling+klachten+2012", "vergelijken": "onderwerp=klachten",
         "cijfers": "onderwerp=klachten", "controleren": "citaat=Het+absolute+aantal+klachten+is+gestegen",
         "toevoegen": "", "lees": "lees=ind-jaarverslag-2016&van=1000&tot=1400"}
STREAMLIT_ENGLISH = ("Choose options", "Press Enter to apply", "Deploy")


def requested_urls(driver) -> list[str]:
    import json
    return [json.loads(entry["message"])["message"]["params"]["request"]["url"]
            for entry in driver.get_log("performance") if '"Network.requestWillBeSent"' in entry["message"]]


def test_every_page_in_both_languages_offline_with_screenshots(slice_paths, browser):
    """Every page in Dutch and in English, screenshotted to artifacts/ (git-ignored) to look at;
    the Dutch pages show none of Streamlit's English that the app can replace, and the browser asks
    nothing of any host but the app's own (no usage statistics)."""
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    with serve(*slice_paths, KB_ALLOW_UPLOADS="1") as url:
        for lang in ("nl", "en"):
            for page, query in PAGES.items():
                browser.get(f"{url}/{'' if page == 'zoeken' else page}?taal={lang}&{query}")
                WebDriverWait(browser, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stAppViewContainer']"))
                WebDriverWait(browser, 120).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
                time.sleep(4)  # charts and the reader's frame draw after the script ends
                browser.save_screenshot(str(out / f"{lang}-{page}.png"))
                body = browser.find_element(By.TAG_NAME, "body").text
                assert "Traceback" not in body and "Error" not in body
                if lang == "nl":
                    assert not [w for w in STREAMLIT_ENGLISH if w in body], page
        foreign = [u for u in requested_urls(browser) if not u.startswith((url, "data:", "blob:", "about:", "chrome"))]
        assert foreign == []
