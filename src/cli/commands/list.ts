import type { CommandModule } from 'yargs';

type What = 'all' | 'mechanisms' | 'presets' | 'hardware' | 'strategies';

/** `pmsim list`: what a scenario can name. */
const command: CommandModule<object, { what: What; json: boolean }> = {
  command: 'list [what]',
  describe: 'List mechanisms, presets, hardware profiles and operator strategies',
  builder: (y) =>
    y
      .positional('what', { choices: ['all', 'mechanisms', 'presets', 'hardware', 'strategies'] as const, default: 'all' as What })
      .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' }),
  handler: async (a) => {
    const { strategyList } = await import('../../agents/strategy-specs.js');
    const { catalogue } = await import('../../hardware-models/catalogue.js');
    const { mechanismParamEntries } = await import('../../mechanisms/params-registry.js');
    const data = {
      mechanisms: mechanismParamEntries().map((m) => ({ id: m.id, description: m.description, presets: m.presets, params: m.paramNames })),
      hardware: catalogue.map((h) => ({
        id: h.id,
        kind: h.kind,
        name: h.name,
        khz: h.khz,
        capex_usd: h.capexUsd,
        power_w: h.powerWatts,
        rent_usd_per_h: h.rentUsdPerHour,
        derived: h.derived,
      })),
      strategies: strategyList(),
    };
    if (a.json) {
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    const w = (s: string): boolean => process.stdout.write(s);
    if (a.what === 'all' || a.what === 'mechanisms' || a.what === 'presets') {
      w('Mechanisms (presets):\n');
      for (const m of data.mechanisms)
        w(`  ${m.id.padEnd(14)} ${m.description}${m.presets.length ? `\n  ${''.padEnd(14)} presets: ${m.presets.join(', ')}` : ''}\n`);
    }
    if (a.what === 'all' || a.what === 'hardware') {
      w('Hardware:\n');
      for (const h of data.hardware)
        w(
          `  ${h.id.padEnd(14)} ${h.kind}  ${String(h.khz).padStart(7)} kHz  $${h.capex_usd} capex  ${h.power_w} W  $${h.rent_usd_per_h}/h rent  ${h.name}\n`,
        );
    }
    if (a.what === 'all' || a.what === 'strategies') {
      w('Operator strategies:\n');
      for (const s of data.strategies) w(`  ${s.id.padEnd(14)} ${s.description}\n`);
    }
  },
};

export default command;
