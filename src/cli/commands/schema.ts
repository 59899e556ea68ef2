import { z } from 'zod';
import type { CommandModule } from 'yargs';
import { writeAtomic } from '../../output/atomic.js';
import { scenarioSchema } from '../../scenario/schema.js';

/** The scenario file's JSON Schema, for editors' autocompletion. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://pmsim.dev/schema/scenario.schema.json', title: 'pmsim scenario' };
}

/** `pmsim schema`: prints or writes the JSON Schema of scenario files. */
const command: CommandModule<object, { out?: string }> = {
  command: 'schema',
  describe: 'Print (or write with --out) the JSON Schema of scenario files',
  builder: (y) => y.option('out', { type: 'string', describe: 'Write to this file instead of stdout' }),
  handler: (a) => {
    const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    if (a.out) writeAtomic(a.out, text);
    else process.stdout.write(text);
  },
};

export default command;
