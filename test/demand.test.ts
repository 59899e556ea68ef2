import { describe, expect, it } from 'vitest';
import { Requester, rateShape } from '../src/market/demand.js';
import { runMarket, type JobRow } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { mechanisms } from '../src/mechanisms/registry.js';
import { runScenario } from '../src/comparison/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { smallScenario } from './agents-helpers.js';

const DAY = 86400;

function requesterOf(over: Record<string, unknown>): Requester {
  const s = smallScenario({
    requesters: [
      {
        name: 'r',
        arrival: { dist: 'exponential', mean: '60s' },
        size_mcycles: 100,
        deadline: '1h',
        max_price_usd_per_mcycle: 0.001,
        ...over,
      },
    ],
  });
  return new Requester(0, s.requesters[0]!, 1, 0);
}

/** Submission times of a requester's stream up to `until`. */
function arrivals(r: Requester, until: number): number[] {
  const out: number[] = [];
  let t = r.spec.start;
  let id = 0;
  while (t < until && r.activeAt(t, until)) {
    r.makeJob(id++, { now: t });
    out.push(t);
    t += r.nextGap();
  }
  return out;
}

function runJobs(s: Scenario, mech = 'random'): JobRow[] {
  const jobs: JobRow[] = [];
  runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(mech)), seed: 3, onJob: (j) => jobs.push(j) });
  return jobs;
}

describe('daily cycle', () => {
  it('changes arrival counts by window as configured: each 6 h window of the day gets its integral of 1 + A cos(2 pi (t - peak) / day)', () => {
    const A = 0.8;
    const peak = 12 * 3600;
    const days = 40;
    const ts = arrivals(requesterOf({ cycle: { amplitude: A, period: '1d', peak: '12h' } }), days * DAY);
    const counts = [0, 0, 0, 0];
    for (const t of ts) counts[Math.floor((t % DAY) / (6 * 3600))]!++;
    const w = (2 * Math.PI) / DAY;
    const integral = (a: number, b: number): number => b - a + (A / w) * (Math.sin(w * (b - peak)) - Math.sin(w * (a - peak)));
    const total = counts.reduce((x, y) => x + y, 0);
    expect(total / days).toBeGreaterThan(1440 * 0.97);
    expect(total / days).toBeLessThan(1440 * 1.03);
    for (let k = 0; k < 4; k++) {
      const expected = (total * integral(k * 6 * 3600, (k + 1) * 6 * 3600)) / DAY;
      expect(Math.abs(counts[k]! - expected) / expected, `window ${k}`).toBeLessThan(0.06);
    }
    // The windows next to the peak get several times the arrivals of those next to the trough.
    expect(Math.max(...counts) / Math.min(...counts)).toBeGreaterThan(3);
  });

  it('leaves the arrival rate unchanged when the amplitude is 0', () => {
    expect(rateShape({ cycle: { amplitude: 0, period: DAY, peak: 0 } })).toBeUndefined();
  });
});

describe('bursts', () => {
  it('multiply the arrival rate inside the burst window and leave it alone outside', () => {
    const ts = arrivals(requesterOf({ bursts: [{ at: '1d', duration: '2h', factor: 4 }] }), 2 * DAY);
    const inBurst = ts.filter((t) => t >= DAY && t < DAY + 7200).length;
    const before = ts.filter((t) => t >= DAY - 7200 * 4 && t < DAY).length / 4;
    expect(inBurst / before).toBeGreaterThan(3.3);
    expect(inBurst / before).toBeLessThan(4.8);
  });

  it('with factor 0 model an outage: no arrivals inside the window', () => {
    const ts = arrivals(requesterOf({ bursts: [{ at: '6h', duration: '3h', factor: 0 }] }), DAY);
    expect(ts.filter((t) => t >= 6 * 3600 && t < 9 * 3600)).toHaveLength(0);
    expect(ts.filter((t) => t >= 9 * 3600).length).toBeGreaterThan(500);
  });
});

describe('Ethereum real-time block proving', () => {
  it('emits a multi-GPU job every 12 s with a 10 s deadline', () => {
    const s = smallScenario({
      duration: '1h',
      window: '10m',
      operators: [{ name: 'cluster', nodes: 2, devices: 16, hardware: 'gpu-rtx5090' }],
      requesters: [
        {
          name: 'eth',
          kind: 'eth-block',
          arrival: '12s',
          deadline: '10s',
          size_mcycles: 100,
          resources: { gpus: 16, memory_gb: 256 },
          max_price_usd: 1,
        },
      ],
    });
    const jobs = runJobs(s);
    expect(jobs).toHaveLength(300);
    const times = jobs.map((j) => j.submitted_s).sort((a, b) => a - b);
    times.forEach((t, i) => expect(t).toBe(12 * i));
    for (const j of jobs) expect(j.deadline_s - j.submitted_s).toBe(10);
    expect(jobs.every((j) => j.kind === 'eth-block')).toBe(true);
  });
});

