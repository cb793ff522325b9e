import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { Rng } from '../../src/data/rng';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'selfsup.cjs');

function selfsup(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SELFSUP_CACHE: cacheDir }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-cli-cache-'));

/** A folder the CLI has never seen: two classes of 20x20 PNGs (vertical vs horizontal stripes). */
function makeFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-cli-'));
  const rng = new Rng(4);
  for (const cls of ['horizontal', 'vertical']) {
    fs.mkdirSync(path.join(dir, cls));
    for (let i = 0; i < 30; i++) {
      const png = new PNG({ width: 20, height: 20 });
      for (let y = 0; y < 20; y++) {
        for (let x = 0; x < 20; x++) {
          const on = (cls === 'horizontal' ? y : x) % 4 < 2;
          const v = on ? 180 + rng.int(70) : rng.int(60);
          const o = (y * 20 + x) * 4;
          png.data[o] = v;
          png.data[o + 1] = (v * 0.8) | 0;
          png.data[o + 2] = rng.int(255);
          png.data[o + 3] = 255;
        }
      }
      fs.writeFileSync(path.join(dir, cls, `img${i}.png`), PNG.sync.write(png));
    }
  }
  return dir;
}

test('selfsup run trains on an unseen image folder and prints the JSON line', () => {
  const dir = makeFolder();
  const r = selfsup(['run', '--method', 'rotation', '--data', dir, '--budget', 'smoke', '--seed', '1', '--size', '16', '--json']);
  assert.equal(r.code, 0, `exit code 0; stderr: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stdout, got: ${r.stdout}`);
  const j = JSON.parse(lines[0]);
  assert.deepEqual(
    Object.keys(j).sort(),
    ['backend', 'images_per_s', 'knn_acc', 'linear_acc', 'method', 'n_test', 'n_train', 'random_knn_acc', 'random_linear_acc', 'wall_s'].sort(),
    'contract keys',
  );
  assert.equal(j.method, 'rotation');
  assert.equal(j.n_train + j.n_test, 60, 'every image used, split 80/20');
  assert.equal(j.n_test, 12);
  for (const k of ['knn_acc', 'linear_acc', 'random_knn_acc', 'random_linear_acc']) assert.ok(j[k] >= 0 && j[k] <= 1, `${k} = ${j[k]} is a fraction`);
  assert.ok(j.images_per_s > 0 && j.wall_s > 0, 'speed and time reported');
  fs.rmSync(dir, { recursive: true });
});

test('bad flags and unusable data exit 2 with a message naming the flag or file', () => {
  const cases: [string[], RegExp][] = [
    [['run', '--method', 'rotation'], /--data is required/],
    [['run', '--method', 'nope', '--data', '.'], /unknown method "nope"/],
    [['run', '--method', 'rotation', '--data', '.', '--budget', 'huge'], /--budget must be one of smoke, quick, full, got "huge"/],
    [['run', '--method', 'rotation', '--data', '.', '--seed', '-1'], /--seed must be an integer >= 0, got "-1"/],
    [['run', '--method', 'rotation', '--data', '.', '--frobnicate'], /unknown argument "--frobnicate"/],
    [['fly'], /unknown command "fly"/],
    [['run', '--method', 'rotation', '--data', '/nonexistent/photos'], /\/nonexistent\/photos/],
  ];
  for (const [args, re] of cases) {
    const r = selfsup(args);
    assert.equal(r.code, 2, `exit 2 for ${args.join(' ')}; stderr: ${r.stderr}`);
    assert.match(r.stderr, re, `message for ${args.join(' ')}`);
  }
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-empty-'));
  const r = selfsup(['run', '--method', 'rotation', '--data', empty]);
  assert.equal(r.code, 2, `empty folder exits 2; stderr: ${r.stderr}`);
  assert.match(r.stderr, new RegExp(path.basename(empty)), 'names the folder');
  fs.rmSync(empty, { recursive: true });
});
