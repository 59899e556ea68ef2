/**
 * pmsim's public API: load a scenario, run it under every mechanism on common random numbers, and
 * write the output contract (docs/outputs.md). The allocation core alone is `pmsim/core`.
 */
export { loadScenarioFile, parseScenario, parseScenarioText, ScenarioError, parseDuration, type Scenario } from './scenario/index.js';
export {
  runScenario,
  resolveMechanism,
  createMechanism,
  type RunOptions,
  type RunResult,
  type ResolvedMechanism,
} from './comparison/run-scenario.js';
export { runMarket, type MarketOptions, type MarketResult, type JobRow } from './market/market.js';
export { writeRunOutputs, RUN_FILES } from './comparison/write-run.js';
export { toCsv, cell } from './output/csv.js';
export { SUMMARY_COLUMNS, type Row } from './comparison/rows.js';
export { catalogue, hardwareById, nodeModel, type HardwareProfile } from './hardware-models/index.js';
export { strategyIds, createStrategy } from './agents/registry.js';
export { Simulation, rngStream, sampler } from './engine/index.js';
export { VERSION } from './version.js';
export {
  runSweep,
  mergeShards,
  loadSweepFile,
  parseSweep,
  deriveSeed,
  SweepError,
  type SweepOptions,
  type SweepResult,
  type SweepProgress,
} from './sweep/index.js';
export * as core from './mechanisms/index.js';
