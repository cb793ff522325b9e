import * as fs from 'node:fs';

/** Where progress lines go: a terminal line rewritten in place, a notebook display updated in place, or plain log lines. */
export interface ProgressSink {
  /** Replace the current progress line. */
  update(line: string): void;
  /** Finish the current line and keep it. */
  done(line: string): void;
}

interface TslabDisplay {
  text(s: string): void;
}

/** True inside a tslab (Jupyter) kernel. */
export function inNotebook(): boolean {
  return Object.keys(require.cache).some((k) => /[\\/]tslab[\\/]dist[\\/](jupyter|executor)\.js$/.test(k));
}

/**
 * Pick the sink for this process: in a tslab notebook a display entry that is overwritten in
 * place (tslab's `newDisplay`); on a TTY a carriage-return line on stderr; otherwise one line
 * on stderr at most every `logEverySec` seconds (for CI logs), and every `done` line.
 */
export function defaultProgressSink(logEverySec = 15): ProgressSink {
  if (inNotebook()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tslab = require('tslab') as { newDisplay(): TslabDisplay };
    // Run headless by the lab runner (it sets SELFSUP_NOTEBOOK): also log to the kernel's own
    // stderr, which the runner's console shows, so a long cell is not silent there.
    const mirror = process.env.SELFSUP_NOTEBOOK ? (line: string) => fs.writeSync(2, `[${process.env.SELFSUP_NOTEBOOK}] ${line}\n`) : null;
    // Progress is best-effort: tslab sends on its zeromq socket without waiting, and a send
    // while another is in flight throws EBUSY. A lost update must never fail the training run.
    const show = (disp: TslabDisplay, line: string): boolean => {
      try {
        disp.text(line);
        return true;
      } catch {
        return false;
      }
    };
    let d: TslabDisplay | null = null;
    let last = 0;
    let lastMirror = Date.now();
    return {
      update(line) {
        const now = Date.now();
        if (mirror && now - lastMirror >= logEverySec * 1000) {
          lastMirror = now;
          mirror(line);
        }
        if (d && now - last < 1000) return;
        last = now;
        d ??= tslab.newDisplay();
        show(d, line);
      },
      done(line) {
        const disp = d ?? tslab.newDisplay();
        d = null;
        mirror?.(line);
        if (!show(disp, line)) setTimeout(() => show(disp, line), 200);
      },
    };
  }
  if (process.stderr.isTTY) {
    return {
      update: (line) => process.stderr.write(`\r\x1b[K${line}`),
      done: (line) => process.stderr.write(`\r\x1b[K${line}\n`),
    };
  }
  let last = Date.now();
  return {
    update(line) {
      if (Date.now() - last >= logEverySec * 1000) {
        last = Date.now();
        process.stderr.write(line + '\n');
      }
    },
    done: (line) => process.stderr.write(line + '\n'),
  };
}

/** A sink that records lines (tests) or drops them. */
export function silentProgressSink(record?: string[]): ProgressSink {
  return { update: () => {}, done: (l) => void record?.push(l) };
}

/** `[#####.....]` bar of `width` cells for a fraction in [0, 1]. */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, fraction));
  const n = Math.round(f * width);
  return '[' + '#'.repeat(n) + '.'.repeat(width - n) + ']';
}

/** Seconds as `1m05s` or `4.2s`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}
