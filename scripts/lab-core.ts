import { spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Budgets a notebook runs in (DESIGN.md): smoke (CI), quick (default), full. */
export type Budget = 'smoke' | 'quick' | 'full';
export const BUDGETS: readonly Budget[] = ['smoke', 'quick', 'full'];

/** What `npm run lab -- ...` asks for. */
export interface LabOptions {
  /** Notebook names (no `.ipynb`); empty = every notebook, sorted. */
  notebooks: string[];
  budget: Budget;
  /** `--set key=value` overrides, values parsed as JSON where they parse, else strings. */
  sets: Record<string, unknown>;
  /** Export each executed notebook to HTML (default true). */
  html: boolean;
  /** Render each figure spec to PNG with headless Chromium (default true). */
  png: boolean;
  /** Notebooks executed at once (default 1). The wasm backend and tslab's compiler use one core each, so 2 fits a 2-core machine. */
  jobs?: number;
}

/** Where the runner reads and writes. */
export interface LabPaths {
  /** The project root; the kernel (scripts/tslab-kernel) runs here, so notebooks import "./src". */
  root: string;
  notebooksDir: string;
  resultsDir: string;
  /** Jupyter prefix holding the kernel spec: `<prefix>/share/jupyter/kernels/tslab`. */
  jupyterPrefix: string;
}

/** One notebook's outcome. */
export interface NotebookRun {
  notebook: string;
  status: 'ok' | 'failed';
  wall_s: number;
  /** The executed copy (written even when a cell failed). */
  executed?: string;
  html?: string;
  /** results/<notebook>.json, when the run wrote it. */
  results?: string;
  pngs: string[];
  /** The failing cell's source and error text. */
  error?: string;
}

/** Per-cell timeout of the executor, seconds. */
export const CELL_TIMEOUT_S = 7200;

/** The runner's default paths for the project at `root`. */
export function defaultPaths(root: string = path.resolve(__dirname, '..')): LabPaths {
  return {
    root,
    notebooksDir: path.join(root, 'notebooks'),
    resultsDir: path.join(root, 'results'),
    jupyterPrefix: path.join(root, '.jupyter'),
  };
}

const USAGE =
  'usage: npm run lab -- [notebook ...] [--budget smoke|quick|full] [--set key=value ...] [--jobs N] [--no-html] [--no-png]';

/** A JSON value where `text` parses as JSON, else the string itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Parse the runner's command line (without `node script`). Throws an Error with usage on bad input. */
export function parseLabArgs(argv: string[]): LabOptions {
  const opts: LabOptions = { notebooks: [], budget: 'quick', sets: {}, html: true, png: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--budget') {
      const b = value();
      if (!BUDGETS.includes(b as Budget)) throw new Error(`--budget ${b}: use smoke, quick or full\n${USAGE}`);
      opts.budget = b as Budget;
    } else if (flag === '--set') {
      const kv = value();
      const eq = kv.indexOf('=');
      const key = kv.slice(0, eq);
      if (eq < 1 || !/^[A-Za-z_$][\w$]*$/.test(key)) throw new Error(`--set ${kv}: expected identifier=value\n${USAGE}`);
      opts.sets[key] = parseValue(kv.slice(eq + 1));
    } else if (flag === '--jobs') {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`--jobs ${v}: expected an integer from 1 to 16\n${USAGE}`);
      opts.jobs = n;
    } else if (flag === '--no-html') {
      opts.html = false;
    } else if (flag === '--no-png') {
      opts.png = false;
    } else if (flag === '--help' || flag === '-h') {
      throw new Error(USAGE);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      opts.notebooks.push(path.basename(arg).replace(/\.ipynb$/, ''));
    }
  }
  return opts;
}

/** Notebook names in `dir` (no `.ipynb`), sorted. */
export function listNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .map((f) => f.slice(0, -'.ipynb'.length))
    .sort();
}

/**
 * The notebooks to run: every one in `dir` when `requested` is empty, else each requested name
 * (exact, or a unique prefix such as `02`). Throws an Error naming an unknown one.
 */
