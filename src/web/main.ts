/**
 * The explorer page: one scenario document (YAML, comments kept) that the form, the text area, the
 * share link and the downloads all read and write; validation by the CLI's own parser; runs in a
 * Web Worker; results drawn with the report's charts.
 */
import { parseDocument, type Document } from 'yaml';
import { parseCsv, type Row } from '../report/rows.js';
import { ScenarioError, type ScenarioIssue } from '../scenario/errors.js';
import { parseScenarioTextWith } from '../scenario/parse.js';
import type { Scenario } from '../scenario/schema.js';
import { renderForm, type Path } from './controls.js';
import { appendTo, editField, fieldFor, mechanismLabels } from './editor.js';
import type { RunRequest, WorkerMessage } from './protocol.js';
import { renderCharts, renderTable } from './results.js';
import { BUNDLED, bundled } from './scenarios.js';
import { decodeShare, encodeShare } from './share.js';
import { traceReader } from './traces.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Everything the page knows. The scenario text is the source of truth. */
interface State {
  doc: Document;
  text: string;
  /** Name shown in errors and in the command line (`scenarios/default.yaml`, a dropped file's name). */
  file: string;
  /** Bundled scenario key it came from, or '' (custom). */
  from: string;
  /** Trace texts by file name: the bundle's for a bundled scenario, plus those the user picked. */
  traces: Record<string, string>;
  seed: number;
  seedText: string;
  /** Labels of every mechanism entry, and those selected to run. */
  labels: string[];
  selected: Set<string>;
  scenario: Scenario | null;
  issues: ScenarioIssue[];
}

const state: State = {
  doc: parseDocument(''),
  text: '',
  file: '',
  from: '',
  traces: {},
  seed: 0,
  seedText: '0',
  labels: [],
  selected: new Set(),
  scenario: null,
  issues: [],
};

let worker: Worker | null = null;

// ---------------------------------------------------------------- loading

/** Loads scenario text as the page's scenario; `seed` overrides the scenario's. */
function load(text: string, file: string, from: string, opts: { seed?: number; selected?: readonly string[] } = {}): void {
  state.file = file;
  state.from = from;
  state.traces = { ...(bundled(from)?.traces ?? {}), ...pickedTraces };
  setText(text, { resetSelection: true, selected: opts.selected });
  const seed = opts.seed ?? (typeof state.doc.get('seed') === 'number' ? (state.doc.get('seed') as number) : 1);
  setSeed(String(seed));
  ($('bundled') as HTMLSelectElement).value = from || '';
  clearResults();
}

const pickedTraces: Record<string, string> = {};

/** New scenario text (from the text area or a load): re-parse the document and redraw the form. */
function setText(text: string, opts: { resetSelection?: boolean; selected?: readonly string[]; keepTextarea?: boolean } = {}): void {
  const before = state.doc.get('seed');
  state.text = text;
  state.doc = parseDocument(text, { uniqueKeys: false });
  // The seed field follows an edit of the scenario's own `seed:` (otherwise it is a --seed override).
  const after = state.doc.get('seed');
  if (opts.keepTextarea && after !== before && typeof after === 'number') setSeed(String(after));
  if (!opts.keepTextarea) ($('yaml') as HTMLTextAreaElement).value = text;
  const labels = mechanismLabels(state.doc);
  if (opts.resetSelection) state.selected = new Set(opts.selected ? labels.filter((l) => opts.selected!.includes(l)) : labels);
  else for (const l of labels) if (!state.labels.includes(l)) state.selected.add(l);
  state.labels = labels;
  drawForm();
  validate();
}

/** A form field changed: edit the YAML document in place (comments survive), then re-validate. */
function setField(path: Path, value: unknown, structural = false): void {
  commit(editField(state.doc, path, value) || structural);
}

function appendItem(path: Path, item: unknown): void {
  appendTo(state.doc, path, item);
  commit(true);
}

function commit(structural: boolean): void {
  // lineWidth 0: long strings stay on one line, as people write them.
  const text = state.doc.toString({ lineWidth: 0 });
  state.text = text;
  ($('yaml') as HTMLTextAreaElement).value = text;
  const labels = mechanismLabels(state.doc);
  for (const l of labels) if (!state.labels.includes(l)) state.selected.add(l);
  state.labels = labels;
  if (structural) drawForm();
  validate();
}