describe('aggregator', () => {
  it('submits one aggregation job per `every` proofs delivered to the requester it aggregates', () => {
    const s = smallScenario({
      duration: '1d',
      requesters: [
        { name: 'apps', arrival: { dist: 'exponential', mean: '5m' }, size_mcycles: 200, deadline: '2h', max_price_usd_per_mcycle: 0.0005 },
        { name: 'agg', kind: 'aggregation', aggregate: { of: 'apps', every: 4 }, size_mcycles: 50, deadline: '1h', max_price_usd: 1 },
      ],
    });
    for (const mech of mechanisms()
      .map((m) => m.id)
      .filter((id) => id !== 'self-hosted')) {
      const jobs = runJobs(s, mech);
      const delivered = jobs
        .filter((j) => j.requester === 0 && j.outcome === 'delivered' && j.ended_s < DAY)
        .map((j) => j.ended_s)
        .sort((a, b) => a - b);
      const agg = jobs
        .filter((j) => j.requester === 1)
        .map((j) => j.submitted_s)
        .sort((a, b) => a - b);
      expect(agg.length, mech).toBe(Math.floor(delivered.length / 4));
      // Each aggregation job is submitted when the 4th, 8th, ... proof is delivered.
      agg.forEach((t, i) => expect(t, mech).toBe(delivered[4 * i + 3]));
    }
  });

  it('must name another requester and has no arrivals of its own', () => {
    const agg = (over: Record<string, unknown>) =>
      smallScenario({
        requesters: [
          { name: 'apps', arrival: '5m', size_mcycles: 200, deadline: '2h', max_price_usd: 1 },
          { name: 'agg', aggregate: { of: 'apps', every: 4 }, size_mcycles: 50, deadline: '1h', max_price_usd: 1, ...over },
        ],
      });
    expect(() => agg({ aggregate: { of: 'nobody', every: 2 } })).toThrow(/no requester named "nobody"/);
    expect(() => agg({ arrival: '1m' })).toThrow(/remove `arrival` or `aggregate`/);
    expect(() => smallScenario({ requesters: [{ name: 'x', size_mcycles: 1, deadline: '1h', max_price_usd: 1 }] })).toThrow(
      /expected an arrival/,
    );
  });
});

describe('trace replay', () => {
  it('replays absolute timestamps (seconds from the requester start) exactly, then stops', () => {
    const s = smallScenario({
      duration: '1h',
      window: '10m',
      requesters: [
        {
          name: 'trace',
          arrival: { dist: 'empirical', values: [1000, 100, 250, 1005], mode: 'timestamps' },
          size_mcycles: 100,
          deadline: '1h',
          max_price_usd: 1,
          start: '10s',
        },
      ],
    });
    expect(
      runJobs(s)
        .map((j) => j.submitted_s)
        .sort((a, b) => a - b),
    ).toEqual([110, 260, 1010, 1015]);
  });

  it('accepts timestamps only for arrivals', () => {
    expect(() =>
      smallScenario({
        requesters: [
          {
            name: 't',
            arrival: '1m',
            size_mcycles: { dist: 'empirical', values: [1, 2], mode: 'timestamps' },
            deadline: '1h',
            max_price_usd: 1,
          },
        ],
      }),
    ).toThrow(/applies to `arrival` only/);
  });
});

describe('demand and common random numbers', () => {
  it('submits the same jobs at the same times under every mechanism, cycles and bursts included', () => {
    const s = smallScenario({
      duration: '1d',
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: '4m' },
          cycle: { amplitude: 0.5 },
          bursts: [{ at: '10h', duration: '1h', factor: 3 }],
          size_mcycles: { dist: 'lognormal', median: 300, sigma: 1 },
          deadline: '2h',
          max_price_usd_per_mcycle: 0.0005,
        },
      ],
    });
    const trace = (mech: string): string =>
      runJobs(s, mech)
        .map((j) => `${j.submitted_s}:${j.mcycles}`)
        .sort()
        .join(',');
    const ids = mechanisms()
      .map((m) => m.id)
      .filter((id) => id !== 'self-hosted');
    const first = trace(ids[0]!);
    for (const id of ids.slice(1)) expect(trace(id), id).toBe(first);
  });

  it('keeps scenarios/default.yaml valid', () => {
    expect(loadScenarioFile('scenarios/default.yaml').name).toBe('default');
  });
});

describe('example scenarios in scenarios/demand', () => {
  it('validate and run under every mechanism they list', () => {
    for (const f of ['requesters.yaml', 'trace-replay.yaml', 'hardware-over-time.yaml']) {
      const s = loadScenarioFile(`scenarios/demand/${f}`);
      const res = runScenario(s);
      expect(res.summary, f).toHaveLength(s.mechanisms.length);
      for (const row of res.summary) expect(row.jobs_submitted, `${f} ${String(row.mechanism)}`).toBeGreaterThan(0);
    }
  });

  it('replay the trace file: 11 jobs at the listed times', () => {
    const s = loadScenarioFile('scenarios/demand/trace-replay.yaml');
    const res = runScenario(s, { mechanisms: ['random'] });
    expect(res.summary[0]!.jobs_submitted).toBe(11);
  });
});
