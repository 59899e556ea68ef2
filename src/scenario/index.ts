/** Scenario files: schema, parsing, validation with file-and-path errors. */
export { scenarioSchema, duration, type Scenario, type ScenarioInput, type OperatorGroup, type RequesterGroup, type MechanismRef } from './schema.js';
export { loadScenarioFile, parseScenario, parseScenarioText, readColumn } from './load.js';
export { parseScenarioTextWith, parseScenarioWith, parseColumn, traceFiles, noTraces, type TraceReader, type TraceText } from './parse.js';
export { ScenarioError, formatPath, type ScenarioIssue } from './errors.js';
export { parseDuration, formatDuration } from './duration.js';