function drawForm(): void {
  renderForm($('controls'), state.doc, {
    set: setField,
    append: appendItem,
    selected: state.selected,
    select: (label, on) => {
      if (on) state.selected.add(label);
      else state.selected.delete(label);
      validate();
    },
  });
}

function setSeed(text: string): void {
  state.seedText = text;
  ($('seed') as HTMLInputElement).value = text;
  validate();
}

// ---------------------------------------------------------------- validation

/** Validates with the CLI's parser and shows each message beside its field (and all in the list). */
function validate(): void {
  const issues: ScenarioIssue[] = [];
  try {
    state.scenario = parseScenarioTextWith(state.text, state.file, traceReader(state.traces));
  } catch (e) {
    state.scenario = null;
    if (e instanceof ScenarioError) issues.push(...e.issues);
    else issues.push({ path: '', message: (e as Error).message });
  }
  const seed = Number(state.seedText);
  // The CLI's message for a bad --seed (src/cli/commands/run.ts).
  if (state.seedText.trim() === '' || !Number.isInteger(seed) || seed < 0)
    issues.push({ path: 'seed', message: `--seed expects a whole number ≥ 0, got ${state.seedText}` });
  else state.seed = seed;
  if (state.selected.size === 0 && state.labels.length > 0)
    issues.push({ path: 'mechanisms', message: 'select at least one mechanism to run' });
  state.issues = issues;
  showIssues(issues);
  ($('run') as HTMLButtonElement).disabled = issues.length > 0 || worker !== null;
  $('problems').textContent =
    issues.length === 0 ? '' : `${issues.length} problem${issues.length === 1 ? '' : 's'} in the scenario (shown beside the fields)`;
  $('cli').textContent = cliLine();
  void updateShare();
}

function showIssues(issues: readonly ScenarioIssue[]): void {
  for (const s of document.querySelectorAll<HTMLElement>('[data-error-for]')) s.textContent = '';
  for (const i of document.querySelectorAll('.invalid')) i.classList.remove('invalid');
  const spans = new Map([...document.querySelectorAll<HTMLElement>('[data-error-for]')].map((s) => [s.dataset.errorFor!, s]));
  for (const issue of issues) {
    const at = fieldFor(spans, issue.path);
    const span = at === undefined ? undefined : spans.get(at);
    if (span) span.textContent = span.textContent ? `${span.textContent}; ${issue.message}` : issue.message;
    const input = document.querySelector(`[data-path="${CSS.escape(issue.path)}"]`);
    input?.classList.add('invalid');
  }
  $('errors').replaceChildren(
    ...issues.map((i) =>
      Object.assign(document.createElement('li'), {
        textContent: i.path === 'seed' ? i.message : new ScenarioError(state.file, [i]).format(),
      }),
    ),
  );
}

function selection(): string[] | undefined {
  return state.selected.size === state.labels.length ? undefined : state.labels.filter((l) => state.selected.has(l));
}

function cliLine(): string {
  const m = selection();
  return `pmsim run ${state.file} --seed ${state.seedText}${m ? m.map((x) => ` --mechanism ${x}`).join('') : ''}`;
}

async function updateShare(): Promise<void> {
  const hash = await encodeShare({ text: state.text, seed: state.seed, from: state.from, mechanisms: selection() });
  ($('share') as HTMLAnchorElement).href = `${location.origin}${location.pathname}${location.search}${hash}`;
}

// ---------------------------------------------------------------- running

interface Acc {
  mechanisms: string[];
  summary: Row[];
  timeseries: Row[];
  shares: Row[];
  latency: Row[];
  started: number;
}

let acc: Acc | null = null;

function clearResults(): void {
  ($('summary') as HTMLTableElement).replaceChildren();
  $('charts').replaceChildren();
  $('headlines').replaceChildren();
  $('downloads').replaceChildren();
  ($('progress') as HTMLProgressElement).value = 0;
  document.body.dataset.run = 'idle';
}

