"""Delivery on the Feedback tab (HTML) and in the Markdown export. Every stored text is escaped."""

from __future__ import annotations

import html
from collections.abc import Mapping

from simulator.models import Persona, Session
from simulator.voice.delivery import norms
from simulator.voice.summary import DeliverySummary, coaching_lines, summarize

NONE_SPOKEN = "No spoken answers in this session: answer with the microphone to see pace, pauses and fillers."


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _name(persona_id: str, personas: Mapping[str, Persona]) -> str:
    persona = personas.get(persona_id)
    return persona.name if persona else persona_id


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _pace_bar(wpm: float, low: float, high: float, top: float = 240.0) -> str:
    """A bar for the pace, on a scale with the usual range shaded."""
    width = max(0.0, min(1.0, wpm / top)) * 100
    band_left, band_width = low / top * 100, (high - low) / top * 100
    return (
        f'<span class="rt-bar rt-pace" role="img" aria-label="{wpm:.0f} words a minute" '
        f'style="position:relative">'
        f'<span style="position:absolute;left:{band_left:.0f}%;width:{band_width:.0f}%;height:100%;'
        f'opacity:.25;background:currentColor"></span><span style="width:{width:.0f}%"></span></span>'
        f'<span class="rt-bar-label">{wpm:.0f} wpm</span>'
    )


def _filler_bar(per_minute: float, high: float, top: float = 10.0) -> str:
    """A bar for fillers a minute; past the coaching mark it is drawn in the warning colour."""
    width = max(0.0, min(1.0, per_minute / top)) * 100
    colour = "background:#c2410c;" if per_minute > high else ""
    return (
        f'<span class="rt-bar rt-fillers" role="img" aria-label="{per_minute:.1f} fillers a minute">'
        f'<span style="width:{width:.0f}%;{colour}"></span></span>'
    )


def _fillers(counts: Mapping[str, int]) -> str:
    if not counts:
        return "none heard"
    return ", ".join(f"{w} ×{n}" for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))


def delivery_html(session: Session, personas: Mapping[str, Persona]) -> str:
    summary = summarize(session)
    if not summary.answers:
        return f'<p class="rt-muted">{_e(NONE_SPOKEN)}</p>'
    rules = norms()
    rows = []
    for a in summary.answers:
        d = a.delivery
        pauses = ", ".join(f"{p.length_s:.1f} s at {_clock(p.at_s)}" for p in d.pauses) or "none"
        coach = "".join(f"<li>{_e(line)}</li>" for line in coaching_lines(d))
        rows.append(
            f'<tr class="rt-delivery-row"><td>Answer {a.number}</td><td>{_e(_name(a.turn.persona_id, personas))}</td>'
            f"<td>{_clock(d.duration_s)}</td><td>{_pace_bar(d.words_per_minute, rules.pace_low, rules.pace_high)}</td>"
            f"<td>{_e(pauses)}</td><td>{_filler_bar(d.fillers_per_minute, rules.fillers_per_minute_high)}"
            f"{d.fillers_per_minute:.1f}/min ({_e(_fillers(d.fillers))})</td></tr>"
            + (
                f'<tr><td></td><td colspan="5"><ul class="rt-coaching">{coach}</ul></td></tr>'
                if coach
                else ""
            )
        )
    clock = "".join(
        f"<li>{_e(_name(pid, personas))}: you spoke {_clock(summary.talk_by_persona.get(pid, 0.0))} "
        f"of a {minutes}-minute slot</li>"
        for pid, minutes in summary.clock_by_persona.items()
        if pid in summary.talk_by_persona
    )
    longest = summary.longest
    head = (
        f'<p class="rt-delivery-total">{len(summary.answers)} spoken answer{"s" if len(summary.answers) != 1 else ""}, {_clock(summary.talk_seconds)} of talk; '
        f"pace {summary.words_per_minute:.0f} words a minute (usual range {rules.pace_low:.0f}-{rules.pace_high:.0f}); "
        f"{summary.fillers_per_minute:.1f} fillers a minute ({_e(_fillers(summary.fillers))}); "
        f"longest answer: answer {longest.number if longest else '-'} ({_clock(longest.delivery.duration_s if longest else 0)}).</p>"
    )
    coaching = "".join(f"<li>{_e(line)}</li>" for line in summary.coaching)
    return (
        head
        + (f'<ul class="rt-coaching">{coaching}</ul>' if coaching else "")
        + f'<ul class="rt-talk-time">{clock}</ul>'
        + '<table class="rt-chart" aria-label="Delivery per spoken answer"><thead><tr><th></th><th>to</th>'
        "<th>length</th><th>pace</th><th>long pauses</th><th>fillers</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        + '<p class="rt-muted">Delivery is its own dimension: fillers and pace never change a STAR grade. '
        "Ranges: about 110-170 words a minute and under 3 fillers a minute, public-speaking rules of thumb "
        "(see simulator/data/delivery.yaml).</p>"
    )


def delivery_markdown(session: Session, summary: DeliverySummary | None = None) -> str:
    """The export's Delivery section; empty when no answer was spoken."""
    summary = summary or summarize(session)
    if not summary.answers:
        return ""
    lines = [
        "## Delivery (spoken answers)",
        "",
        f"- **Talk time:** {_clock(summary.talk_seconds)} over {len(summary.answers)} spoken answers",
        f"- **Pace:** {summary.words_per_minute:.0f} words a minute",
        f"- **Fillers:** {summary.fillers_per_minute:.1f} a minute ({_fillers(summary.fillers)})",
    ]
    lines += [f"- {line}" for line in summary.coaching]
    lines += [
        "",
        "| answer | length | pace (wpm) | long pauses | fillers a minute |",
        "|---|---|---|---|---|",
    ]
    for a in summary.answers:
        d = a.delivery
        pauses = "; ".join(f"{p.length_s:.1f} s at {_clock(p.at_s)}" for p in d.pauses) or "none"
        lines.append(
            f"| {a.number} | {_clock(d.duration_s)} | {d.words_per_minute:.0f} | {pauses} | "
            f"{d.fillers_per_minute:.1f} ({_fillers(d.fillers)}) |"
        )
    return "\n".join(lines)