export function selectNotebooks(dir: string, requested: string[]): string[] {
  const all = listNotebooks(dir);
  if (!requested.length) return all;
  return requested.map((name) => {
    if (all.includes(name)) return name;
    const matches = all.filter((n) => n.startsWith(name));
    if (matches.length === 1) return matches[0];
    throw new Error(
      `notebook "${name}" ${matches.length ? `is ambiguous (${matches.join(', ')})` : 'not found'} in ${dir}; have: ${all.join(', ') || '(none)'}`,
    );
  });
}

/** The parts of an nbformat 4 notebook the runner touches. */
export interface NotebookJson {
  cells: CellJson[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export interface CellJson {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  metadata: { tags?: string[]; [key: string]: unknown };
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** A cell's source as one string. */
export function cellSource(cell: CellJson): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Give every cell a unique `id` (nbformat 4.5) where it lacks one; bumps nbformat_minor to 5. Mutates and returns `nb`. */
export function ensureCellIds(nb: NotebookJson): NotebookJson {
  const seen = new Set<string>();
  for (const cell of nb.cells) {
    if (cell.id && /^[A-Za-z0-9_-]{1,64}$/.test(cell.id) && !seen.has(cell.id)) {
      seen.add(cell.id);
      continue;
    }
    let id: string;
    do id = randomBytes(4).toString('hex');
    while (seen.has(id));
    cell.id = id;
    seen.add(id);
  }
  if (nb.nbformat === 4 && nb.nbformat_minor < 5) nb.nbformat_minor = 5;
  return nb;
}

/**
 * Papermill-style parameter injection: a copy of `nb` with a code cell tagged
 * `injected-parameters` right after the cell tagged `parameters`, holding one assignment per
 * entry of `sets` (`epochs = 3;`). The parameters cell must declare each overridden name with
 * `let` (an assignment to a `const` fails to compile, so that is rejected here, by name).
 * Without a `parameters` cell, `sets` must be empty and the copy has no injected cell.
 */
export function injectParameters(nb: NotebookJson, sets: Record<string, unknown>, note = ''): NotebookJson {
  const copy = JSON.parse(JSON.stringify(nb)) as NotebookJson;
  const at = copy.cells.findIndex((c) => c.cell_type === 'code' && c.metadata?.tags?.includes('parameters'));
  const keys = Object.keys(sets);
  if (at < 0) {
    if (keys.length) throw new Error(`--set ${keys.join(', ')}: the notebook has no cell tagged "parameters"`);
    return copy;
  }
  const params = cellSource(copy.cells[at]);
  for (const key of keys) {
    if (new RegExp(`\\bconst\\s+${key.replace(/\$/g, '\\$')}\\b`).test(params)) {
      throw new Error(`--set ${key}: the parameters cell declares "${key}" with const; declare it with let so it can be overridden`);
    }
  }
  const lines = [`// Injected by npm run lab${note ? ` (${note})` : ''}.`];
  for (const key of keys) lines.push(`${key} = ${JSON.stringify(sets[key])};`);
  // tslab prints the value of a cell's last expression: end on an empty statement instead.
  if (keys.length) lines.push('; // (so that the kernel prints nothing)');
  copy.cells.splice(at + 1, 0, {
    cell_type: 'code',
    execution_count: null,
    metadata: { tags: ['injected-parameters'] },
    outputs: [],
    source: lines.join('\n'),
  });
  return copy;
}

/** The kernel command registered in kernel.json: scripts/tslab-kernel of the project. */
export function kernelBinary(root: string): string {
  return path.join(root, 'scripts', 'tslab-kernel');
}

/** Path of the tslab kernel spec under a Jupyter prefix. */
export function kernelSpecPath(prefix: string): string {
  return path.join(prefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
}

/** True when `prefix` holds a tslab kernel spec that starts this project's kernel wrapper. */
export function isKernelRegistered(prefix: string, root: string): boolean {
  try {
    const spec = JSON.parse(fs.readFileSync(kernelSpecPath(prefix), 'utf8')) as { argv?: string[] };
    return spec.argv?.[0] === kernelBinary(root) && fs.existsSync(kernelBinary(root));
  } catch {
    return false;
  }
}

/** The Python that has nbclient and nbconvert: env SELFSUP_PYTHON, else /usr/bin/python3, else python3. */
export function findPython(): string {
  const candidates = [process.env.SELFSUP_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import nbclient, nbconvert, nbformat'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new Error(
    `no Python with nbclient and nbconvert among ${candidates.join(', ')}: run npm run setup (Debian) or pip install nbconvert nbclient`,
  );
}

/** Register the tslab kernel (its command: the project's scripts/tslab-kernel) under `prefix`. */
export function registerKernel(prefix: string, root: string, python = '/usr/bin/python3'): void {
  fs.chmodSync(kernelBinary(root), 0o755);
  const tslab = path.join(root, 'node_modules', 'tslab', 'bin', 'tslab');
  const r = spawnSync(
    process.execPath,
    [tslab, 'install', `--python=${python}`, `--binary=${kernelBinary(root)}`, `--prefix=${prefix}`],
    { encoding: 'utf8' },
  );
  if (r.status !== 0 || !isKernelRegistered(prefix, root)) {
    throw new Error(`tslab install --prefix=${prefix} failed:\n${r.stdout}${r.stderr}`);
  }
}

/**
 * Make sure the kernel is registered: for the project's own prefix by running scripts/setup.sh
 * (system packages, node_modules, kernel), for any other prefix by registering the kernel alone.
 */
export function ensureKernel(paths: LabPaths, log: (line: string) => void): void {
  if (isKernelRegistered(paths.jupyterPrefix, paths.root)) return;
  if (path.resolve(paths.jupyterPrefix) === path.join(paths.root, '.jupyter')) {
    log('[lab] tslab kernel not registered: running scripts/setup.sh');
    const r = spawnSync('bash', [path.join(paths.root, 'scripts', 'setup.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`scripts/setup.sh failed (exit ${r.status})`);
  } else {
    log(`[lab] registering the tslab kernel under ${paths.jupyterPrefix}`);
    registerKernel(paths.jupyterPrefix, paths.root);
  }
}

/** Environment of the executor and kernel for one notebook. */
export function kernelEnv(paths: LabPaths, notebook: string, budget: Budget): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PATH: [path.join(paths.jupyterPrefix, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    SELFSUP_BUDGET: budget,
    SELFSUP_NOTEBOOK: notebook,
    SELFSUP_RESULTS: paths.resultsDir,
  };
}

const FAIL_MARK = '[selfsup-lab] FAILED';

interface Spawned {
  code: number;
  stderr: string;
}

/** Child processes running now (the executor, nbconvert), so that {@link stopChildren} can end them. */
const children = new Set<import('child_process').ChildProcess>();
let stopping = false;

/**
 * Stop: send `signal` to every child the runner started that is still running (the executor then
 * shuts its kernel down and writes the partial notebook) and run no further step or notebook.
 */
export function stopChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  stopping = true;
  for (const child of children) child.kill(signal);
}

/** Run a command, passing each line of its stdout and stderr to `log`; resolves with the exit code and stderr. */
function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string }, log: (line: string) => void): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    const lines = (onLine: (l: string) => void) => {
      let rest = '';
      return (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        const parts = rest.split('\n');
        rest = parts.pop() ?? '';
        for (const p of parts) onLine(p);
      };
    };
    child.stdout.on('data', lines(log));
    child.stderr.on('data', lines((l) => {
      stderr += l + '\n';
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
      log(l);
    }));
    child.on('error', (err) => {
      children.delete(child);
      reject(err);
    });
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code: code ?? 1, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Render plotly figure specs (JSON files) to PNGs beside them with one headless Chromium, and to
 * SVGs beside those (for reports and slides). Returns the PNGs written.
 */
export async function renderFigurePngs(specs: string[], log: (line: string) => void, chromiumPath = '/usr/bin/chromium'): Promise<string[]> {
  if (!specs.length) return [];
  if (!fs.existsSync(chromiumPath)) {
    log(`[lab] warning: ${chromiumPath} not found; skipping ${specs.length} PNG figure(s)`);
    return [];
  }
  const { chromium } = await import('playwright-core');
  const browser = await launchChromium(chromium, chromiumPath);
  const written: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: require.resolve('plotly.js-dist-min') });
    for (const spec of specs) {
      // One unreadable spec costs its own images only (the results page shows it as broken).
      let fig: unknown;
      try {
        fig = JSON.parse(fs.readFileSync(spec, 'utf8'));
      } catch (err) {
        log(`[lab] warning: ${spec}: ${(err as Error).message}; no PNG`);
        continue;
      }
      const [url, svgUrl] = await page.evaluate(async (f: { data: unknown[]; layout: Record<string, unknown> }) => {
        const Plotly = (window as unknown as { Plotly: { toImage(fig: unknown, opts: unknown): Promise<string> } }).Plotly;
        const width = typeof f.layout.width === 'number' ? f.layout.width : 800;
        const height = typeof f.layout.height === 'number' ? f.layout.height : 450;
        return [await Plotly.toImage(f, { format: 'png', width, height, scale: 2 }), await Plotly.toImage(f, { format: 'svg', width, height })];
      }, fig as { data: unknown[]; layout: Record<string, unknown> });
      const png = spec.replace(/\.json$/, '.png');
      fs.writeFileSync(png, Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
      written.push(png);
      // plotly's SVG data URL is URI-encoded text (base64 if it says so).
      const svgData = svgUrl.slice(svgUrl.indexOf(',') + 1);
      const svg = /;base64,/.test(svgUrl.slice(0, svgUrl.indexOf(',') + 1)) ? Buffer.from(svgData, 'base64').toString('utf8') : decodeURIComponent(svgData);
      fs.writeFileSync(spec.replace(/\.json$/, '.svg'), svg);
    }
  } finally {
    await browser.close();
  }
  return written;
}

/** Chromium flags for headless rendering here (DESIGN.md, "Headless figures"). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch Debian's Chromium through playwright-core (a fresh temporary profile each time). */
export async function launchChromium(
  chromium: typeof import('playwright-core').chromium,
  executablePath = '/usr/bin/chromium',
): Promise<import('playwright-core').Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** Files in `dir` named `<notebook>-*.json` modified at or after `since` (ms). */
function freshSpecs(dir: string, notebook: string, since: number): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${notebook}-`) && f.endsWith('.json'))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).mtimeMs >= since)
    .sort();
}

/**
 * Execute one notebook: inject parameters, run it with nbclient on the tslab kernel (stopping at
 * the first failing cell), write `<results>/<name>.ipynb` (also when a cell fails), then the HTML
 * export and the PNG figures when asked.
 */
export async function runNotebook(
  name: string,
  options: LabOptions,
  paths: LabPaths,
  log: (line: string) => void,
  python: string = findPython(),
): Promise<NotebookRun> {
  const start = Date.now();
  const since = start - 1000; // mtime granularity
  const elapsed = () => (Date.now() - start) / 1000;
  const run1: NotebookRun = { notebook: name, status: 'failed', wall_s: 0, pngs: [] };
  fs.mkdirSync(paths.resultsDir, { recursive: true });
  const ticker = setInterval(() => log(`[lab] ${name}: running, ${elapsed().toFixed(0)} s`), 60_000);
  try {
    const source = JSON.parse(fs.readFileSync(path.join(paths.notebooksDir, `${name}.ipynb`), 'utf8')) as NotebookJson;
    const nb = ensureCellIds(injectParameters(source, options.sets, `budget ${options.budget}`));
    nb.metadata.kernelspec ??= { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };
    const executed = path.join(paths.resultsDir, `${name}.ipynb`);
    log(`[lab] ${name}: executing (budget ${options.budget}${Object.keys(options.sets).length ? `, ${JSON.stringify(options.sets)}` : ''})`);
    const env = kernelEnv(paths, name, options.budget);
    const exec = await run(
      python,
      [path.join(__dirname, 'execute-notebook.py'), '-', '--output', executed, '--kernel', 'tslab', '--timeout', String(CELL_TIMEOUT_S), '--name', name],
      { env, cwd: paths.root, input: JSON.stringify(nb) },
      log,
    );
    if (fs.existsSync(executed) && fs.statSync(executed).mtimeMs >= since) {
      run1.executed = executed;
      // Sign it (as `jupyter trust` does) so that classic Notebook runs its figures' scripts when it opens it.
      spawnSync(python, ['-m', 'nbformat.sign', executed], { stdio: 'ignore', env });
    }
    if (exec.code === 0) {
      run1.status = 'ok';
    } else if (stopping) {
      run1.error = 'stopped by a signal (the executed copy holds what ran)';
    } else {
      const at = exec.stderr.lastIndexOf(FAIL_MARK);
      run1.error = at >= 0 ? exec.stderr.slice(at).trim() : exec.stderr.trim().split('\n').slice(-30).join('\n');
    }
    if (options.html && run1.executed && !stopping) {
      const html = await run(
        python,
        ['-m', 'nbconvert', '--to', 'html', '--output', name, '--output-dir', paths.resultsDir, executed],
        { env, cwd: paths.root },
        (l) => (/error|warn/i.test(l) ? log(l) : undefined),
      );
      const file = path.join(paths.resultsDir, `${name}.html`);
      if (html.code === 0 && fs.existsSync(file)) run1.html = file;
      else log(`[lab] ${name}: HTML export failed (exit ${html.code})`);
    }
    const resultsJson = path.join(paths.resultsDir, `${name}.json`);
    if (fs.existsSync(resultsJson) && fs.statSync(resultsJson).mtimeMs >= since) run1.results = resultsJson;
    if (options.png && !stopping) {
      // A figure that fails to render is a warning: the notebook itself ran.
      try {
        run1.pngs = await renderFigurePngs(freshSpecs(path.join(paths.resultsDir, 'figures'), name, since), log);
      } catch (err) {
        log(`[lab] ${name}: warning: PNG rendering failed: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  } catch (err) {
    run1.status = 'failed';
    run1.error ??= (err as Error).message;
  } finally {
    clearInterval(ticker);
    run1.wall_s = elapsed();
  }
  log(`[lab] ${name}: ${run1.status} in ${run1.wall_s.toFixed(1)} s`);
  if (run1.error) log(run1.error);
  return run1;
}