function run(): void {
  validate();
  if (state.issues.length > 0 || worker) return;
  clearResults();
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker = w;
  acc = { mechanisms: [], summary: [], timeseries: [], shares: [], latency: [], started: performance.now() };
  document.body.dataset.run = 'running';
  ($('run') as HTMLButtonElement).disabled = true;
  ($('cancel') as HTMLButtonElement).disabled = false;
  $('status').textContent = 'starting…';
  w.onmessage = (e: MessageEvent<WorkerMessage>) => onMessage(e.data);
  w.onerror = (e) => finish(`error: ${e.message}`, 'error');
  const req: RunRequest = {
    type: 'run',
    text: state.text,
    file: state.file,
    traces: state.traces,
    seed: state.seed,
    mechanisms: selection(),
  };
  w.postMessage(req);
}

function onMessage(m: WorkerMessage): void {
  if (!acc) return;
  switch (m.type) {
    case 'start':
      acc.mechanisms = [...m.mechanisms];
      break;
    case 'progress':
      ($('progress') as HTMLProgressElement).value = m.fraction;
      $('status').textContent = `${m.mechanism}… ${Math.round(m.fraction * 100)}%`;
      break;
    case 'partial':
      acc.summary.push(...m.rows.summary);
      acc.timeseries.push(...m.rows.timeseries);
      acc.shares.push(...m.rows.shares);
      acc.latency.push(...m.rows.latency);
      drawResults(acc, acc.mechanisms);
      break;
    case 'done': {
      // The final view is drawn from the CSV texts themselves, as `pmsim report` would read them.
      const files = new Map(m.files);
      const tables = {
        summary: parseCsv(files.get('summary.csv')!),
        timeseries: parseCsv(files.get('timeseries.csv')!),
        shares: parseCsv(files.get('shares.csv')!),
        latency: parseCsv(files.get('latency.csv')!),
      };
      drawResults(tables, acc.mechanisms);
      offerDownloads(m.files);
      const events = m.timing.reduce((a, t) => a + t.events, 0);
      document.body.dataset.simMs = m.wallMs.toFixed(1);
      finish(
        `done: ${acc.mechanisms.length} mechanism${acc.mechanisms.length === 1 ? '' : 's'}, ${events.toLocaleString('en-US')} events in ${(m.wallMs / 1000).toFixed(2)} s`,
        'done',
      );
      break;
    }
    case 'invalid':
      showIssues(m.issues);
      finish('the scenario is not valid', 'error');
      break;
    case 'error':
      finish(`error: ${m.message}`, 'error');
      break;
  }
}

function drawResults(
  t: { summary: readonly Row[]; timeseries: readonly Row[]; shares: readonly Row[]; latency: readonly Row[] },
  mechanisms: readonly string[],
): void {
  renderTable($('summary') as HTMLTableElement, t.summary);
  renderCharts($('charts'), $('headlines'), t, mechanisms);
}

function finish(status: string, how: 'done' | 'error' | 'cancelled'): void {
  worker?.terminate();
  worker = null;
  acc = null;
  $('status').textContent = status;
  document.body.dataset.run = how;
  if (how === 'done') ($('progress') as HTMLProgressElement).value = 1;
  ($('cancel') as HTMLButtonElement).disabled = true;
  validate();
}

function cancel(): void {
  if (!worker) return;
  finish('cancelled', 'cancelled');
  ($('progress') as HTMLProgressElement).value = 0;
}

// ---------------------------------------------------------------- files

function download(name: string, text: string, type: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.textContent = name;
  a.dataset.file = name;
  return a;
}

function offerDownloads(files: ReadonlyArray<readonly [string, string]>): void {
  const links = files.map(([name, text]) => download(name, text, name.endsWith('.json') ? 'application/json' : 'text/csv'));
  $('downloads').replaceChildren('Results: ', ...links.flatMap((a, i) => (i === 0 ? [a] : [' · ', a])));
}

function scenarioFileName(): string {
  return (
    state.file
      .split(/[\\/]/)
      .pop()!
      .replace(/\.(json|yml)$/, '.yaml') || 'scenario.yaml'
  );
}

