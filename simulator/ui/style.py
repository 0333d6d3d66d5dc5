"""The page's stylesheet, its script (Enter sends the answer; chat messages named by their words)
and the words Gradio's status announcer is missing."""

from __future__ import annotations

CSS = """
.rt-speaker { display: flex; align-items: center; gap: .5em; margin-bottom: .35em; flex-wrap: wrap; }
.rt-avatar { display: inline-flex; align-items: center; justify-content: center; width: 2em; height: 2em;
  border-radius: 50%; color: #fff; font-size: .8em; font-weight: 700; flex: none; }
.rt-avatar.rt-you { background: #666; font-size: .65em; }
.rt-name { font-weight: 700; }
.rt-title, .rt-meta, .rt-muted { opacity: .72; }
/* No separator glyph between name, title and meta: a wrapped line would start with it. The meta
   (minute and kind) is a pill that never breaks inside. */
.rt-meta { font-size: .8em; padding: 0 .55em; border-radius: 999px; border: 1px solid var(--border-color-primary);
  white-space: nowrap; }
/* Montserrat's ligatures draw "offline" as "off|ine" at some sizes: letters are drawn one by one. */
.gradio-container, .gradio-container * { font-variant-ligatures: no-common-ligatures; }
.rt-small { font-size: .8em; }
.rt-text { white-space: normal; overflow-wrap: anywhere; }
.rt-handoff .rt-text { font-style: italic; }
.rt-turn-note { margin-top: .35em; font-size: .78em; opacity: .65; font-style: italic; }
.rt-streaming .rt-text::after { content: "▍"; opacity: .5; }
.rt-usage { font-size: .9em; opacity: .85; }
.rt-usage ul { margin: .2em 0 0 1.2em; }
#engine-summary { font-size: .9em; opacity: .85; }
.rt-divider { text-align: center; font-size: .85em; opacity: .8; border-top: 1px dashed currentColor;
  padding-top: .4em; }
.rt-answer-meta { margin-top: .4em; text-align: right; }
.rt-badge { font-size: .75em; padding: .1em .5em; border-radius: 999px; border: 1px solid currentColor;
  opacity: .75; }
.rt-badge-none { border-style: dashed; }
.rt-reply-answered { color: #3f7d4f; }
.rt-reply-partly, .rt-reply-evasive, .rt-reply-hypothetical, .rt-reply-dont_know { color: #9a5b2e; }
.rt-feedback { margin: .2em 0 0; padding-left: 1.2em; }
.rt-coach { margin-top: .5em; font-size: .9em; border-left: 3px solid #3f7d4f; padding-left: .6em; }
.rt-coach-label { font-weight: 700; font-size: .8em; text-transform: uppercase; letter-spacing: .05em; }
.rt-status { display: flex; align-items: center; gap: .8em; flex-wrap: wrap; padding: .4em .2em; }
.rt-clock, .rt-progress { font-variant-numeric: tabular-nums; padding: .1em .6em; border-radius: 999px;
  border: 1px solid var(--border-color-primary); }
.rt-clock.rt-over { border-color: #b3261e; color: #b3261e; }
.rt-notice { padding: .35em .6em; border-radius: 6px; margin: .3em 0; }
.rt-notice-error { background: rgba(179, 38, 30, .1); color: #b3261e; }
.rt-notice-info { background: rgba(47, 111, 143, .1); }
.rt-cards, .rt-debrief { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
  gap: .8em; }
.rt-card, .rt-verdict { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .7em; }
.rt-verdict-label { font-size: 1.15em; font-weight: 700; margin: .2em 0; }
.rt-v-strong_hire .rt-verdict-label, .rt-v-hire .rt-verdict-label { color: #2e7d32; }
.rt-v-lean_no .rt-verdict-label { color: #b26a00; }
.rt-v-no_hire .rt-verdict-label { color: #b3261e; }
.rt-bar { display: inline-block; width: 7em; height: .6em; background: var(--border-color-primary);
  border-radius: 3px; vertical-align: middle; overflow: hidden; }
.rt-bar > span { display: block; height: 100%; background: #2f6f8f; }
.rt-bar-label { font-size: .8em; margin-left: .4em; font-variant-numeric: tabular-nums; }
.rt-dims th, .rt-star th, .rt-chart th { text-align: left; font-weight: 600; padding-right: .8em; }
.rt-table { width: 100%; border-collapse: collapse; }
.rt-table th, .rt-table td { border-bottom: 1px solid var(--border-color-primary); padding: .4em;
  vertical-align: top; text-align: left; }
.rt-k-contradiction td:first-child { border-left: 3px solid #b3261e; }
.rt-checklist { list-style: none; padding-left: 0; }
.rt-checklist li { margin: .35em 0; }
.rt-pass .rt-mark { color: #2e7d32; } .rt-fail .rt-mark { color: #b3261e; } .rt-na { opacity: .7; }
.rt-flag { font-size: .8em; padding: .05em .45em; border-radius: 4px; background: rgba(178, 106, 0, .15); }
.rt-answer { border-bottom: 1px solid var(--border-color-primary); padding: .4em 0; }
.rt-answer blockquote { margin: .4em 0; padding-left: .7em;
  border-left: 3px solid var(--border-color-primary); }
.rt-replay { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.rt-context { opacity: .85; margin-bottom: .6em; }
.rt-step { font-weight: 600; }
.rt-diff li { margin: .2em 0; }
.rt-dims, .rt-star, .rt-chart { border-collapse: collapse; width: 100%; font-size: .9em; }
.rt-dims, .rt-star, .rt-chart, :is(.rt-dims, .rt-star, .rt-chart) :is(thead, tbody, tr, th, td) {
  border: none !important; background: none !important; box-shadow: none !important; }
:is(.rt-dims, .rt-star, .rt-chart) :is(th, td) { padding: .15em .4em !important; vertical-align: middle; }
.rt-advice { display: block; margin: .1em 0 .2em 1.5em; }
.rt-note-summary { font-weight: 600; margin: .2em 0; }
.rt-checklist ul { margin: .1em 0 .2em 1.5em; font-size: .9em; opacity: .85; }
/* The chat's history lives in the store: a client-side "clear" would only confuse. */
#chat button[aria-label="Clear"] { display: none; }
#end-loop-confirm { align-items: center; border: 1px solid #b3261e; border-radius: 8px; padding: .4em .6em; }
@media (max-width: 800px) { .rt-replay { grid-template-columns: 1fr; } }
"""

