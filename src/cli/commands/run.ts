import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { runScenario } from '../../comparison/run-scenario.js';
import { AtomicStream } from '../../output/atomic.js';
import { writeRunOutputs } from '../../comparison/write-run.js';
import { jobsHeader, jobsLine } from '../../comparison/jobs-file.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { RecordWriter, sectionRecorder } from '../../service/record.js';
import { UsageError } from '../errors.js';

interface RunArgs {
  scenario: string;
  seed?: number;
  out: string;
  mechanism?: string[];
  jobs: boolean;
  report: boolean;
  quiet: boolean;
  record?: string;
}

/** `pmsim run <scenario>`: every mechanism of a scenario on the same demand; writes the output contract. */
const command: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario under each of its mechanisms and write summary, time series and run metadata',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
      .option('seed', { type: 'number', describe: "Seed (default: the scenario's seed)" })
      .option('out', { type: 'string', default: 'results/run', describe: 'Output directory' })
      .option('mechanism', { type: 'string', array: true, describe: 'Only these mechanisms (id or label); repeatable' })
      .option('jobs', { type: 'boolean', default: false, describe: 'Also write jobs.csv (one row per job)' })
      .option('report', { type: 'boolean', default: false, describe: 'Also write report.html and report.md' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
      .option('record', { type: 'string', describe: 'Also write every input the core received, with its time, id, beacon and decisions (JSON lines, for pmsim replay / audit)' })
      .example('$0 run scenarios/default.yaml --out results/default', 'compare every mechanism of the default scenario')
      .example('$0 run scenarios/default.yaml --seed 7 --mechanism random --jobs', 'one mechanism, another seed, with per-job rows'),
  handler: async (a) => {
    const scenario = loadScenarioFile(a.scenario);
    if (a.seed !== undefined && (!Number.isInteger(a.seed) || a.seed < 0)) throw new UsageError(`--seed expects a whole number ≥ 0, got ${a.seed}`);
    const seed = a.seed ?? scenario.seed;
    const out = resolve(a.out);
    const jobs = a.jobs ? new AtomicStream(join(out, 'jobs.csv')) : undefined;
    jobs?.write(jobsHeader());
    const record = a.record ? new RecordWriter(resolve(a.record)) : undefined;
    try {
      const result = runScenario(scenario, {
        seed,
        mechanisms: a.mechanism,
        onJob: jobs ? (m, r) => jobs.write(jobsLine(m, seed, r)) : undefined,
        record: record ? (ref, m) => sectionRecorder(record, { scenario: scenario.name, seed, config: ref, params: m.params }) : undefined,
        onMechanismDone: a.quiet ? undefined : (label, r) => process.stderr.write(`  ${label}: ${r.metrics.submitted} jobs, ${r.events} events\n`),
      });
      const cmd = `pmsim run ${a.scenario} --seed ${seed}${a.mechanism ? a.mechanism.map((m) => ` --mechanism ${m}`).join('') : ''}`;
      writeRunOutputs(result, out, { scenarioFile: a.scenario, command: cmd });
      jobs?.commit();
      record?.commit();
      if (!a.quiet) {
        for (const r of result.summary) {
          process.stdout.write(`${String(r.mechanism).padEnd(24)} liveness ${fmt(r.liveness, 3)}  price/job $${fmt(r.price_per_job_mean_usd, 4)}  requester cost $${fmt(r.requester_cost_usd, 2)}  hhi ${fmt(r.hhi, 0)}\n`);
        }
        process.stdout.write(`wrote ${out}\n`);
      }
      if (a.report) {
        // Loaded on demand: d3 and resvg are only needed when a report is asked for.
        const { writeReport } = await import('../../report/index.js');
        const files = await writeReport(out, out, { formats: ['html', 'md', 'png'] });
        if (!a.quiet) process.stdout.write(`report: ${files.filter((f) => f.endsWith('.html') || f.endsWith('.md')).join(', ')}\n`);
      }
    } catch (e) {
      jobs?.abort();
      record?.abort();
      throw e;
    }
  },
};

function fmt(v: unknown, digits: number): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

export default command;
