import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

interface ReplayArgs {
  record: string;
  against: string;
}

/** `pmsim replay`: sends a recorded simulation's inputs to a coordinator and compares the decisions. */
const command: CommandModule<object, ReplayArgs> = {
  command: 'replay <record>',
  describe:
    'Replay a record (pmsim run --record) into a coordinator started with --clock manual; exit 0 if its decisions are identical, 1 with the first difference',
  builder: (y) =>
    y
      .positional('record', { type: 'string', demandOption: true, describe: 'Record file (JSON lines)' })
      .option('against', { type: 'string', demandOption: true, describe: 'Coordinator URL (loopback), e.g. http://127.0.0.1:8787' })
      .example('$0 replay events.jsonl --against http://127.0.0.1:8787', ''),
  handler: async (a) => {
    // Loaded on demand, so `pmsim --help` stays fast.
    const { readRecord } = await import('../../service/record.js');
    const { replayRecord, sectionFor } = await import('../../service/replay.js');
    const { ServiceClient } = await import('../../service/client.js');
    let sections;
    try {
      sections = readRecord(a.record);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const client = new ServiceClient(a.against, 1);
    let label: string;
    try {
      const h = await client.get('/health');
      label = String(h.body?.mechanism);
    } catch (e) {
      throw new UsageError(`--against: expected a running coordinator at ${a.against}, got ${(e as Error).message}`);
    } finally {
      client.close();
    }
    const section = sectionFor(sections, label);
    if (!section)
      throw new UsageError(
        `${a.record}: expected a section for the coordinator's mechanism "${label}", got only ${sections.map((s) => s.header.mechanism).join(', ')}`,
      );
    const r = await replayRecord(section, a.against);
    if (r.ok) {
      process.stdout.write(
        `identical: ${r.steps} steps, ${r.decisions} decisions (${r.requests} requests), decisions sha256 ${r.digest}\n`,
      );
      return;
    }
    const d = r.difference!;
    process.stdout.write(
      `different at step ${d.index + 1} (seq ${d.seq}, t=${d.at} s, input ${JSON.stringify(d.input)}):\n  expected ${d.expected}\n  got      ${d.got}\n`,
    );
    process.exitCode = 1;
  },
};

export default command;