# Gradio's multi-line textbox sends on Shift+Enter (from its keypress handler); a chat answer box should
# send on Enter. Capturing listeners see the keys first: Enter clicks Send, and Shift+Enter is kept
# from Gradio's handler so the browser inserts the new line.
HEAD = r"""
<script>
(function () {
  function inAnswer(event) {
    var target = event.target;
    return event.key === "Enter" && !event.isComposing && target && target.closest && target.closest("#answer");
  }
  document.addEventListener("keydown", function (event) {
    if (!inAnswer(event) || event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation();
    var send = document.querySelector("#send");
    if (send && !send.disabled) send.click();
  }, true);
  document.addEventListener("keypress", function (event) {
    if (inAnswer(event)) event.stopPropagation();
  }, true);

  // Gradio names each chat message by its content, which here is HTML ("bot's message: <div
  // class=..."). A screen reader should hear the words: the label's markup is parsed (never run:
  // a parsed document loads and executes nothing) and replaced by its text.
  var named = new WeakMap();
  function wordsOf(node) {  // its text nodes, one space apart (textContent runs "Lead" into "2 min")
    var parts = [];
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (var text = walker.nextNode(); text; text = walker.nextNode()) parts.push(text.data);
    return parts.join(" ").replace(/\s+/g, " ").trim();
  }
  function nameByWords(el) {
    var label = el.getAttribute && el.getAttribute("aria-label");
    if (!label || named.get(el) === label || !el.closest("#chat")) return;
    var cut = label.indexOf(": ");
    var markup = cut >= 0 ? label.slice(cut + 2) : label;
    if (markup.indexOf("<") === -1) return;
    var doc = new DOMParser().parseFromString(markup, "text/html");
    doc.querySelectorAll('[aria-hidden="true"]').forEach(function (node) { node.remove(); });
    var who = /^user/.test(label) ? "You" : "";  // Gradio's label starts "user's message: " or "bot's ..."
    var speaker = doc.querySelector(".rt-speaker");  // "Renata Okafor, Team Lead, 2 min"
    if (speaker) {
      who = Array.prototype.map.call(speaker.children, wordsOf).filter(Boolean).join(", ");
      speaker.remove();
    }
    var text = (who ? who + ": " : "") + wordsOf(doc.body);
    named.set(el, text);
    el.setAttribute("aria-label", text);
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") return nameByWords(record.target);
      record.addedNodes.forEach(function (node) {
        if (!node.querySelectorAll) return;
        nameByWords(node);
        node.querySelectorAll("[aria-label]").forEach(nameByWords);
      });
    });
  }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"]
  });
})();
</script>
"""

# Words Gradio's status announcer asks its translations for and its English lacks: without them a
# screen reader hears the key ("common.complete") when a step finishes.
ANNOUNCEMENTS: dict[str, dict[str, str]] = {"en": {"common.complete": "Done"}}