async function openFiles(files: FileList | readonly File[]): Promise<void> {
  const list = [...files];
  for (const f of list.filter((x) => /\.(csv|txt)$/i.test(x.name))) pickedTraces[f.name] = await f.text();
  showTraces();
  const scen = list.find((x) => /\.(ya?ml|json)$/i.test(x.name));
  if (scen) load(await scen.text(), scen.name, '');
  else {
    state.traces = { ...state.traces, ...pickedTraces };
    validate();
  }
}

function showTraces(): void {
  const names = Object.keys(pickedTraces);
  $('trace-list').textContent = names.length ? `picked: ${names.join(', ')}` : 'for file: traces (read only here, never uploaded)';
}

// ---------------------------------------------------------------- start

function wire(): void {
  const sel = $('bundled') as HTMLSelectElement;
  sel.append(Object.assign(document.createElement('option'), { value: '', textContent: '(custom)', disabled: true }));
  for (const b of BUNDLED) sel.append(Object.assign(document.createElement('option'), { value: b.key, textContent: b.key }));
  sel.addEventListener('change', () => {
    const b = bundled(sel.value);
    if (b) load(b.text, b.file, b.key);
  });
  ($('file') as HTMLInputElement).addEventListener('change', (e) => void openFiles((e.target as HTMLInputElement).files ?? []));
  ($('trace-files') as HTMLInputElement).addEventListener('change', (e) => void openFiles((e.target as HTMLInputElement).files ?? []));
  let timer = 0;
  ($('yaml') as HTMLTextAreaElement).addEventListener('input', () => {
    clearTimeout(timer);
    // An edited bundled scenario keeps the bundle's traces (state.traces is unchanged).
    timer = window.setTimeout(() => setText(($('yaml') as HTMLTextAreaElement).value, { keepTextarea: true }), 250);
  });
  ($('seed') as HTMLInputElement).addEventListener('input', (e) => setSeed((e.target as HTMLInputElement).value));
  $('run').addEventListener('click', run);
  $('cancel').addEventListener('click', cancel);
  $('dl-yaml').addEventListener('click', () => download(scenarioFileName(), state.text, 'application/yaml').click());
  window.addEventListener('hashchange', () => void fromHash());
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    if (e.dataTransfer?.files.length) void openFiles(e.dataTransfer.files);
  });
  showTraces();
}

/** Loads a share link's scenario and runs it; false when the hash holds none. */
async function fromHash(): Promise<boolean> {
  let shared;
  try {
    shared = await decodeShare(location.hash);
  } catch {
    $('status').textContent = 'the share link is damaged; loaded the default scenario instead';
    return false;
  }
  if (!shared) return false;
  const b = bundled(shared.from);
  load(shared.text, b?.file ?? 'shared.yaml', b ? b.key : '', {
    seed: Number.isNaN(shared.seed) ? undefined : shared.seed,
    selected: shared.mechanisms,
  });
  if (Number.isNaN(shared.seed)) setSeed('');
  if (b) ($('bundled') as HTMLSelectElement).value = b.key;
  run();
  return true;
}

/**
 * `?scenario=URL` opens a scenario from that address: `pmsim explore <scenario>` serves the file it
 * was given (and its traces) as scenario.json and sends the browser there. A `.json` address holds
 * `{file, text, traces}`; any other is the scenario text itself.
 */
async function fromQuery(): Promise<boolean> {
  const src = new URLSearchParams(location.search).get('scenario');
  if (!src) return false;
  try {
    const r = await fetch(src, { cache: 'no-store' });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    if (/\.json$/.test(new URL(src, location.href).pathname)) {
      const s = (await r.json()) as { file: string; text: string; traces: Record<string, string> };
      Object.assign(pickedTraces, s.traces);
      showTraces();
      load(s.text, s.file, '');
    } else load(await r.text(), new URL(src, location.href).pathname.split('/').pop() || 'scenario.yaml', '');
    return true;
  } catch (e) {
    $('status').textContent = `cannot open ${src} (${(e as Error).message}); loaded the default scenario instead`;
    return false;
  }
}

async function start(): Promise<void> {
  wire();
  if (await fromHash()) return;
  if (await fromQuery()) return;
  const d = BUNDLED[0]!;
  load(d.text, d.file, d.key);
}

void start().then(() => (document.body.dataset.ready = 'true'));
