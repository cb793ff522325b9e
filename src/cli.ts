import { initBackend } from './backend';
import { DataError, loadImageFolder, stratifiedSample, subset, Rng } from './data';
import { ImageSet } from './data/image-set';
import { convNet } from './models/conv-net';
import { checkMethod, pretrain, rotationPreset } from './methods';
import { evaluateBackbone } from './eval';
import { BUDGETS, Budget } from './train/budget';

/** Thrown for bad command-line input: printed without a stack, exit code 2. */
export class UsageError extends Error {}

const USAGE = `usage: selfsup run --method <rotation|supervised> --data <image folder or .tar/.tar.gz archive>
                   [--budget smoke|quick|full] [--seed N] [--size S] [--json]

Trains the method on your images (layout <split>/<class>/<image> with splits train/test, or
<class>/<image> split 80/20 here), then reports kNN and linear-probe accuracy of its features
and of a random-init backbone of the same shape. Images are resized to S x S (default 32).`;

/** Parsed `run` arguments. */
export interface RunArgs {
  method: string;
  data: string;
  budget: Budget;
  seed: number;
  size: number;
  json: boolean;
}

/** Parse `run` arguments; throws UsageError naming the bad flag. */
export function parseRunArgs(argv: string[]): RunArgs {
  const out: Partial<RunArgs> = { budget: 'quick', seed: 1, size: 32, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const int = (name: string, v: string, min: number) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${v}"`);
      return n;
    };
    switch (a) {
      case '--method': out.method = value(); break;
      case '--data': out.data = value(); break;
      case '--budget': {
        const b = value();
        if (!(BUDGETS as readonly string[]).includes(b)) throw new UsageError(`--budget must be one of ${BUDGETS.join(', ')}, got "${b}"`);
        out.budget = b as Budget;
        break;
      }
      case '--seed': out.seed = int('--seed', value(), 0); break;
      case '--size': out.size = int('--size', value(), 8); break;
      case '--json': out.json = true; break;
      default: throw new UsageError(`unknown argument "${a}"`);
    }
  }
  if (!out.method) throw new UsageError('--method is required');
  try {
    checkMethod(out.method);
  } catch (e) {
    throw new UsageError(`--method: ${(e as Error).message}`);
  }
  if (!out.data) throw new UsageError('--data is required');
  return out as RunArgs;
}

/** The JSON line `selfsup run --json` prints (DESIGN.md's CLI contract). */
export interface RunReport {
  method: string;
  backend: string;
  n_train: number;
  n_test: number;
  knn_acc: number;
  linear_acc: number;
  random_knn_acc: number;
  random_linear_acc: number;
  images_per_s: number;
  wall_s: number;
}

/** Cap a set at `max` class-balanced images (all of it when smaller). */
function capped(set: ImageSet, max: number, rng: Rng): ImageSet {
  return set.n <= max ? set : subset(set, stratifiedSample(set, { total: max }, rng));
}

/** Train `args.method` on the user's images and evaluate it against a random-init backbone. */
export async function run(args: RunArgs, log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<RunReport> {
  const t0 = performance.now();
  const backend = await initBackend({ quiet: args.json });
  const method = checkMethod(args.method);
  const preset = rotationPreset(args.budget);
  const folder = await loadImageFolder(args.data, { size: [args.size, args.size], seed: args.seed, quiet: args.json });
  const rng = new Rng(args.seed);
  const train = capped(folder.train, preset.trainSize, rng.fork('train'));
  const test = capped(folder.test, preset.testSize, rng.fork('test'));
  if (train.classNames.length < 2) throw new DataError(args.data, `has ${train.classNames.length} class folder(s)`, 'Give it at least two class folders (<class>/<image>) so accuracy can be measured.');
  // At least two batches an epoch, and as many image-steps as the budget's CIFAR-10 run
  // (epochs scaled up for a small folder, capped at 200), so 'quick' means minutes whatever the size.
  const batchSize = Math.max(1, Math.min(preset.batchSize, Math.floor(train.n / 2)));
  const baseEpochs = method === 'supervised' ? preset.supervisedEpochs : preset.epochs;
  const epochs = Math.min(200, Math.max(baseEpochs, Math.round((baseEpochs * preset.trainSize) / train.n)));
  log(`selfsup: ${method} on ${train.n} train / ${test.n} test images, ${train.classNames.length} classes, ${args.size}x${args.size}, budget ${args.budget}: ${epochs} epochs of batch ${batchSize}`);
  const trained = await pretrain(train, { method, widths: preset.widths, epochs, batchSize, optimizer: preset.optimizer, seed: args.seed, head: preset.head });
  const evalOpts = { probe: { epochs: preset.probeEpochs, seed: args.seed } };
  const ours = await evaluateBackbone(trained.backbone, train, test, evalOpts);
  trained.backbone.params.dispose();
  trained.head.params.dispose();
  const random = convNet({ inputChannels: train.channels, widths: preset.widths }, new Rng(args.seed));
  const base = await evaluateBackbone(random, train, test, evalOpts);
  random.params.dispose();
  return {
    method,
    backend: backend.name,
    n_train: train.n,
    n_test: test.n,
    knn_acc: ours.knn,
    linear_acc: ours.linear,
    random_knn_acc: base.knn,
    random_linear_acc: base.linear,
    images_per_s: trained.imagesPerSec,
    wall_s: (performance.now() - t0) / 1000,
  };
}

/** Entry point: returns the process exit code (0 ok, 2 bad input, 1 anything else). */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  try {
    if (cmd !== 'run') throw new UsageError(`unknown command "${cmd}"`);
    const args = parseRunArgs(rest);
    const report = await run(args);
    if (args.json) process.stdout.write(JSON.stringify(report) + '\n');
    else {
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      process.stdout.write(
        `${report.method}: kNN ${pct(report.knn_acc)} (random init ${pct(report.random_knn_acc)}), ` +
          `linear ${pct(report.linear_acc)} (random init ${pct(report.random_linear_acc)}); ` +
          `${report.n_train} train / ${report.n_test} test images, ${report.images_per_s.toFixed(0)} img/s on ${report.backend}, ${report.wall_s.toFixed(1)} s\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`selfsup: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof DataError || e instanceof RangeError) {
      process.stderr.write(`selfsup: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`selfsup: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
