"""Command line entry point ``gisapp``.

Modelled on ``qgis_process``: every command is a module in :mod:`gisapp.commands`
(headless, no Qt) with ``register(subparsers)``; the GUI commands (``open``,
``screenshot``) live in :mod:`gisapp.gui_commands` and are imported only when they run,
so the headless CLI never loads Qt.

Errors the user can fix exit with code 2 and one line on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
import warnings

from layers.errors import DataError, environment_message, write_failure_message

#: Headless command modules, in the order ``gisapp --help`` lists them.
HEADLESS_COMMANDS = (
    "info",
    "scan",
    "scans",
    "gevoeligheid",
    "report",
    "informatieproduct",
    "locatiescan",
    "ophalen",
)
#: Commands that need Qt: name -> help text. Resolved at run time via importlib.
GUI_COMMANDS = {
    "open": "Open een project of databestand in de kaartapplicatie",
    "screenshot": "Open een project, render het hoofdvenster naar PNG en sluit af",
}

EXIT_USER_ERROR = 2


def _load_command_module(name: str):
    try:
        return importlib.import_module(f"gisapp.commands.{name}")
    except ModuleNotFoundError as exc:  # command not (yet) installed in this build
        if exc.name == f"gisapp.commands.{name}":
            return None
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gisapp",
        description="Beter Benutten: potentiescans van de bestaande woningvoorraad.",
    )
    parser.add_argument("--version", action="version", version="%(prog)s 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in GUI_COMMANDS.items():
        gui = sub.add_parser(name, help=help_text)
        gui.set_defaults(gui_command=name)
        gui_module = importlib.import_module("gisapp.gui_args")
        gui_module.add_arguments(name, gui)
    for name in HEADLESS_COMMANDS:
        module = _load_command_module(name)
        if module is not None:
            module.register(sub)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    # importlib keeps Qt out of the CLI's static import graph (checked by import-linter).
    gui = importlib.import_module("gisapp.gui_commands")
    return int(gui.run(args.gui_command, args) or 0)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (temporary files are removed on the way) and exit."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, _frame) -> None:
    # End the worker processes first: a tile in a worker would otherwise compute on to its end
    # while this process waits for it to unwind.
    import multiprocessing

    signal.signal(signum, signal.SIG_IGN)  # once is enough: unwinding must not be interrupted again
    for child in multiprocessing.active_children():
        child.terminate()
    raise Terminated(signum)


@contextlib.contextmanager
def _entry_point_settings(handle_signals: bool = True):
    """Process-wide settings of the command line, restored afterwards (``main`` may be called
    in a process that has its own, such as a test run): SIGTERM/SIGHUP end the worker processes
    and unwind like Ctrl-C (headless commands only: in the window an exception raised from a
    signal handler lands in Qt's event loop, which cannot unwind it, so the app would live on);
    GDAL's error lines go to its log, not stderr (pyogrio raises them as exceptions, which are
    reported as one line)."""
    debug = bool(os.environ.get("GISAPP_DEBUG"))
    previous = {}
    if handle_signals and threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None:
                previous[number] = signal.signal(number, _terminate)
    quiet_gdal = not debug and "CPL_LOG" not in os.environ
    if quiet_gdal:
        # read by GDAL when it reports its first error (GDAL's documented CPL_LOG option)
        os.environ["CPL_LOG"] = os.devnull
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if quiet_gdal:
            os.environ.pop("CPL_LOG", None)


def main(argv: list[str] | None = None) -> int:
    if not os.environ.get("GISAPP_DEBUG"):
        # Library warnings (pyogrio, pandas) are not for the user: what matters is reported
        # through the layer reports; keep stderr to progress and one-line errors.
        warnings.filterwarnings("ignore")
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        argv = ["open"]
    args = parser.parse_args(argv)
    with _entry_point_settings(handle_signals=not getattr(args, "gui_command", None)):
        return _run(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        if getattr(args, "gui_command", None):
            return _run_gui(args)
        if not hasattr(args, "func"):
            parser.print_help(sys.stderr)
            return EXIT_USER_ERROR
        return int(args.func(args) or 0)
    except DataError as exc:
        print(f"gisapp: fout: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("gisapp: afgebroken door gebruiker", file=sys.stderr)
        return 130
    except Terminated as exc:
        print(f"gisapp: afgebroken (signaal {signal.Signals(exc.signum).name}); er is niets overschreven",
              file=sys.stderr)
        return 128 + exc.signum
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback for the user
        out = getattr(args, "out", None)
        environment = environment_message(exc, out) or write_failure_message(exc, out)
        if environment is not None:
            print(f"gisapp: fout: {environment}", file=sys.stderr)
            return EXIT_USER_ERROR
        if isinstance(exc, (OSError, ValueError)):
            print(f"gisapp: fout: {_one_line(exc)}", file=sys.stderr)
            return EXIT_USER_ERROR
        if os.environ.get("GISAPP_DEBUG"):
            raise
        print(
            f"gisapp: interne fout ({type(exc).__name__}: {_one_line(exc)}); er is niets overschreven. "
            "Meld dit met de uitvoer van GISAPP_DEBUG=1 gisapp ...",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
