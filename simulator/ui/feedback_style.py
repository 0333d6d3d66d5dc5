"""The Feedback tab's styles and its one script (an answer link opens the folds around its answer).

Kept beside style.py, not in it, so the tab's look changes in one file; app.py joins them.
"""

from __future__ import annotations

FEEDBACK_CSS = """
/* Scoring details (rubric versions, weights, thresholds, 0-1 bars) only when asked for; elsewhere
   (Replay) they always show. */
body:not(.rt-show-details) #feedback .rt-detail { display: none !important; }
body.rt-show-details #feedback .rt-plain { display: none !important; }
#feedback-summary section { margin: .4em 0 1em; }
#feedback-summary h3 { margin: .2em 0 .4em; }
.rt-verdict-list { list-style: none; padding: 0; display: grid; gap: .5em;
  grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
.rt-verdict-list li { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .5em .7em;
  display: flex; flex-wrap: wrap; align-items: center; align-content: flex-start; gap: .5em; }
.rt-verdict-list .rt-who { font-weight: 700; }
.rt-verdict-list .rt-verdict-label { margin: 0 0 0 auto; font-size: 1em; }
.rt-verdict-list .rt-objection { flex-basis: 100%; margin: .1em 0 0; font-size: .9em; opacity: .85; }
.rt-panel-verdict { margin-bottom: .5em; }
.rt-fixes > li { margin: .2em 0 .8em; }
.rt-fix-title { display: block; }
.rt-fixes > li > p { display: block; margin: .1em 0 .3em; }
.rt-fix-answers { list-style: none; padding-left: .2em; margin: 0; }
.rt-fix-answers li { margin: .25em 0; padding-left: .6em; border-left: 3px solid var(--border-color-primary); }
.rt-quote { font-style: italic; }
.rt-answer-link { white-space: nowrap; }
.rt-conflicts { padding-left: 1.2em; }
.rt-conflicts li { margin: .3em 0; }
.rt-conflicts li p { margin: .1em 0; font-size: .9em; }
.rt-answer > summary { cursor: pointer; }
.rt-answer .rt-q { display: block; font-weight: 600; }
.rt-answer .rt-answer-line { display: block; font-size: .9em; opacity: .85; }
.rt-answer:target, .rt-answer.rt-flash { outline: 2px solid #2f6f8f; outline-offset: 2px; border-radius: 4px; }
"""

# A link to an answer opens the "Every answer" fold (a Gradio accordion) and the answer's own
# <details>, then scrolls to it; the address bar is left alone (it holds the running session).
FEEDBACK_HEAD = """
<script>
(function () {
  function reveal(target) {
    target.open = true;
    target.classList.add("rt-flash");
    setTimeout(function () { target.classList.remove("rt-flash"); }, 2000);
    target.scrollIntoView({ block: "center" });
    var summary = target.querySelector("summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus({ preventScroll: true }); }
  }
  // Gradio draws a closed accordion's content only once it opens: open it, then wait for the answer.
  function whenThere(id, tries, done) {
    var target = document.getElementById(id);
    if (target || tries <= 0) return target && done(target);
    setTimeout(function () { whenThere(id, tries - 1, done); }, 50);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.rt-answer-link");
    if (!link) return;
    event.preventDefault();
    var toggle = document.querySelector("#answers-fold .label-wrap");
    if (toggle && !toggle.classList.contains("open")) toggle.click();
    whenThere(link.getAttribute("href").slice(1), 100, reveal);
  });
})();
</script>
"""
