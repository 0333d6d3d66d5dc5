"""`python app.py`: serve the Round Two page on this machine (127.0.0.1:7860 unless told otherwise).

No analytics, no outside requests and no share link unless asked: the environment switches below
are set before Gradio is imported, because Gradio reads them at import time.

Problems are one line on stderr. A port already in use exits 2, like any other bad input: the port
is a value the user gave (or left at its default) and the fix is theirs, another `--port`. A host
other than this machine without `--auth` starts, with a warning; `--auth` slows down repeated
wrong passwords from one client (simulator/login_throttle.py).
"""

from __future__ import annotations

import gc
import os

if __name__ == "__main__":
    # Start-up builds some 300,000 objects that live as long as the page (Gradio's classes, the
    # rubrics' patterns). The cyclic collector would walk them again and again while they are
    # built: about 0.8 s of the start. It resumes, with them set aside, once the page serves (main).
    gc.disable()

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

from simulator.private_files import exports_folder

# Gradio copies every file it serves into its cache (by default a shared /tmp/gradio it never cleans):
# keep that cache inside this process's private folder, which goes when the process exits.
os.environ.setdefault("GRADIO_TEMP_DIR", str(exports_folder() / "gradio-cache"))

import argparse
import errno
import ipaddress
import socket
import sys
from pathlib import Path

from simulator.exit_codes import BAD_INPUT, FAILURE, OK

DEFAULT_PORT = 7860


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    # Imported here, as everything heavy is, so that a Ctrl-C during the start meets main's guard.
    from simulator.cli.arguments import Parser
    from simulator.engines import ENGINES

    parser = Parser(prog="app.py", description="Serve the Round Two page.")  # usage errors on one line
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
        port, source = int(args.port), "--port"
    else:
        raw = os.environ.get("GRADIO_SERVER_PORT", "")
        source = "GRADIO_SERVER_PORT"
        try:
            port = int(raw) if raw.strip() else DEFAULT_PORT
        except ValueError:
            raise ValueError(f"GRADIO_SERVER_PORT: not a port number: {raw!r}") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"{source}: {port} is not a port number (1-65535)")
    return port


def check_port_free(host: str, port: int) -> None:
    """ValueError naming the port when it cannot be served on, before anything is built."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
            probe.bind((host, port))
    except socket.gaierror:
        raise ValueError(f"--host: {host!r} is not an address of this machine") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ValueError(f"port {port} is already in use: choose another with --port") from None
        raise ValueError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to a public interface, so assume it does


def _auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth: expected USER:PASS")
    return user, password


def main(argv: list[str] | None = None) -> int:
    from simulator.ui.gradio_stubs import skip_stub_rewrites

    skip_stub_rewrites()  # before Gradio is imported: it would re-check its type stubs, a third of its import
    args = parse_args(argv)
    try:
        port, auth = _port(args), _auth(args.auth)
        check_port_free(args.host, port)
    except ValueError as exc:
        print(f"app.py: {exc}", file=sys.stderr)
        return BAD_INPUT
    if not auth and (args.share or not is_loopback(args.host)):
        where = "a public share link" if args.share else f"--host {args.host}"
        print(
            f"app.py: warning: {where} without --auth: anyone who can reach this page can read, "
            "run and delete every saved session; add --auth USER:PASS",
            file=sys.stderr,
        )

    from simulator.catalog import CatalogError
    from simulator.store import Store, StoreError
    from simulator.ui.actions import ActionError, PageContext

    try:
        store = Store(Path(args.db) if args.db else None)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return BAD_INPUT
    ctx = PageContext(store=store, default_engine=args.engine)
    try:
        _ = ctx.personas  # the page is built from them: a broken persona fails now, with the file and field
    except (ActionError, CatalogError) as exc:
        print(exc, file=sys.stderr)
        return BAD_INPUT

    from simulator.login_throttle import LoginThrottle, launch_auth
    from simulator.ui import build_app, launch_options

    demo = build_app(ctx)
    # Eight events at once; events that must not overlap say so themselves (the Replay list's).
    demo.queue(default_concurrency_limit=8)
    try:
        demo.launch(
            server_name=args.host,
            server_port=port,
            share=args.share,
            max_file_size="5mb",
            show_error=True,
            prevent_thread_lock=True,  # returns once serving, so the collector can resume first
            **(launch_auth(LoginThrottle(*auth)) if auth else {}),
            **launch_options(),
        )
    except OSError as exc:  # taken between the check above and the bind
        print(f"app.py: cannot serve on {args.host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return BAD_INPUT if exc.errno == errno.EADDRINUSE or "port" in str(exc) else FAILURE
    # The rubrics (their patterns compiled: about a fifth of the start's CPU) and the engine are loaded
    # once the page serves, while the browser fetches it: the first page needs neither, the first
    # session does. A broken rubric still stops the start, with the file and the field.
    try:
        ctx.kit("offline")
    except (ActionError, CatalogError) as exc:
        print(exc, file=sys.stderr)
        demo.close()
        return BAD_INPUT
    except KeyboardInterrupt:  # Ctrl-C meanwhile: as once the page serves
        demo.close()
        return OK
    gc.freeze()  # what start-up built stays for good: the collector need never walk it again
    gc.enable()
    demo.block_thread()  # what launch() does when not told otherwise: serve until Ctrl-C
    return OK


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the page serves: stop as quietly as Ctrl-C once it does
        sys.exit(OK)
