import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { workOptions, type WorkArgs } from './work-options.js';

interface RunArgs extends WorkArgs {
  scenario: string;
  seed?: string;
  out: string;
  mechanism?: string[];
  jobs: boolean;
  report: boolean;
  quiet: boolean;
  'allow-outside-traces': boolean;
  record?: string;
}

/** Parses `--seed`: a whole number ≥ 0, quoted back as given when it is not one. */
export function parseSeed(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) throw new UsageError(`--seed: expected a whole number ≥ 0, got "${String(raw)}"`);
  return n;
}

/**
 * Checks `--mechanism` names against the scenario before anything runs (a preset name such as
 * `boundless` is not a label: the error lists the labels and ids that select something).
 */
export function checkMechanismNames(want: readonly string[] | undefined, refs: readonly { label: string; id: string }[]): void {
  if (!want || want.length === 0) return;
  const labels = refs.map((r) => r.label);
  const names = new Set([...labels, ...refs.map((r) => r.id)]);
  const bad = want.filter((w) => !names.has(w));
  if (bad.length > 0) {
    throw new UsageError(
      `--mechanism ${bad.map((b) => `"${b}"`).join(', ')}: no mechanism of the scenario has this label or id (labels: ${labels.join(', ')})`,
    );
  }
}

/** `pmsim run <scenario>`: every mechanism of a scenario on the same demand; writes the output contract. */
const command: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario under each of its mechanisms and write summary, time series and run metadata',
  builder: (y) =>
    workOptions(
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
        .option('seed', { type: 'string', describe: "Seed, a whole number ≥ 0 (default: the scenario's seed)" })
        .option('out', { type: 'string', default: 'results/run', describe: 'Output directory (replaced as a whole by the new run)' })
        .option('mechanism', { type: 'string', array: true, describe: 'Only these mechanisms (label, or id); repeatable' })
        .option('jobs', { type: 'boolean', default: false, describe: 'Also write jobs.csv (one row per job)' })
        .option('report', { type: 'boolean', default: false, describe: 'Also write report.html and report.md' })
        .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
        .option('allow-outside-traces', { type: 'boolean', default: false, describe: "Let trace files lie outside the scenario's folder" })
        .option('record', {
          type: 'string',
          describe:
            'Also write every input the core received, with its time, id, beacon and decisions (JSON lines, for pmsim replay / audit)',
        }),
    )
      .example('$0 run scenarios/default.yaml --out results/default', 'compare every mechanism of the default scenario')
      .example('$0 run scenarios/default.yaml --seed 7 --mechanism random --jobs', 'one mechanism, another seed, with per-job rows')
      .epilog('Exit status: 0 done, 2 bad input (scenario, flags, --out, work beyond the limits), 1 a bug in pmsim.'),
  handler: async (a) => {
    const seedArg = parseSeed(a.seed);
    const { loadScenarioFile } = await import('../../scenario/load.js');
    const { checkWork } = await import('../../scenario/estimate.js');
    const { resolveMechanism } = await import('../../comparison/run-scenario.js');
    const scenario = loadScenarioFile(a.scenario, { allowOutsideTraces: a['allow-outside-traces'] });
    checkMechanismNames(a.mechanism, scenario.mechanisms.map(resolveMechanism));
    const est = checkWork(scenario, a.scenario, { force: a.force, maxEvents: a['max-events'] });
    const seed = seedArg ?? scenario.seed;
    // Impossible cases (no operator fits, deadlines below any node's time, overload): said before running.
    const { checkFeasibility, formatWarning } = await import('../../scenario/feasibility.js');
    const warnings = checkFeasibility(scenario).map((w) => formatWarning(a.scenario, w));
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const { RunOutputDir } = await import('../../output/run-dir.js');
    // Checked and locked before the simulation: an unwritable --out fails now, not after the run.
    const dir = RunOutputDir.open(resolve(a.out));
    try {
      await runInto(dir, a, scenario, seed, est.mechanisms, warnings);
      dir.commit();
    } catch (e) {
      dir.abort();
      const { asOutputError } = await import('../../output/run-dir.js');
      throw asOutputError(dir.out, e);
    }
    if (!a.quiet) process.stdout.write(`wrote ${dir.out}\n`);
  },
};

