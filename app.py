"""`python app.py`: serve the Round Two page on this machine (127.0.0.1:7860 unless told otherwise).

No analytics, no outside requests and no share link unless asked: the environment switches below
are set before Gradio is imported, because Gradio reads them at import time.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

import argparse
import sys
from pathlib import Path

from simulator.engines import ENGINES

DEFAULT_PORT = 7860
BAD_INPUT = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the Round Two page.")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--port", type=int, default=None, help=f"port (default $GRADIO_SERVER_PORT, else {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--auth", metavar="USER:PASS", help="require a login (do this before exposing the page)"
    )
    parser.add_argument(
        "--share", action="store_true", help="open a public Gradio share link (off by default)"
    )
    parser.add_argument(
        "--engine", choices=ENGINES, default="offline", help="the engine preselected for new sessions"
    )
    parser.add_argument("--db", help="session database (default: $ROUNDTWO_HOME/sessions.db)")
    return parser.parse_args(argv)


def _port(args: argparse.Namespace) -> int:
    if args.port is not None:
        return int(args.port)
    raw = os.environ.get("GRADIO_SERVER_PORT", "")
    try:
        return int(raw) if raw.strip() else DEFAULT_PORT
    except ValueError:
        raise ValueError(f"GRADIO_SERVER_PORT: not a port number: {raw!r}") from None


def _auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth: expected USER:PASS")
    return user, password


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        port, auth = _port(args), _auth(args.auth)
    except ValueError as exc:
        print(f"app.py: {exc}", file=sys.stderr)
        return BAD_INPUT

    from simulator.catalog import CatalogError
    from simulator.store import Store, StoreError
    from simulator.ui_actions import ActionError, PageContext

    try:
        store = Store(Path(args.db) if args.db else None)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return BAD_INPUT
    ctx = PageContext(store=store, default_engine=args.engine)
    try:
        ctx.kit("offline")  # fail now, with the file and field, if a persona or rubric is broken
    except (ActionError, CatalogError) as exc:
        print(exc, file=sys.stderr)
        return BAD_INPUT

    from simulator.ui import build_app, launch_options

    demo = build_app(ctx)
    demo.queue(default_concurrency_limit=8)
    demo.launch(
        server_name=args.host,
        server_port=port,
        auth=auth,
        share=args.share,
        max_file_size="5mb",
        show_error=True,
        **launch_options(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
