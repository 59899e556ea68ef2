/**
 * `pmsim sweep --emit k8s|aws-batch`: the Kubernetes Indexed Job and the AWS Batch array job have
 * the right index variable, count and command. Checked three ways: against the fields and types of
 * the public APIs (test/fixtures/cluster/*.schema.json, which cite them), field by field, and by
 * running the emitted commands here with the variable each scheduler sets, then the emitted gather
 * step: the result is byte-identical to `pmsim sweep --workers 1`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SHARD_INDEX_ENV } from '../src/sweep/shard.js';
import { BIN, ROOT, pmsim } from './cli.js';
import { loadSchema, validate } from './cluster-schema.js';

const SWEEP = 'scenarios/sweeps/liveness-vs-redundancy.yaml';
const K8S = loadSchema('k8s');
const AWS = loadSchema('aws-batch');
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-emit-'));
const base = join(tmp, 'one-process');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  const r = pmsim(['sweep', SWEEP, '--workers', '1', '--out', base, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
}, 300_000);

// biome-ignore lint/suspicious/noExplicitAny: deep reads of parsed YAML in the assertions
type Obj = Record<string, any>;

function emit(target: string, ...more: string[]): string {
  const r = pmsim(['sweep', SWEEP, '--emit', target, '--array-size', '4', ...more]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

const k8sDocs = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj);

/** Runs pmsim with `args` (container paths mapped to this machine) and only `env`'s index variable. */
function runContainer(args: string[], env: Record<string, string>, map: [string, string][]): Promise<{ status: number; stderr: string }> {
  const local = args.map((a) => map.reduce((s, [from, to]) => (s.startsWith(from) ? to + s.slice(from.length) : s), a));
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const v of [...SHARD_INDEX_ENV, 'PMSIM_SHARDS']) delete clean[v];
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...local], { cwd: ROOT, env: { ...clean, ...env } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ status: code ?? -1, stderr }));
  });
}

function expectSameAsOneProcess(dir: string): void {
  for (const f of ['runs.csv', 'aggregate.csv']) expect(readFileSync(join(dir, f)).equals(readFileSync(join(base, f))), f).toBe(true);
}

describe('--emit k8s: a Kubernetes Indexed Job of the shards and a gather Job', () => {
  const docs = k8sDocs(emit('k8s', '--cpus-per-task', '2'));
  const [pvc, job, gather] = docs as [Obj, Obj, Obj];

  it('every object has only batch/v1 Job and v1 PersistentVolumeClaim fields, of the right types', () => {
    expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job', 'Job']);
    expect(validate(K8S, 'persistentVolumeClaim', pvc)).toEqual([]);
    expect(validate(K8S, 'job', job)).toEqual([]);
    expect(validate(K8S, 'job', gather)).toEqual([]);
  });

  it('the schema check can fail: a misspelt field, a count as a string, an unknown completion mode', () => {
    const bad = structuredClone(job);
    bad.spec.completionsMode = 'Indexed';
    bad.spec.completions = '4';
    bad.spec.completionMode = 'indexed';
    bad.spec.template.spec.containers[0].args.push(4);
    expect(validate(K8S, 'job', bad)).toEqual([
      'job.spec.completionMode: expected one of NonIndexed, Indexed, got "indexed"',
      'job.spec.completions: expected integer, got string ("4")',
      'job.spec.template.spec.containers[0].args[8]: expected string, got integer (4)',
      'job.spec: unknown field completionsMode',
    ]);
  });

  it('is Indexed with completions = parallelism = the number of shards; the index comes from JOB_COMPLETION_INDEX', () => {
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never'); // backoffLimitPerIndex requires it
    const c = job.spec.template.spec.containers[0];
    expect(c.args).toEqual([
      'sweep',
      '/app/scenarios/sweeps/liveness-vs-redundancy.yaml',
      '--shards',
      '4',
      '--workers',
      '2',
      '--out',
      '/results/liveness-vs-redundancy/shard-{shard}',
    ]);
    expect(c.command).toBeUndefined(); // the image's entrypoint is pmsim
    expect(c.resources.requests.cpu).toBe('2');
    // pmsim reads JOB_COMPLETION_INDEX; nothing in the manifest sets a variable that would win over it.
    expect(SHARD_INDEX_ENV).toContain('JOB_COMPLETION_INDEX');
    const names = (c.env as { name: string }[]).map((e) => e.name);
    for (const v of [...SHARD_INDEX_ENV, 'PMSIM_SHARDS']) expect(names).not.toContain(v);
    expect(c.volumeMounts).toEqual([{ name: 'results', mountPath: '/results' }]);
    expect(gather.spec.template.spec.containers[0].args).toEqual(['gather', '/results/liveness-vs-redundancy']);
    expect(gather.spec.suspend).toBe(true); // resumed by hand once the shard Job is complete
  });

  it('its commands, run with JOB_COMPLETION_INDEX = 0..3 and then the gather Job, give the bytes of --workers 1', async () => {
    const [, j, g] = k8sDocs(emit('k8s', '--cpus-per-task', '1')) as [Obj, Obj, Obj];
    const map: [string, string][] = [
      ['/app/', ROOT],
      ['/results/', `${tmp}/k8s/`],
    ];
    const shards = await Promise.all(
      [0, 1, 2, 3].map((i) => runContainer(j.spec.template.spec.containers[0].args, { JOB_COMPLETION_INDEX: String(i) }, map)),
    );
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    const r = await runContainer(g.spec.template.spec.containers[0].args, {}, map);
    expect(r.status, r.stderr).toBe(0);
    expectSameAsOneProcess(join(tmp, 'k8s/liveness-vs-redundancy'));
  }, 300_000);
});

