/** Scenario files: schema, parsing, validation with file-and-path errors. */
export {
  scenarioSchema,
  duration,
  type Scenario,
  type ScenarioInput,
  type OperatorGroup,
  type RequesterGroup,
  type MechanismRef,
} from './schema.js';
export { loadScenarioFile, parseScenario, parseScenarioText, readColumn } from './load.js';
export { parseScenarioTextWith, parseScenarioWith, parseColumn, traceFiles, noTraces, type TraceReader, type TraceText } from './parse.js';
export { ScenarioError, formatPath, type ScenarioIssue } from './errors.js';
export { parseDuration, formatDuration } from './duration.js';
export { estimateWork, checkWork, formatEstimate, WORK_LIMITS, WorkLimitError, type WorkEstimate } from './estimate.js';
export { MECHANISM_PARAMS, checkMechanismParams } from './mechanism-params.js';
export { readInputText, InputFileError, MAX_INPUT_BYTES } from './read-file.js';
export type { LoadOptions } from './load.js';
