"""The app in real browsers: time from Enter to the first result card painted, warm, with 1 and
with 8 headless Chromium sessions at once; and, with --first-start, the first start on a missing
index (build with progress, then a question) from launch until the first card is painted.

    python scripts/app_bench.py                 # 1, then 8 sessions (about 3 minutes)
    python scripts/app_bench.py --first-start   # the first start alone, into a temporary index folder

A benchmark that prints figures, not a test: nothing is asserted. Needs Debian's chromium and
chromium-driver and selenium. The time is taken inside the browser: performance.now() at the
Enter keydown, and again after the frame in which a result card (class st-key-card-r0, set in
kb_app/cards.py) holds its citation; polling from Python only collects it.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chromium import CHROMEDRIVER, CHROMIUM, start_chromium  # noqa: E402  (the browser the tests check)
QUESTION_BOX = "input[aria-label='Vraag']"
PAGE_IDLE = ".st-key-example-0"  # the example questions are drawn last on a page without a question
FIRST_CARD = ".st-key-card-r0 [data-testid='stMarkdown'] strong"  # the first card's citation

QUESTIONS = [
    "tijdige afhandeling klachten 2012",
    "Aantal ontvangen klachten 2015",
    "Hoeveel asielaanvragen waren er in 2016?",
    "Hoeveel naturalisatieverzoeken kreeg de IND in 2022?",
    "gemiddelde doorlooptijd naturalisatie",
    "dwangsommen betaald wegens te late beslissing",
    "Hoeveel fte werkte er bij de IND?",
    "ziekteverzuim medewerkers",
    "nareis gezinsleden van asielzoekers",
    "kennismigranten aanvragen 2019",
    "klanttevredenheid IND",
    "Wat kostte de IND in 2021?",
    "alleenstaande minderjarige vreemdelingen",
    "How many asylum applications were there in 2015?",
    "complaints handled on time",
    "naturalisation ceremony numbers",
    "processing time family reunification",
    "How many people worked at the IND?",
    "Dublin claims transfers to other member states",
    "bezwaar en beroep procedures aantallen",
]

# Runs in the page: note the Enter keydown's time, then the time after the frame that first holds a
# result card's citation (requestAnimationFrame, then a task: the frame has been painted by then).
WATCH = """
window.__kb = {enter: null, painted: null};
const box = document.querySelector(arguments[0]);
box.addEventListener('keydown', e => { if (e.key === 'Enter' && window.__kb.enter === null) window.__kb.enter = performance.now(); }, {capture: true, once: true});
const seen = () => {
  if (window.__kb.enter === null || window.__kb.painted !== null || !document.querySelector(arguments[1])) return false;
  requestAnimationFrame(() => setTimeout(() => { if (window.__kb.painted === null) window.__kb.painted = performance.now(); }, 0));
  return true;
};
new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); }).observe(document.body, {childList: true, subtree: true, characterData: true});
"""


# The server, started as `streamlit run` is, with two functions wrapped to log their time (JSON lines):
# kb.answer, and the drawing of each result card (the Python side; the browser's part is the rest).
SERVER_TIMING = """
import json, sys, threading, time
import kb.pipeline, kb_app.cards
log, lock = open(sys.argv.pop(1), "a", encoding="utf-8"), threading.Lock()
def timed(name, fn):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            with lock:
                log.write(json.dumps({"what": name, "s": time.perf_counter() - began}) + "\\n"); log.flush()
    return wrapper
