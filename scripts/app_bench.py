"""The app in real browsers: time from Enter to the first result card painted, warm, with 1 and
with 8 headless Chromium sessions at once; and, with --first-start, the first start on a missing
index (build with progress, then a question) from launch until the first card is painted.

    python scripts/app_bench.py                 # 1, then 8 sessions (about 2 minutes)
    python scripts/app_bench.py --reload        # the same, every question on Zoeken opened afresh
    python scripts/app_bench.py --first-start   # the first start alone, into a temporary index folder

A benchmark that prints figures, not a test: nothing is asserted. Needs Debian's chromium and
chromium-driver and selenium. The time is taken inside the browser: performance.now() at the
Enter keydown, and again after the frame in which a result card (class st-key-card-r0, set in
kb_app/cards.py) holds a citation of this question's run; the driver only collects it. Beside
the times: the server's part (kb.answer, cards, each run's messages and bytes) and the CPU
seconds of every process on the machine by kind, so a slow figure says where the time went.
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

WARM_UP = "Hoeveel klachten ontving de IND in 2016?"  # the server's first question, asked before any timing
# Distinct questions, Dutch and English: 8 sessions x (1 warm-up + 5 timed) = 48 without a repeat, so no
# question is asked twice in a run and no cache of any kind could answer one from an earlier one.
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
    "leges voor een verblijfsvergunning",
    "beslistermijn asielaanvraag overschreden",
    "aantal verleende verblijfsvergunningen studie",
    "Oekraïense ontheemden registratie",
    "inburgering en naturalisatietoets",
    "digitale dienstverlening IND online aanvragen",
    "voorraad openstaande asielzaken",
    "Hoeveel klachten waren gegrond?",
    "werkvoorraad en achterstanden 2022",
    "How many residence permits for labour migrants?",
    "What did the IND spend on penalty payments?",
    "asylum seekers from Syria",
    "number of decisions on objections",
    "customer satisfaction survey results",
    "How long did naturalisation take on average?",
    "staff absence due to illness",
    "intake of students from abroad",
    "visa applications for family visits",
    "minor asylum seekers without parents",
    "income and expenses of the IND",
    "beroepszaken bij de rechtbank gewonnen",
    "nationaliteit van asielzoekers",
    "vestiging en loketten van de IND",
    "hoger beroep Raad van State",
    "regeling langdurig verblijvende kinderen",
    "meldplicht en vertrek vreemdelingen",
    "verblijf als gezinslid bij Nederlander",
    "klachten over bejegening",
]

# Runs in the page: note the Enter keydown's time, then the time after the frame that first holds a
# result card's citation drawn by this question's run (requestAnimationFrame, then a task: the frame
# has been painted by then). Asked in the same tab, the previous question's card is still there: it
# counts only once it is a new node, its text changed, or it went stale (Streamlit marks the elements
# of the previous run data-stale while a rerun runs) and then fresh again.
WATCH = """
const sel = arguments[1], kb = window.__kb = {enter: null, painted: null, staleSeen: false};
kb.took = new Promise(resolve => { kb.resolve = resolve; });
const card = () => document.querySelector(sel);
const stale = c => { const el = c.closest("[data-testid='stElementContainer']"); return !!el && el.getAttribute('data-stale') === 'true'; };
const old = card(), oldText = old ? old.textContent : null;
document.querySelector(arguments[0]).addEventListener('keydown', e => { if (e.key === 'Enter' && kb.enter === null) kb.enter = performance.now(); }, {capture: true, once: true});
const seen = () => {
  if (kb.enter === null || kb.painted !== null) return false;
  const c = card();
  if (!c || stale(c)) { kb.staleSeen = true; return false; }
  if (c === old && c.textContent === oldText && !kb.staleSeen) return false;
  requestAnimationFrame(() => setTimeout(() => { if (kb.painted === null) { kb.painted = performance.now(); kb.resolve(kb.painted - kb.enter); } }, 0));
  return true;
};
new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); }).observe(document.body,
  {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-stale']});
"""
# Both waits are answered by the page itself (one asynchronous call each), not by polling through the
# driver: eight drivers polling ten times a second would take CPU from the browsers they measure.
PAINTED = "window.__kb.took.then(arguments[arguments.length - 1])"
# The run is over when no element of the previous run is left stale and Streamlit's running indicator is gone.
RUN_OVER = """
const done = arguments[arguments.length - 1];
const check = () => document.querySelector("[data-stale='true'], [data-testid='stStatusWidget']") ? setTimeout(check, 100) : done(true);
check();
"""


# The server, started as `streamlit run` is, with two functions wrapped to log their time (JSON lines):
# kb.answer, and the drawing of each result card (the Python side; the browser's part is the rest);
# and every message the server sends a browser (its kind, element and size, with a session number).
SERVER_TIMING = """
import json, sys, threading, time
import kb.pipeline, kb_app.cards
from streamlit.web.server.starlette import starlette_websocket
log, lock = open(sys.argv.pop(1), "a", encoding="utf-8"), threading.Lock()
def write(entry):
    with lock:
        log.write(json.dumps(entry) + "\\n"); log.flush()
def timed(name, fn):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            write({"what": name, "s": time.perf_counter() - began})
    return wrapper
kb.pipeline.KnowledgeBase.answer = timed("answer", kb.pipeline.KnowledgeBase.answer)
kb_app.cards.card = timed("card", kb_app.cards.card)
send = starlette_websocket.StarletteSessionClient.write_forward_msg
def logged_send(self, msg):
    kind = msg.WhichOneof("type")
    element = msg.delta.new_element.WhichOneof("type") if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" else ""
    write({"what": "msg", "t": time.perf_counter(), "session": id(self), "kind": kind, "element": element, "bytes": msg.ByteSize()})
    return send(self, msg)
starlette_websocket.StarletteSessionClient.write_forward_msg = logged_send
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


def ask(driver, url: str, question: str, reload: bool, wait: float = 120) -> float:
    """Ask in the same tab as a user would (select the old question, type, Enter) or, with `reload`,
    open Zoeken afresh first: seconds from Enter to the first card of this question painted."""
    if reload:
        driver.get(url)
        WebDriverWait(driver, wait).until(EC.presence_of_element_located((By.CSS_SELECTOR, PAGE_IDLE)))
    box = WebDriverWait(driver, wait).until(EC.element_to_be_clickable((By.CSS_SELECTOR, QUESTION_BOX)))
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(question)
    driver.execute_script(WATCH, QUESTION_BOX, FIRST_CARD)
    box.send_keys(Keys.ENTER)
    driver.set_script_timeout(wait)
    took = driver.execute_async_script(PAINTED)
    driver.execute_async_script(RUN_OVER)  # the rest drawn too, before the next question
    return took / 1000


def session(url: str, questions: list[str], reload: bool, start: threading.Barrier, out: list, errors: list) -> None:
    """One user: its own Chromium, asks its first question untimed (the tab is warm after it: Streamlit's
    parts for cards loaded), waits for the others, then asks the rest one after another."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-chromium-") as profile:
        driver = start_chromium(Path(profile))
        try:
            driver.get(url)
            WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.CSS_SELECTOR, PAGE_IDLE)))
            ask(driver, url, questions[0], reload)
            start.wait()
            for question in questions[1:]:
                out.append((question, ask(driver, url, question, reload)))
        except Exception as exc:  # a benchmark reports a failed session and goes on with the others
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            start.abort()
        finally:
            driver.quit()


def run_sessions(url: str, users: int, per_user: int, reload: bool, server: int, on_start=lambda: None):
    """`users` browsers at once, each asking a warm-up and `per_user` timed questions, no two the same.
    Returns the timings, the failed sessions, the wall time and the CPU seconds by process kind, both
    counted from the moment every session is warm (`on_start` is called then)."""
    if users * (per_user + 1) > len(QUESTIONS):
        raise SystemExit(f"{users} sessions x {per_user + 1} questions need more than the {len(QUESTIONS)} distinct ones")
    out: list[tuple[str, float]] = []
    errors: list[str] = []
    start = threading.Barrier(users + 1)  # the sessions and this thread, which starts the clocks with them
    step = per_user + 1
    threads = [threading.Thread(target=session, args=(url, QUESTIONS[u * step:(u + 1) * step], reload, start, out, errors))
               for u in range(users)]
    for thread in threads:
        thread.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        pass
    on_start()
    cpu = CpuCount(server)
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return out, errors, time.perf_counter() - began, cpu.stop()


def process_kind(pid: int, server: int, command: str) -> str:
    """What a process is to this benchmark: the app's server, a Chromium process by its --type, the drivers."""
    if pid == server:
        return "the app's streamlit server"
    if pid == os.getpid():
        return "this benchmark (Selenium client)"
    program = command.split(" ", 1)[0]
    if program.endswith("chromedriver"):
        return "chromedriver"
    if "chrom" in program:
        kind = command.split("--type=", 1)[1].split()[0] if "--type=" in command else "browser"
        return f"Chromium {kind}"
    return "other processes (not this benchmark)"


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """pid -> (command line, CPU seconds used so far) for every process."""
    tick, out = os.sysconf("SC_CLK_TCK"), {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[int(proc.name)] = (command, (int(fields[11]) + int(fields[12])) / tick)
    return out


class CpuCount:
    """CPU seconds by process kind from now until stop(); read every 0.5 s so that a process that
    ends in between still counts (up to its last reading)."""

    def __init__(self, server: int) -> None:
        self.server, self.first = server, cpu_by_process()
        self.last: dict[int, tuple[str, float]] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.done.wait(0.5):
            self._update()

    def _update(self) -> None:
        """Newer readings; a process that has ended (its command line then reads empty) keeps its name."""
        for pid, (command, seconds) in cpu_by_process().items():
            named = command or self.last.get(pid, self.first.get(pid, ("", 0.0)))[0]
            self.last[pid] = (named, seconds)

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        self._update()
        by: dict[str, float] = {}
        for pid, (command, seconds) in self.last.items():
            used = seconds - self.first.get(pid, (command, 0.0))[1]
            kind = process_kind(pid, self.server, command)
            by[kind] = by.get(kind, 0.0) + used
        return dict(sorted(by.items(), key=lambda x: -x[1]))


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
    """The server's part of the questions asked since `offset` in the log: kb.answer, the cards, each
    run from its start (new_session) to its last message, and what the messages weigh per run."""
    by: dict[str, list[float]] = {"answer": [], "card": []}
    runs: list[list[dict]] = []
    open_run: dict[int, list[dict]] = {}
    for line in timing_log.read_text("utf-8")[offset:].splitlines():
        entry = json.loads(line)
        if entry["what"] != "msg":
            by[entry["what"]].append(entry["s"])
        elif entry["kind"] == "new_session":
            open_run[entry["session"]] = [entry]
        elif entry["session"] in open_run:
            open_run[entry["session"]].append(entry)
            if entry["kind"] == "script_finished":
                runs.append(open_run.pop(entry["session"]))
    parts = [f"{what} p50 {statistics.median(v):.3f} s, p95 {percentile(v, 95):.3f} s, max {max(v):.3f} s ({len(v)})"
             for what, v in by.items() if v]
    runs = [r for r in runs if any(m["element"] == "code" for m in r)]  # the runs that drew result cards
    if runs:
        took = [r[-1]["t"] - r[0]["t"] for r in runs]
        size = [sum(m["bytes"] for m in r) for r in runs]
        heavy: dict[str, int] = {}
        for m in (m for r in runs for m in r):
            name = m["element"] or ("add_block" if m["kind"] == "delta" else m["kind"])
            heavy[name] = heavy.get(name, 0) + m["bytes"]
        parts.append(f"a run with results from its start to its last message p50 {statistics.median(took):.3f} s, "
                     f"p95 {percentile(took, 95):.3f} s; {statistics.median(len(r) for r in runs):.0f} messages and "
                     f"{statistics.median(size) / 1000:.1f} kB per run (p50), the most by element: " +
                     ", ".join(f"{k} {v / len(runs) / 1000:.1f} kB" for k, v in sorted(heavy.items(), key=lambda x: -x[1])[:5]))
    return "  on the server: " + ";\n    ".join(parts) if parts else "  on the server: nothing logged"


def cpu_report(cpu: dict[str, float], wall: float, questions: int) -> str:
    """CPU seconds by process kind over a phase, against the 2 cores' (or however many) seconds."""
    have = wall * (os.cpu_count() or 1)
    rows = [f"    {seconds:7.2f} s  {seconds / have:5.1%}  {seconds / max(1, questions):5.2f} s a question  {kind}"
            for kind, seconds in cpu.items() if seconds >= 0.01]
    return (f"  CPU seconds by process over the timed phase ({wall:.1f} s x {os.cpu_count()} cores = {have:.1f} s "
            f"available; used {sum(cpu.values()):.1f} s):\n" + "\n".join(rows))


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


def warm(users_list: list[int], per_user: int, single: int, reload: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="kb-bench-log-") as tmp, \
            tempfile.TemporaryDirectory(prefix="kb-bench-chromium-") as profile:
        log = Path(tmp) / "server-timing.jsonl"
        log.touch()
        with serve(ROOT / "corpus", ROOT / "index", log) as (url, up, pid):
            print(f"streamlit answered /health after {up:.1f} s; questions asked "
                  + ("each on Zoeken opened afresh" if reload else "in the same tab, as a user asks a next question"))
            driver = start_chromium(Path(profile))
            try:
                print(f"the server's first question (untimed: loads the model) took {ask(driver, url, WARM_UP, True):.2f} s")
            finally:
                driver.quit()
            for users in users_list:
                print("\n" + conditions(f"before {users} session(s)", pid))
                offset = [0]
                timings, errors, wall, cpu = run_sessions(url, users, per_user if users > 1 else single, reload, pid,
                                                          on_start=lambda: offset.__setitem__(0, len(log.read_text("utf-8"))))
                load = os.getloadavg()[0]
                report(f"{users} session(s) at once", timings, errors, wall)
                print(f"  load average (1 min) at the end of the phase: {load:.2f}")
                print(server_split(log, offset[0]))
                print(cpu_report(cpu, wall, len(timings)))
                print(conditions(f"after {users} session(s)", pid))


def first_start(question: str) -> None:
    """Launch on a missing index (a temporary folder: the real index is untouched) until the first card."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-first-") as tmp, \
            tempfile.TemporaryDirectory(prefix="kb-bench-chromium-") as profile:
        print(conditions("before first start"))
        began = time.perf_counter()
        with serve(ROOT / "corpus", Path(tmp) / "index", Path(tmp) / "server-timing.jsonl") as (url, up, pid):
            cpu = CpuCount(pid)
            driver = start_chromium(Path(profile))
            try:
                driver.get(url)
                WebDriverWait(driver, 1800).until(EC.presence_of_element_located((By.CSS_SELECTOR, PAGE_IDLE)))
                built = time.perf_counter() - began
                box = driver.find_element(By.CSS_SELECTOR, QUESTION_BOX)
                box.send_keys(question)
                driver.execute_script(WATCH, QUESTION_BOX, FIRST_CARD)
                box.send_keys(Keys.ENTER)
                driver.set_script_timeout(300)
                answer = driver.execute_async_script(PAINTED)
                total = time.perf_counter() - began
            finally:
                driver.quit()
            print(cpu_report(cpu.stop(), time.perf_counter() - began, 1).replace("the timed phase", "the first start"))
            print(conditions("after first start", pid))
    print(f"\nfirst start on a missing index: /health after {up:.1f} s, index built and page ready after {built:.1f} s, "
          f"first question {answer / 1000:.2f} s (Enter -> card); launch -> first card painted {total:.1f} s "
          f"(the typing by the driver included, a person's reading and typing not)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1,8", help="session counts to run one after another (default 1,8)")
    parser.add_argument("--per-user", type=int, default=5, help="timed questions per session when several run at once")
    parser.add_argument("--single", type=int, default=20, help="timed questions of the one session")
    parser.add_argument("--reload", action="store_true",
                        help="open Zoeken afresh for every question (the page load's work then falls in between)")
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
        warm([int(n) for n in args.users.split(",")], args.per_user, args.single, args.reload)


if __name__ == "__main__":
    main()
