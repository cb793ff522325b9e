"""Execute one notebook headless with Jupyter's nbclient (what `jupyter nbconvert --execute` runs).

Why not `jupyter nbconvert --execute` itself: tslab reports a failing cell (a type error, a thrown
error) only as stderr text in the cell's outputs with an empty error reply, and nbconvert writes
no notebook when a cell fails, so all it can print is "<Error>: ". This driver stops at the first
failing cell like nbconvert, but always writes the executed notebook (papermill-style), prints
the failing cell's source and error output, and echoes cell output live with per-cell timings.

usage: python3 execute-notebook.py --output OUT.ipynb [--kernel tslab] [--timeout S] [--name N] IN.ipynb|-
exit: 0 ok; 1 a cell failed; 2 anything else (bad input, kernel died, timeout).
"""
import argparse
import signal
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

FAIL_MARK = "[selfsup-lab] FAILED"


class EchoClient(NotebookClient):
    """A NotebookClient that echoes stream output to stderr as it arrives."""

    prefix = ""

    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] == "stream":
            text = msg["content"].get("text", "")
            for line in text.splitlines():
                print(f"{self.prefix}  | {line}", file=sys.stderr, flush=True)
        return super().output(outs, msg, display_id, cell_index)


def cell_report(cell, k, count):
    """The failing cell's source and what it wrote to stderr / its error outputs."""
    lines = [f"{FAIL_MARK}: code cell {k} of {count} (id {cell.get('id', '?')})", "--- source ---"]
    lines += cell.source.splitlines()
    lines.append("--- error ---")
    found = False
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            lines += out.get("text", "").rstrip("\n").splitlines()
            found = True
        elif out.get("output_type") == "error":
            lines.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
            lines += [t for t in out.get("traceback", [])]
            found = True
    if not found:
        stdout = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
        lines += stdout.rstrip("\n").splitlines()[-20:] or ["(the kernel reported an error but no error text reached the notebook: tslab drops output when its zeromq socket is busy. Rerun: training resumes from its checkpoint.)"]
    return "\n".join(lines)


INTERRUPTED = []


def interrupt(signum, frame):
    INTERRUPTED.append(signum)
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    # SIGTERM (from the runner) unwinds like Ctrl-C: nbclient then shuts the kernel down.
    signal.signal(signal.SIGTERM, interrupt)
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--output", required=True)
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds per cell")
    ap.add_argument("--name", default="")
    args = ap.parse_args()

    nb = nbformat.read(sys.stdin if args.input == "-" else args.input, as_version=4)
    client = EchoClient(nb, kernel_name=args.kernel, timeout=args.timeout, startup_timeout=120)
    client.prefix = f"[{args.name}]" if args.name else ""
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    started = {}

    def on_start(cell, cell_index, **_):
        started[cell_index] = time.monotonic()

    def on_done(cell, cell_index, execute_reply=None, **_):
        k = code_cells.index(cell_index) + 1 if cell_index in code_cells else 0
        took = time.monotonic() - started.get(cell_index, time.monotonic())
        state = (execute_reply or {}).get("content", {}).get("status", "ok")
        print(f"{client.prefix} cell {k}/{len(code_cells)} {state} in {took:.1f} s", file=sys.stderr, flush=True)

    client.on_cell_start = on_start
    client.on_cell_executed = on_done
    status = 0
    try:
        client.execute()
    except CellExecutionError:
        index = next((i for i in range(len(nb.cells) - 1, -1, -1) if i in started), 0)
        k = code_cells.index(index) + 1 if index in code_cells else index + 1
        print(cell_report(nb.cells[index], k, len(code_cells)), file=sys.stderr, flush=True)
        status = 1
    except KeyboardInterrupt:
        print(f"{FAIL_MARK}: interrupted", file=sys.stderr, flush=True)
        status = 130
    except Exception as err:  # kernel died, timeout, ...
        what = f"interrupted (signal {INTERRUPTED[0]})" if INTERRUPTED else f"{type(err).__name__}: {err}"
        print(f"{FAIL_MARK}: {what}", file=sys.stderr, flush=True)
        status = 130 if INTERRUPTED else 2
    finally:
        nbformat.write(nb, args.output)
    return status


if __name__ == "__main__":
    sys.exit(main())
