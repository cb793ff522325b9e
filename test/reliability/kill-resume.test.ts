// Crash and resume: a training run killed hard (SIGKILL) in the middle of an epoch resumes from
// its last checkpoint and ends with the same weights and metrics as an uninterrupted run.
// The run happens in a child process (fixtures/train-child.ts) so the kill is real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { loadCheckpoint } from '../../src/train/checkpoint';

const CHILD = path.join(__dirname, 'fixtures', 'train-child.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-kill-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

interface ChildResult { resumedFrom: number; weights: string; history: { epoch: number; loss: number; accuracy: number; lr: number }[] }
interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Run the child; `killWhen(stdoutSoFar)` returning true sends SIGKILL at once. A child that
 * runs past 60 s is killed too (and the test fails on its code).
 */
function runChild(args: string[], opts: { env?: Record<string, string>; killWhen?: (out: string) => boolean; killAfterSteps?: number; killDelayMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let armed = false;
    const hang = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (opts.killWhen?.(stdout)) child.kill('SIGKILL');
      if (opts.killAfterSteps !== undefined && !armed && (stdout.match(/^STEP /gm) ?? []).length >= opts.killAfterSteps) {
        armed = true; // counted in steps, not time: the machine's load varies
        setTimeout(() => child.kill('SIGKILL'), opts.killDelayMs ?? 0);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => {
      clearTimeout(hang);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let reference: ChildResult | undefined;
async function uninterrupted(): Promise<ChildResult> {
  if (reference) return reference;
  const out = path.join(tmp, 'reference.json');
  const r = await runChild([out, '-']);
  assert.equal(r.code, 0, `uninterrupted run exits 0; stderr: ${r.stderr}`);
  reference = JSON.parse(fs.readFileSync(out, 'utf8')) as ChildResult;
  return reference;
}

function assertSameRun(got: ChildResult, want: ChildResult, what: string): void {
  assert.equal(got.weights, want.weights, `${what}: final weights byte-equal to the uninterrupted run`);
  assert.deepEqual(got.history, want.history, `${what}: every epoch's loss, accuracy and lr equal`);
}

test('SIGKILL in the middle of epoch 3 resumes from the epoch-2 checkpoint and ends byte-equal to an uninterrupted run', async () => {
  await useCpu();
  const ref = await uninterrupted();
  const dir = path.join(tmp, 'mid-epoch');
  const out = path.join(tmp, 'mid-epoch.json');
  // pause after global step 10 = epoch 3, step 2 of 4; the parent kills it there
  const killed = await runChild([out, dir, '10'], { killWhen: (s) => s.includes('PAUSED') });
  assert.equal(killed.signal, 'SIGKILL', `the child was killed (code ${killed.code}, stderr ${killed.stderr})`);
  assert.match(killed.stdout, /PAUSED 3 2/, 'killed at epoch 3, step 2');
  assert.ok(!fs.existsSync(out), 'the killed run wrote no result');
  const ckpt = path.join(dir, 'checkpoint.bin');
  const ck = loadCheckpoint(ckpt)!;
  assert.equal(ck.meta.epoch, 2, 'the last checkpoint is that of epoch 2');
  tf.dispose([...ck.tensors.values()]);
  // a stray temporary file, as a kill during a checkpoint write leaves, is never read
  fs.writeFileSync(`${ckpt}.tmp-999999`, Buffer.from('SELFSUP-CKPT-1\n{"meta":'));
  const resumed = await runChild([out, dir]);
  assert.equal(resumed.code, 0, `resumed run exits 0; stderr: ${resumed.stderr}`);
  const got = JSON.parse(fs.readFileSync(out, 'utf8')) as ChildResult;
  assert.equal(got.resumedFrom, 2, 'resumed after epoch 2');
  assert.match(resumed.stdout, /^STEP 3 1$/m, 'training restarted at epoch 3, step 1');
  assert.doesNotMatch(resumed.stdout, /^STEP [12] /m, 'epochs 1 and 2 were not retrained');
  assertSameRun(got, ref, 'resumed');
  console.log(`# resume equality: killed at epoch 3 step 2, resumed from epoch 2; ${Buffer.from(got.weights, 'base64').length} weight bytes identical, ${got.history.length} history rows identical`);
});

test('three SIGKILLs at seeded random moments (possibly during a checkpoint write), then completion: still byte-equal', async () => {
  await useCpu();
  const ref = await uninterrupted();
  const dir = path.join(tmp, 'chaos');
  const out = path.join(tmp, 'chaos.json');
  const rng = new Rng(2024);
  const env = { CHILD_STEP_MS: '20' }; // each step lasts >= 20 ms, so a kill lands near the step it aims at
  const kills: string[] = [];
  for (let k = 0; k < 3; k++) {
    // after the 3rd..7th step of this attempt (an epoch is 4 steps: some kills fall after a
    // checkpoint write, some around one), plus 0..29 ms
    const steps = 3 + rng.int(5);
    const ms = rng.int(30);
    const r = await runChild([out, dir], { env, killAfterSteps: steps, killDelayMs: ms });
    if (r.signal !== 'SIGKILL') break; // finished before the kill came
    const last = [...r.stdout.matchAll(/^STEP (\d+) (\d+)$/gm)].pop();
    kills.push(`${steps} steps + ${ms} ms (last seen: epoch ${last?.[1]} step ${last?.[2]})`);
    const ck = fs.existsSync(path.join(dir, 'checkpoint.bin')) ? loadCheckpoint(path.join(dir, 'checkpoint.bin')) : null; // never a half-written one
    if (ck) tf.dispose([...ck.tensors.values()]);
  }
  const final = await runChild([out, dir], { env });
  assert.equal(final.code, 0, `final run exits 0; stderr: ${final.stderr}`);
  const got = JSON.parse(fs.readFileSync(out, 'utf8')) as ChildResult;
  assertSameRun(got, ref, `after kills at ${kills.join(', ')}`);
  assert.ok(kills.length >= 1, 'at least one kill landed before the run finished');
  console.log(`# chaos resume: ${kills.length} kills at ${kills.join(', ')}; final weights and history identical`);
});