async function runInto(
  dir: import('../../output/run-dir.js').RunOutputDir,
  a: RunArgs,
  scenario: import('../../scenario/schema.js').Scenario,
  seed: number,
  total: number,
  before: readonly string[],
): Promise<void> {
  const { runScenario } = await import('../../comparison/run-scenario.js');
  const { AtomicStream } = await import('../../output/atomic.js');
  const { jobsHeader, jobsLine } = await import('../../comparison/jobs-file.js');
  const { writeRunOutputs } = await import('../../comparison/write-run.js');
  const { supplyWarning } = await import('../../comparison/warnings.js');
  const jobs = a.jobs ? new AtomicStream(dir.path('jobs.csv')) : undefined;
  const { RecordWriter, sectionRecorder } = await import('../../service/record.js');
  const record = a.record ? new RecordWriter(resolve(a.record)) : undefined;
  jobs?.write(jobsHeader());
  const { endOfRunWarnings } = await import('../../scenario/feasibility.js');
  const warnings: string[] = [];
  const ends: import('../../scenario/feasibility.js').RunEnd[] = [];
  const tty = !a.quiet && Boolean(process.stderr.isTTY);
  const t0 = Date.now();
  let k = 0;
  try {
    const result = runScenario(scenario, {
      seed,
      mechanisms: a.mechanism,
      onJob: jobs ? (m, r) => jobs.write(jobsLine(m, seed, r)) : undefined,
      record: record ? (ref, m) => sectionRecorder(record, { scenario: scenario.name, seed, config: ref, params: m.params }) : undefined,
      onMechanismDone: (label, r) => {
        k++;
        ends.push({ mechanism: label, submitted: r.metrics.submitted, open: r.openJobs, unservable: r.metrics.unservable });
        const w = supplyWarning(label, r);
        if (w) warnings.push(w);
        if (a.quiet) return;
        const n = a.mechanism?.length ? Math.min(total, a.mechanism.length) : total;
        const elapsed = (Date.now() - t0) / 1000;
        const eta = k < n ? `, ETA ${Math.round((elapsed / k) * (n - k))} s` : '';
        process.stderr.write(
          `  ${tty ? `[${k}/${n}] ` : ''}${label}: ${r.metrics.submitted} jobs, ${r.events} events${tty ? ` (${elapsed.toFixed(1)} s elapsed${eta})` : ''}\n`,
        );
      },
    });
    // The command as typed (every flag: --out, --report...), plus the seed when it came from the file.
    const argv = process.argv.slice(2);
    const cmd = ['pmsim', ...argv, ...(a.seed === undefined ? ['--seed', String(seed)] : [])].map(shellArg).join(' ');
    for (const w of endOfRunWarnings(ends)) warnings.push(w);
    jobs?.commit();
    record?.commit();
    writeRunOutputs(result, dir.staging, { scenarioFile: a.scenario, command: cmd, warnings: [...before, ...warnings] });
    if (!a.quiet) {
      for (const r of result.summary) {
        process.stdout.write(
          `${String(r.mechanism).padEnd(24)} liveness ${fmt(r.liveness, 3)}  price/job $${fmt(r.price_per_job_mean_usd, 4)}  requester cost $${fmt(r.requester_cost_usd, 2)}  hhi ${fmt(r.hhi, 0)}\n`,
        );
      }
    }
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    if (a.report) {
      // Loaded on demand: d3 and resvg are only needed when a report is asked for. Written into the
      // staged set, so a report never sits beside the CSVs of another run.
      const { writeReport } = await import('../../report/index.js');
      const files = await writeReport(dir.staging, dir.staging, { formats: ['html', 'md', 'png'] });
      if (!a.quiet)
        process.stdout.write(
          `report: ${files
            .filter((f) => f.endsWith('.html') || f.endsWith('.md'))
            .map((f) => f.replace(dir.staging, dir.out))
            .join(', ')}\n`,
        );
    }
  } catch (e) {
    jobs?.abort();
    record?.abort();
    throw e;
  }
}

function shellArg(s: string): string {
  return /^[\w./:@=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function fmt(v: unknown, digits: number): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

export default command;