describe('--emit aws-batch: an AWS Batch job definition, the array job and a gather job', () => {
  const req = JSON.parse(emit('aws-batch', '--cpus-per-task', '2')) as Obj;

  it('has only RegisterJobDefinition and SubmitJob fields, of the right types', () => {
    expect(Object.keys(req)).toEqual(['registerJobDefinition', 'submitJob', 'submitGatherJob']);
    expect(validate(AWS, 'registerJobDefinition', req.registerJobDefinition)).toEqual([]);
    expect(validate(AWS, 'submitJob', req.submitJob)).toEqual([]);
    expect(validate(AWS, 'submitJob', req.submitGatherJob)).toEqual([]);
    const bad = structuredClone(req.submitJob);
    bad.arrayProperties.size = 1;
    bad.arraySize = 4;
    expect(validate(AWS, 'submitJob', bad)).toEqual([
      'submitJob.arrayProperties.size: 1 < minimum 2',
      'submitJob: unknown field arraySize',
    ]);
  });

  it('is an array of the number of shards; the index comes from AWS_BATCH_JOB_ARRAY_INDEX; the gather job depends on the array', () => {
    expect(req.submitJob.arrayProperties).toEqual({ size: 4 });
    const c = req.registerJobDefinition.containerProperties;
    expect(c.command).toEqual([
      'sweep',
      '/app/scenarios/sweeps/liveness-vs-redundancy.yaml',
      '--shards',
      '4',
      '--workers',
      '2',
      '--out',
      '/mnt/results/liveness-vs-redundancy/shard-{shard}',
    ]);
    expect(c.resourceRequirements).toContainEqual({ type: 'VCPU', value: '2' });
    expect(SHARD_INDEX_ENV).toContain('AWS_BATCH_JOB_ARRAY_INDEX');
    const names = (c.environment as { name: string }[]).map((e) => e.name);
    for (const v of [...SHARD_INDEX_ENV, 'PMSIM_SHARDS']) expect(names).not.toContain(v);
    expect(c.mountPoints).toEqual([{ sourceVolume: 'results', containerPath: '/mnt/results', readOnly: false }]);
    expect(req.submitJob.jobDefinition).toBe(req.registerJobDefinition.jobDefinitionName);
    expect(req.submitGatherJob.dependsOn).toHaveLength(1);
    expect(req.submitGatherJob.containerOverrides.command).toEqual(['gather', '/mnt/results/liveness-vs-redundancy']);
  });

  it('its command, run with AWS_BATCH_JOB_ARRAY_INDEX = 0..3 and then the gather job, gives the bytes of --workers 1', async () => {
    const r0 = JSON.parse(emit('aws-batch', '--cpus-per-task', '1')) as Obj;
    const map: [string, string][] = [
      ['/app/', ROOT],
      ['/mnt/results/', `${tmp}/aws/`],
    ];
    const shards = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        runContainer(r0.registerJobDefinition.containerProperties.command, { AWS_BATCH_JOB_ARRAY_INDEX: String(i) }, map),
      ),
    );
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    const g = await runContainer(r0.submitGatherJob.containerOverrides.command, {}, map);
    expect(g.status, g.stderr).toBe(0);
    expectSameAsOneProcess(join(tmp, 'aws/liveness-vs-redundancy'));
  }, 300_000);
});

describe('--emit refuses what the targets cannot run (exit 2, one line, nothing written)', () => {
  it.each([
    [
      ['--emit', 'aws-batch', '--array-size', '1'],
      'error: --emit aws-batch: an AWS Batch array job has 2 to 10000 children (SubmitJob arrayProperties.size), got --array-size 1',
    ],
    [['--emit', 'k8s'], 'error: --emit needs --array-size N, the number of shards (array tasks)'],
    [
      ['--emit', 'k8s', '--array-size', '4', '--out', 'results/x'],
      'error: --out for --emit k8s is the results directory inside the container, an absolute path below the volume\'s mount point (e.g. /results/liveness-vs-redundancy), got "results/x"',
    ],
    [['--emit', 'k8s', '--array-size', '4', '--slurm'], 'error: --slurm and --emit exclude each other: --emit only prints manifests'],
  ])('%j', (flags, message) => {
    const r = pmsim(['sweep', SWEEP, ...flags]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });
});

describe('docs/cluster.md shows what --emit prints', () => {
  const doc = readFileSync(join(ROOT, 'docs/cluster.md'), 'utf8');
  const blocks = [...doc.matchAll(/<!-- emit: (.+?) -->\n```\w+\n([\s\S]*?)```\n/g)];
  it('has both manifests', () =>
    expect(blocks.map((b) => b[1])).toEqual([
      '--emit k8s --array-size 4 --cpus-per-task 2',
      '--emit aws-batch --array-size 4 --cpus-per-task 2',
    ]));
  it.each(blocks.map((b) => [b[1]!, b[2]!]))('%s', (flags, shown) => {
    const r = pmsim(['sweep', SWEEP, ...flags.split(' ')]);
    expect(r.status, r.stderr).toBe(0);
    expect(shown).toBe(r.stdout);
  });
});
