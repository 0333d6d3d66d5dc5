"""How much one user may hand us at once: shared by the CLI, the page and the grader.

Counted in characters (or bytes for whole files), never in words: text with no spaces must not slip
past a word cap. Grading time grows with an answer's length, so each limit keeps one request to a
few seconds of work while leaving real answers, scripts and exports far inside it.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

# One answer, typed or transcribed: the page's 2,500-word cap fits inside with room to spare.
MAX_ANSWER_CHARS = 20_000
# A whole script file (job, round one, story bank, answers): read no further than this.
MAX_SCRIPT_BYTES = 1 * MIB
# A script's answers and candidate questions: a 2-hour loop has fewer than 100 of each.
MAX_ANSWERS = 400
MAX_CANDIDATE_QUESTIONS = 100
# One `grade` input line (an answer with its question, round one and job) and a run's lines.
MAX_GRADE_LINE_CHARS = 200_000
MAX_GRADE_LINES = 10_000
# A session export to import (the same figure session_json enforces on the text).
MAX_IMPORT_BYTES = 5 * MIB
# A thank-you note to check.
MAX_NOTE_CHARS = 20_000
# One spoken answer: ten minutes is far past any real answer (two or three is the usual advice),
# and transcribing ten minutes takes under a minute on two cores. The byte cap comes first, so a
# huge file is refused before it is decoded (10 min of 48 kHz 16-bit stereo WAV is about 110 MB).
MAX_AUDIO_SECONDS = 600
MAX_AUDIO_BYTES = 128 * MIB
# JSON or YAML nested deeper than this is not something we wrote: refuse it before a parser recurses.
MAX_NESTING = 32


def size_label(count: int) -> str:
    """A byte count for a message: `1 MB`, `512 KB`, `900 bytes`."""
    if count >= MIB and count % MIB == 0:
        return f"{count // MIB} MB"
    if count >= KIB:
        return f"{count // KIB} KB"
    return f"{count} bytes"
