"""``python -m webservice``: serve the skill over HTTP(S) on 127.0.0.1:5000 by default.

Alexa only calls a public HTTPS endpoint on port 443: put this behind a reverse proxy or a
tunnel that terminates TLS, or give it a certificate with --certfile/--keyfile.

    python -m webservice --workers 5           # production: gunicorn, 5 processes (make serve)
    python -m webservice                       # Werkzeug's development server, one process
    python -m webservice --host 0.0.0.0 --port 8080
    python -m webservice --no-verify           # development only, and it says so loudly
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping, Sequence

from webservice.settings import VERIFICATION_OFF_BANNER, ServeSettings, parse_port


def build_parser(defaults: ServeSettings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m webservice", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=defaults.host,
                        help=f"interface to listen on (default {defaults.host}; env SERVE_HOST)")
    parser.add_argument("--port", type=parse_port, default=defaults.port,
                        help=f"port (default {defaults.port}; env SERVE_PORT)")
    parser.add_argument("--verify", dest="verify", action=argparse.BooleanOptionalAction,
                        default=defaults.verify,
                        help="check Alexa signatures and timestamps (default on; "
                             "--no-verify or VERIFY_SIGNATURES=0 for development only)")
    parser.add_argument("--certfile", help="serve HTTPS with this PEM certificate chain")
    parser.add_argument("--keyfile", help="the private key for --certfile")
    parser.add_argument("--workers", type=int, default=defaults.workers,
                        help="gunicorn worker processes; 0 runs Werkzeug's development server "
                             f"instead (default {defaults.workers}; env SERVE_WORKERS)")
    parser.add_argument("--threads", type=int, default=defaults.threads,
                        help="threads per gunicorn worker "
                             f"(default {defaults.threads}; env SERVE_THREADS)")
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    try:
        defaults = ServeSettings.from_env(env)
    except ValueError as error:
        print(f"webservice: {error}", file=sys.stderr)
        return 2
    args = build_parser(defaults).parse_args(argv)
    if bool(args.certfile) != bool(args.keyfile):
        print("webservice: --certfile and --keyfile go together", file=sys.stderr)
        return 2
    if args.workers < 0 or args.threads < 1:
        print("webservice: --workers must be 0 or more and --threads 1 or more", file=sys.stderr)
        return 2
    if args.workers:
        return _production(args)

    from werkzeug.serving import run_simple

    from webservice.app import create_app

    if not args.verify:
        print(VERIFICATION_OFF_BANNER, file=sys.stderr, flush=True)
    app = create_app(verify=args.verify)
    # Werkzeug's own access line would be a second, unstructured line per request.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    scheme = "https" if args.certfile else "http"
    print(f"Connection Check-In web service on {scheme}://{args.host}:{args.port}/ "
          f"(health: /health, verification {'on' if args.verify else 'OFF'})",
          file=sys.stderr, flush=True)
    ssl_context = (args.certfile, args.keyfile) if args.certfile else None
    run_simple(args.host, args.port, app, threaded=True, ssl_context=ssl_context)
    return 0


def _production(args: argparse.Namespace) -> int:
    from webservice.production import serve

    if not args.verify:
        print(VERIFICATION_OFF_BANNER, file=sys.stderr, flush=True)
    scheme = "https" if args.certfile else "http"
    print(f"Connection Check-In web service on {scheme}://{args.host}:{args.port}/ under gunicorn, "
          f"{args.workers} workers x {args.threads} threads "
          f"(health: /health, verification {'on' if args.verify else 'OFF'})",
          file=sys.stderr, flush=True)
    serve(args.host, args.port, args.workers, args.threads, args.verify, args.certfile,
          args.keyfile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
