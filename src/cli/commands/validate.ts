import type { CommandModule } from 'yargs';
import { workOptions, type WorkArgs } from './work-options.js';

interface ValidateArgs extends WorkArgs {
  scenario: string;
  'allow-outside-traces': boolean;
}

/** `pmsim validate <scenario>`: checks a scenario file and says what is wrong, where, and how much work it is. */
const command: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario>',
  describe: 'Check a scenario file: exit 0 if valid, 2 with file, field path and expectation if not',
  builder: (y) =>
    workOptions(
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
        .option('allow-outside-traces', { type: 'boolean', default: false, describe: "Let trace files lie outside the scenario's folder" }),
    ),
  handler: async (a) => {
    const { loadScenarioFile } = await import('../../scenario/load.js');
    const { checkWork, formatEstimate } = await import('../../scenario/estimate.js');
    const s = loadScenarioFile(a.scenario, { allowOutsideTraces: a['allow-outside-traces'] });
    const est = checkWork(s, a.scenario, { force: a.force, maxEvents: a['max-events'] });
    const ops = s.operators.reduce((n, g) => n + g.entities * g.nodes, 0);
    // Valid but impossible in part (exit 0 still: the file is well formed): warnings on stderr.
    const { checkFeasibility, formatWarning } = await import('../../scenario/feasibility.js');
    for (const w of checkFeasibility(s)) process.stderr.write(`warning: ${formatWarning(a.scenario, w)}\n`);
    process.stdout.write(
      `${a.scenario}: valid (${s.mechanisms.length} mechanisms, ${s.operators.length} operator groups / ${ops} nodes, ${s.requesters.length} requesters)\n` +
        `estimated work: ${formatEstimate(est)}\n`,
    );
  },
};

export default command;
