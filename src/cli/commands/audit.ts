import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

interface AuditArgs {
  record: string;
  quiet: boolean;
}

/** `pmsim audit <record>`: recomputes every random selection of a record from its published beacon. */
const command: CommandModule<object, AuditArgs> = {
  command: 'audit <record>',
  describe:
    'Recompute each random selection of a record (pmsim run --record, or GET /v1/record) from the published beacon; exit 0 if all match',
  builder: (y) =>
    y
      .positional('record', { type: 'string', demandOption: true, describe: 'Record file (JSON lines)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print only mismatches and the summary' })
      .example('$0 audit events.jsonl', ''),
  handler: async (a) => {
    // Loaded on demand (the core's mechanisms), so `pmsim --help` stays fast.
    const { auditSection } = await import('../../service/audit.js');
    const { readRecord } = await import('../../service/record.js');
    let sections;
    try {
      sections = readRecord(a.record);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    let bad = 0;
    for (const section of sections) {
      const r = auditSection(section);
      for (const i of r.items) {
        if (i.ok && a.quiet) continue;
        process.stdout.write(
          `${r.mechanism} job ${i.job_id} draw ${i.draw}: operator ${i.operator} of ${i.eligible.length} eligible, beacon ${i.beacon}: ${i.ok ? 'match' : `MISMATCH (${i.reason})`}\n`,
        );
      }
      for (const p of r.problems) process.stdout.write(`${r.mechanism}: ${p}\n`);
      const wrong = r.items.filter((i) => !i.ok).length + r.problems.length;
      bad += wrong;
      process.stdout.write(
        `${r.mechanism}: ${r.items.length} random selections, ${r.items.length - r.items.filter((i) => !i.ok).length} match${wrong ? `, ${wrong} problems` : ''}\n`,
      );
    }
    if (bad > 0) process.exitCode = 1;
  },
};

export default command;
