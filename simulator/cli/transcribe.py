"""`python -m simulator transcribe FILE [--json]`: what a recording says, and how it was said.

Prints the transcript; with `--json`, `{"text", "duration_s", "words": [{"word", "start", "end"}],
"delivery": {"words_per_minute", "pauses": [{"at_s", "length_s"}], "fillers": {...},
"fillers_per_minute", ...}}`. A file that is not usable audio (missing, empty, not audio, longer
than limits.MAX_AUDIO_SECONDS) is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.cli.errors import BadInput, Failed
from simulator.exit_codes import OK


def _transcribe(args: argparse.Namespace) -> int:
    from simulator.voice.audio import AudioError  # the speech stack loads only for this command
    from simulator.voice.model_files import ModelMissing
    from simulator.voice.transcriber import transcribe

    try:
        transcript = transcribe(Path(args.file))
    except AudioError as exc:
        raise BadInput(str(exc)) from None
    except ModelMissing as exc:
        raise Failed(str(exc)) from None
    if args.json:
        print(transcript.model_dump_json(indent=2))
    elif transcript.text:
        print(transcript.text)
    else:
        print(f"{args.file}: no speech heard ({transcript.duration_s:.1f} s)", file=sys.stderr)
    return OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "transcribe", help="transcribe a recorded answer offline, with its delivery", description=__doc__
    )
    parser.add_argument("file", help="a recording (WAV, MP3, OGG, WebM, ...)")
    parser.add_argument("--json", action="store_true", help="words with timings and delivery figures as JSON")
    parser.set_defaults(handler=_transcribe)
