"""Voice in a real browser: an answer spoken into Chromium's fake microphone is transcribed into the
answer box, sent, graded, and its delivery shows on the Feedback tab; with voices on, a question's
audio plays. The recording is made at test time by espeak-ng; playback is seen by wrapping
`HTMLMediaElement.prototype.play` (Gradio 6 plays from an element outside the page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from page_server import running_app
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.voice_support import HAVE_TOOLS, joined, say, seconds

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
WAIT_MS = 30_000
STATUS = "#status .rt-status"
PERSONA_IDS = ("hiring_manager", "team_member", "skip_level", "cross_functional")
SPOKEN = (
    "Um, last year I led the migration of our events store. The latency was eight hundred milliseconds. "
    "I planned the partitions and rewrote the slowest queries myself. Uh, latency fell by thirty percent."
)
PLAY_HOOK = """
window.__played = [];
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  window.__played.push(this.currentSrc || this.src || "");
  return play.apply(this, arguments);
};
"""

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
if not HAVE_TOOLS:
    pytest.skip("espeak-ng and sox come from apt (see .ci/run)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("voice-home")
    with running_app(home) as url:
        yield url


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("voice-wav")
    # 48 kHz like a real microphone, with a little silence either side as a person leaves.
    return joined(folder / "answer.wav", say(folder / "raw.wav", SPOKEN), rate=48_000, pad=(0.3, 1.0))


@pytest.fixture(scope="module")
def browser(recording: Path) -> Iterator[Browser]:
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={recording}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(PLAY_HOOK)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(server)
    yield page
    context.close()


def start_with_one_interviewer(page: Page) -> None:
    expect(page.locator("#job-title textarea, #job-title input").first).not_to_have_value("")
    for persona_id in PERSONA_IDS:
        box = page.locator(f"#panel-{persona_id} input[type=checkbox]")
        if box.is_checked() != (persona_id == "hiring_manager"):
            box.click()
    page.locator("#start").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 1")


def test_a_spoken_answer_is_transcribed_sent_graded_and_its_delivery_shown(
    page: Page, recording: Path
) -> None:
    start_with_one_interviewer(page)
    box = page.locator("#answer textarea")
    box.fill("Typed first:")  # what the user typed stays; the transcript follows it
    mic = page.locator("#answer-mic")
    mic.locator("button.record-button").click()
    page.wait_for_timeout(int(seconds(recording) * 1000) + 500)  # the fake microphone plays the file once
    with page.expect_response(lambda r: "/gradio_api/upload" in r.url):
        mic.locator("button.stop-button").click()
    # The first recording loads the speech model: allow for it on a busy machine.
    expect(box).to_have_value(re.compile(r"^Typed first: .*migration.*", re.I | re.S), timeout=90_000)
    expect(page.locator("#voice-notice")).to_contain_text("Transcribed")
    transcript = box.input_value()
    assert "percent" in transcript.lower() or "30%" in transcript

    box.press("Enter")
    chat = page.locator("#chat")
    assert page.evaluate("window.__played") == []  # voices are off unless the user turns them on
    expect(chat.locator('[data-testid="user"]')).to_contain_text("migration")
    expect(box).to_have_value("")  # sent and graded
    page.locator("#end-loop").click()
    # The confirm row is drawn by the page's queue, which may still be busy with the spoken answer on a
    # loaded machine (a fresh-clone make test waited past 30 s once).
    confirm = page.locator("#confirm-end-loop")
    expect(confirm).to_be_visible(timeout=90_000)
    confirm.click()
    expect(page.locator(STATUS)).to_contain_text("The loop is over")
    # Delivery is a fold on the Feedback tab, drawn once it is opened.
    page.locator("#feedback").get_by_text("Delivery (spoken answers)", exact=True).click()
    delivery = page.locator("#delivery")
    expect(delivery).to_contain_text("1 spoken answer, ")
    expect(delivery.locator(".rt-delivery-row")).to_have_count(1)
    expect(delivery).to_contain_text("wpm")
    expect(delivery).to_contain_text("fillers")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # for a person to look at (git-ignored)
    delivery.screenshot(path=str(SCREENSHOTS / "voice-delivery.png"))


def test_with_voices_on_the_interviewers_question_plays(page: Page) -> None:
    page.locator("#voices-on input[type=checkbox]").check()
    start_with_one_interviewer(page)
    page.wait_for_function("window.__played.length > 0", timeout=WAIT_MS)
    played = page.evaluate("window.__played")
    assert played and all(src for src in played), played
    # What played is the interviewers' opening words, made on the server as one WAV.
    link = page.locator('#interviewer-voice a[data-testid="download-link"]')
    expect(link).to_have_attribute("href", re.compile(r"/turns-[A-Za-z0-9]+-\d+\.wav$"))
    # The text stays on screen.
    expect(page.locator('#chat [data-testid="bot"]').first).not_to_be_empty()
