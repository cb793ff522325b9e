import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Results, resultsDir, startTimer, validateMetric, writeResults } from '../../src/viz';
import { projectRoot } from '../../src/data';

const base: Results = {
  notebook: '02-rotation',
  budget: 'quick',
  backend: 'wasm',
  seed: 1,
  wall_s: 312.44,
  images_per_s: 91.23,
  metrics: { 'rotation.knn': 0.47, 'random.linear': 0.3 },
};

describe('writeResults', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-results-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("writes <dir>/<notebook>.json in the contract's shape", () => {
    const file = writeResults(base, dir);
    assert.equal(file, path.join(dir, '02-rotation.json'), 'path');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(json), ['notebook', 'budget', 'backend', 'seed', 'wall_s', 'images_per_s', 'metrics'], 'keys and order');
    assert.deepEqual(json, { ...base, wall_s: 312.4, images_per_s: 91.2 }, 'values (times rounded to 0.1)');
  });

  test('extra is kept; images_per_s may be null', () => {
    const json = JSON.parse(fs.readFileSync(writeResults({ ...base, images_per_s: null, extra: { epochs: 3 } }, dir), 'utf8'));
    assert.equal(json.images_per_s, null, 'null throughput');
    assert.deepEqual(json.extra, { epochs: 3 }, 'extra');
  });

  test('atomic: no temporary file left, an existing file replaced whole', () => {
    writeResults(base, dir);
    writeResults({ ...base, metrics: { 'moco.knn': 0.6 } }, dir);
    assert.deepEqual(fs.readdirSync(dir), ['02-rotation.json'], 'only the result file');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, '02-rotation.json'), 'utf8')).metrics, { 'moco.knn': 0.6 }, 'replaced');
  });

  test('a failed write leaves the previous file intact and no temporary file', () => {
    writeResults(base, dir);
    const bad = { ...base, extra: { big: 1n } } as unknown as Results; // JSON.stringify throws on BigInt
    assert.throws(() => writeResults(bad, dir), /BigInt/);
    assert.deepEqual(fs.readdirSync(dir), ['02-rotation.json'], 'no temporary file');
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, '02-rotation.json'), 'utf8')).seed, 1, 'old file intact');
  });

  test('rejects unknown metric names, naming them, and out-of-range accuracies', () => {
    assert.throws(() => writeResults({ ...base, metrics: { 'byol.knn': 0.5 } }, dir), /unknown encoder "byol"/);
    assert.throws(() => writeResults({ ...base, metrics: { 'rotation.top5': 0.5 } }, dir), /unknown evaluation "top5"/);
    assert.throws(() => writeResults({ ...base, metrics: { rotation: 0.5 } }, dir), /metric "rotation": unknown evaluation ""/);
    assert.throws(() => writeResults({ ...base, metrics: { 'rotation.knn': 47 } }, dir), /accuracy 47 is outside \[0, 1\]/);
    assert.throws(() => writeResults({ ...base, metrics: { 'rotation.knn': -0.1 } }, dir), /outside \[0, 1\]/);
    assert.throws(() => writeResults({ ...base, metrics: { 'rotation.knn': NaN } }, dir), /not a finite number/);
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written');
  });

  test('rejects a bad budget, seed or notebook name', () => {
    assert.throws(() => writeResults({ ...base, budget: 'huge' as Results['budget'] }, dir), /budget "huge"/);
    assert.throws(() => writeResults({ ...base, seed: 1.5 }, dir), /seed 1.5/);
    assert.throws(() => writeResults({ ...base, notebook: '../x' }, dir), /bad notebook name/);
  });
});

describe('validateMetric', () => {
  test('accepts every evaluation form of the contract', () => {
    for (const name of ['rotation.knn', 'moco.linear', 'jigsaw.linear.block3', 'shuffle_and_learn.order_verification', 'av.correspondence', 'simclr.invariance.colour_jitter']) {
      assert.doesNotThrow(() => validateMetric(name, 0.5), name);
    }
  });
  test('invariance values need only be finite', () => {
    assert.doesNotThrow(() => validateMetric('simclr.invariance.crop', -0.2));
    assert.throws(() => validateMetric('simclr.invariance.crop', Infinity), /not a finite number/);
    assert.throws(() => validateMetric('simclr.linear.blockX', 0.5), /unknown evaluation "linear.blockX"/);
  });
  test('knn.bank<n> (07: a larger kNN bank) is a kNN-only form', () => {
    assert.doesNotThrow(() => validateMetric('jigsaw.knn.bank50000', 0.42));
    assert.throws(() => validateMetric('jigsaw.linear.bank50000', 0.42), /unknown evaluation "linear.bank50000"/);
    assert.throws(() => validateMetric('jigsaw.knn.bank', 0.42), /unknown evaluation "knn.bank"/);
  });
});

describe('paths and timer', () => {
  test('results dir: SELFSUP_RESULTS, else <root>/results; root holds package.json', () => {
    const saved = process.env.SELFSUP_RESULTS;
    try {
      delete process.env.SELFSUP_RESULTS;
      assert.equal(resultsDir(), path.join(projectRoot(), 'results'), 'default');
      process.env.SELFSUP_RESULTS = '/tmp/elsewhere';
      assert.equal(resultsDir(), '/tmp/elsewhere', 'env');
    } finally {
      if (saved === undefined) delete process.env.SELFSUP_RESULTS;
      else process.env.SELFSUP_RESULTS = saved;
    }
    assert.ok(fs.existsSync(path.join(projectRoot(), 'package.json')), 'project root');
  });
  test('startTimer counts seconds', async () => {
    const elapsed = startTimer();
    await new Promise((r) => setTimeout(r, 30));
    const s = elapsed();
    assert.ok(s >= 0.025 && s < 1, `elapsed ${s}`);
  });
});