/** tslab's compiler error when a watched path changes twice before a cell runs (not a notebook error). */
export const TSLAB_WATCH_ERROR = 'Unexpected pending rebuildTimer';

/**
 * Run the selected notebooks (in order, `options.jobs` at a time); every one runs even when an
 * earlier one failed. Runs are returned in notebook order.
 */
export async function runLab(options: LabOptions, paths: LabPaths = defaultPaths(), log: (line: string) => void = (l) => console.log(l)): Promise<NotebookRun[]> {
  const names = selectNotebooks(paths.notebooksDir, options.notebooks);
  if (!names.length) {
    log(`[lab] no notebooks in ${paths.notebooksDir}`);
    return [];
  }
  ensureKernel(paths, log);
  const python = findPython();
  const runs: (NotebookRun | undefined)[] = new Array(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stopping && next < names.length) {
      const i = next++;
      let r = await runNotebook(names[i], options, paths, log, python);
      if (r.status === 'failed' && !stopping && (r.error?.includes(TSLAB_WATCH_ERROR) || r.error?.includes('DeadKernelError'))) {
        // tslab's file watcher sometimes trips when files appear under the project while it
        // compiles (the kernel then dies); the notebook itself is fine, so run it once more.
        // A notebook that really kills its kernel fails the second time too.
        log(`[lab] ${names[i]}: the tslab kernel died (tslab's "${TSLAB_WATCH_ERROR}" is the known cause); running it again`);
        r = await runNotebook(names[i], options, paths, log, python);
      }
      runs[i] = r;
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, names.length));
  if (jobs > 1) log(`[lab] ${names.length} notebooks, ${jobs} at a time`);
  await Promise.all(Array.from({ length: jobs }, worker));
  return runs.filter((r): r is NotebookRun => r !== undefined);
}

/** The end-of-run summary: notebook, status, wall s, results JSON (relative to `root`). */
export function summaryTable(runs: NotebookRun[], root: string = process.cwd()): string {
  const rows = [
    ['notebook', 'status', 'wall s', 'results json'],
    ...runs.map((r) => [r.notebook, r.status, r.wall_s.toFixed(1), r.results ? path.relative(root, r.results) : '-']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)].join(os.EOL);
}