kb.pipeline.KnowledgeBase.answer = timed("answer", kb.pipeline.KnowledgeBase.answer)
kb_app.cards.card = timed("card", kb_app.cards.card)
from streamlit.web.cli import main
sys.argv[0] = "streamlit"
main()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(corpus: Path, index: Path, timing_log: Path):
    """`streamlit run app.py` headless on a free port, timed on the server into `timing_log`;
    yields (url, seconds until it answered /health, its pid)."""
    port = free_port()
    env = {**os.environ, "KB_CORPUS": str(corpus), "KB_INDEX": str(index)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", SERVER_TIMING, str(timing_log), "run", str(ROOT / "app.py"),
                             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
                            env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 180:
                    raise SystemExit(f"streamlit did not start on {url} (exit code {proc.poll()})")
                time.sleep(0.2)
        yield url, time.perf_counter() - started, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def ask(driver, url: str, question: str, wait: float = 120) -> float:
    """Open Zoeken afresh, type the question, press Enter: seconds from Enter to the first card painted."""
    driver.get(url)
    WebDriverWait(driver, wait).until(EC.presence_of_element_located((By.CSS_SELECTOR, PAGE_IDLE)))
    box = WebDriverWait(driver, wait).until(EC.element_to_be_clickable((By.CSS_SELECTOR, QUESTION_BOX)))
    box.send_keys(question)
    driver.execute_script(WATCH, QUESTION_BOX, FIRST_CARD)
    box.send_keys(Keys.ENTER)
    took = WebDriverWait(driver, wait, poll_frequency=0.1).until(
        lambda d: d.execute_script("const k = window.__kb; return k && k.painted !== null && k.painted - k.enter"))
    return took / 1000


def session(url: str, questions: list[str], start: threading.Barrier, out: list, errors: list) -> None:
    """One user: its own Chromium, waits for the others, then asks its questions one after another."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-chromium-") as profile:
        driver = start_chromium(Path(profile))
        try:
            driver.get(url)
            WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.CSS_SELECTOR, PAGE_IDLE)))
            start.wait()
            for question in questions:
                out.append((question, ask(driver, url, question)))
        except Exception as exc:  # a benchmark reports a failed session and goes on with the others
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            start.abort()
        finally:
            driver.quit()


def run_sessions(url: str, users: int, per_user: int) -> tuple[list[tuple[str, float]], list[str]]:
    """`users` browsers at once, each asking `per_user` questions from the list (each its own offset)."""
    out: list[tuple[str, float]] = []
    errors: list[str] = []
    start = threading.Barrier(users)
    threads = [threading.Thread(target=session, args=(url, [QUESTIONS[(u * per_user + i) % len(QUESTIONS)]
                                                            for i in range(per_user)], start, out, errors))
               for u in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out, errors


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def cpu_now(server: int | None) -> str:
    """CPU over the next 2 s by process (top's second frame): the browsers summed, the app's server,
    and the busiest others by command line."""
    frames = subprocess.run(["top", "-b", "-c", "-w", "512", "-n", "2", "-d", "2"], capture_output=True, text=True).stdout
    rows = frames.split("\n\n")[-1].splitlines()
    head = next((i for i, r in enumerate(rows) if r.split()[:1] == ["PID"]), None)
    browsers, others = 0.0, []
    for row in rows[head + 1:] if head is not None else []:
        cols = row.split(None, 11)
        if len(cols) < 12:
            continue
        pid, cpu, command = int(cols[0]), float(cols[8].replace(",", ".")), cols[11]
        if "chrom" in command:
            browsers += cpu
        elif pid == server:
            others.insert(0, f"    {cpu:5.1f}% the app's streamlit server (this benchmark)")
        elif cpu >= 5 and command.split()[0] != "top":
            others.append(f"    {cpu:5.1f}% {command[:110]}")
    return f"    {browsers:5.1f}% Chromium and chromedriver, all (this benchmark's and any other)\n" + "\n".join(others[:7])


def conditions(label: str, server: int | None = None) -> str:
    """Load averages now, and what is using the CPU (100% = one core; 2 cores = 200%)."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{label}: load average {load} (1, 5, 15 min); CPU by process over 2 s:\n{cpu_now(server)}"


def server_split(timing_log: Path, offset: int) -> str:
    """The server's part of the questions asked since `offset` in the log: kb.answer and the cards."""
    lines = timing_log.read_text("utf-8")[offset:].splitlines()
    by = {"answer": [], "card": []}
    for line in lines:
        entry = json.loads(line)
        by[entry["what"]].append(entry["s"])
    parts = [f"{what} p50 {statistics.median(v):.3f} s, p95 {percentile(v, 95):.3f} s, max {max(v):.3f} s ({len(v)})"
             for what, v in by.items() if v]
    return "  on the server: " + "; ".join(parts) if parts else "  on the server: nothing logged"


def during(label: str, server: int, after: float, out: list) -> threading.Thread:
    """A CPU snapshot taken `after` seconds into a phase, while the browsers are asking."""
    def take() -> None:
        time.sleep(after)
        out.append(conditions(label, server))
    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    return thread


def report(title: str, timings: list[tuple[str, float]], errors: list[str], wall: float) -> None:
    seconds = [t for _, t in timings]
    print(f"\n{title}: {len(seconds)} questions answered, {len(errors)} sessions failed, {wall:.1f} s wall")
    if seconds:
        print(f"  Enter -> first card painted: p50 {statistics.median(seconds):.3f} s, "
              f"p95 {percentile(seconds, 95):.3f} s, max {max(seconds):.3f} s, min {min(seconds):.3f} s")
        slowest = sorted(timings, key=lambda x: -x[1])[:3]
        print("  slowest: " + "; ".join(f"{t:.2f} s {q!r}" for q, t in slowest))
    for error in errors:
        print(f"  failed: {error}")


def warm(users_list: list[int], per_user: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kb-bench-log-") as tmp:
        log = Path(tmp) / "server-timing.jsonl"
        log.touch()
        with serve(ROOT / "corpus", ROOT / "index", log) as (url, up, pid):
            print(f"streamlit answered /health after {up:.1f} s")
            warm_timings, warm_errors = run_sessions(url, 1, 1)
            report("warm-up (the first question)", warm_timings, warm_errors, 0)
            for users in users_list:
                print("\n" + conditions(f"before {users} session(s)", pid))
                offset, snapshot = len(log.read_text("utf-8")), []
                sampler = during(f"during {users} session(s)", pid, 20, snapshot)
                began = time.perf_counter()
                timings, errors = run_sessions(url, users, per_user if users > 1 else len(QUESTIONS))
                wall = time.perf_counter() - began
                report(f"{users} session(s) at once", timings, errors, wall)
                print(server_split(log, offset))
                sampler.join()
                print("\n".join(snapshot))
                print(conditions(f"after {users} session(s)", pid))


def first_start(question: str) -> None:
    """Launch on a missing index (a temporary folder: the real index is untouched) until the first card."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-first-") as tmp, \
            tempfile.TemporaryDirectory(prefix="kb-bench-chromium-") as profile:
        print(conditions("before first start"))
        began = time.perf_counter()
        with serve(ROOT / "corpus", Path(tmp) / "index", Path(tmp) / "server-timing.jsonl") as (url, up, pid):
            snapshot: list[str] = []
            during("during the build", pid, 30, snapshot)
            driver = start_chromium(Path(profile))
            try:
                driver.get(url)
                WebDriverWait(driver, 1800).until(EC.presence_of_element_located((By.CSS_SELECTOR, PAGE_IDLE)))
                built = time.perf_counter() - began
                box = driver.find_element(By.CSS_SELECTOR, QUESTION_BOX)
                box.send_keys(question)
                driver.execute_script(WATCH, QUESTION_BOX, FIRST_CARD)
                box.send_keys(Keys.ENTER)
                answer = WebDriverWait(driver, 300, poll_frequency=0.1).until(
                    lambda d: d.execute_script("const k = window.__kb; return k && k.painted !== null && k.painted - k.enter"))
                total = time.perf_counter() - began
            finally:
                driver.quit()
            print("\n".join(snapshot))
            print(conditions("after first start", pid))
    print(f"\nfirst start on a missing index: /health after {up:.1f} s, index built and page ready after {built:.1f} s, "
          f"first question {answer / 1000:.2f} s (Enter -> card); launch -> first card painted {total:.1f} s "
          f"(the typing by the driver included, a person's reading and typing not)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1,8", help="session counts to run one after another (default 1,8)")
    parser.add_argument("--per-user", type=int, default=5, help="questions per session when several run at once")
    parser.add_argument("--first-start", action="store_true", help="time the first start on a missing index instead")
    args = parser.parse_args()
    if not (CHROMIUM and CHROMEDRIVER):
        raise SystemExit("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    print(f"{os.cpu_count()} cores; python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}")
    if args.first_start:
        first_start(QUESTIONS[0])
    elif not (ROOT / "index").exists():
        raise SystemExit(f"{ROOT / 'index'} is missing; run `kb ingest` first (this measures the warm app)")
    else:
        warm([int(n) for n in args.users.split(",")], args.per_user)


if __name__ == "__main__":
    main()
