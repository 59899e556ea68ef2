import type { CommandModule } from 'yargs';
import { loadScenarioFile } from '../../scenario/load.js';
import { checkFeasibility, formatWarning } from '../../scenario/feasibility.js';

/** `pmsim validate <scenario>`: checks a scenario file and says what is wrong, where. */
const command: CommandModule<object, { scenario: string }> = {
  command: 'validate <scenario>',
  describe: 'Check a scenario file: exit 0 if valid, 2 with file, field path and expectation if not',
  builder: (y) => y.positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' }),
  handler: (a) => {
    const s = loadScenarioFile(a.scenario);
    const ops = s.operators.reduce((n, g) => n + g.entities * g.nodes, 0);
    // Valid but impossible in part (exit 0 still: the file is well formed): warnings on stderr.
    for (const w of checkFeasibility(s)) process.stderr.write(`warning: ${formatWarning(a.scenario, w)}\n`);
    process.stdout.write(`${a.scenario}: valid (${s.mechanisms.length} mechanisms, ${s.operators.length} operator groups / ${ops} nodes, ${s.requesters.length} requesters)\n`);
  },
};

export default command;
