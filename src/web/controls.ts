/**
 * The scenario form: controls for the parameters people explore most, drawn from the YAML document
 * and writing back into it (comments survive). Every field carries the scenario path its errors use
 * (`operators[0].entities`), so the parser's messages land beside it.
 */
import type { Document } from 'yaml';
import { strategyIds } from '../agents/registry.js';
import { hardwareIds } from '../hardware-models/catalogue.js';
import { mechanismById, mechanisms } from '../mechanisms/registry.js';
import { formatPath } from '../scenario/errors.js';
import { resolveMechanism } from '../comparison/run-scenario.js';
import type { MechanismRef } from '../scenario/schema.js';
import type { Path } from './editor.js';

export type { Path };

/** What the form asks of the page. */
export interface FormHost {
  /** A field changed: write `value` (undefined: remove the key) at `path`. */
  set(path: Path, value: unknown, structural?: boolean): void;
  /** Append an item to the list at `path`. */
  append(path: Path, item: unknown): void;
  /** Labels selected to run. */
  readonly selected: ReadonlySet<string>;
  /** A mechanism's run checkbox changed. */
  select(label: string, on: boolean): void;
}

type Raw = Record<string, unknown>;

/** The text of a field as a YAML value: a number when it reads as one, else the text ('' removes the key). */
export function fieldValue(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function errorSpan(path: Path): HTMLSpanElement {
  return el('span', { class: 'field-error', 'data-error-for': formatPath(path) });
}

/** A labelled row holding `input`, with its error span. */
function row(label: string, input: HTMLElement, path: Path, extra?: HTMLElement): HTMLDivElement {
  const r = el('div', { class: 'row' });
  const id = `f-${formatPath(path).replace(/[^\w-]/g, '_')}`;
  input.id = id;
  r.append(el('label', { for: id }, label), input);
  if (extra) r.append(extra);
  r.append(errorSpan(path));
  return r;
}

function textField(host: FormHost, path: Path, value: unknown, opts: { numeric?: boolean; placeholder?: string } = {}): HTMLInputElement {
  const i = el('input', { type: 'text', 'data-path': formatPath(path) });
  if (opts.numeric) i.inputMode = 'decimal';
  if (opts.placeholder) i.placeholder = opts.placeholder;
  i.value = value === undefined || value === null ? '' : String(value);
  i.addEventListener('input', () => host.set(path, fieldValue(i.value)));
  return i;
}

function selectField(
  host: FormHost,
  path: Path,
  value: string,
  options: readonly string[],
  opts: { empty?: string; structural?: boolean } = {},
): HTMLSelectElement {
  const s = el('select', { 'data-path': formatPath(path) });
  if (opts.empty !== undefined) s.append(el('option', { value: '' }, opts.empty));
  for (const o of options) s.append(el('option', { value: o }, o));
  if (value && !options.includes(value)) s.append(el('option', { value }, value));
  s.value = value;
  s.addEventListener('change', () => host.set(path, s.value === '' ? undefined : s.value, opts.structural));
  return s;
}

function checkField(host: FormHost, path: Path, value: boolean): HTMLInputElement {
  const c = el('input', { type: 'checkbox', 'data-path': formatPath(path) });
  c.checked = value;
  c.addEventListener('change', () => host.set(path, c.checked));
  return c;
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button' }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Draws the whole form for the scenario document into `root`. */
export function renderForm(root: HTMLElement, doc: Document, host: FormHost): void {
  let raw: Raw;
  try {
    const js: unknown = doc.toJS();
    raw = js !== null && typeof js === 'object' && !Array.isArray(js) ? (js as Raw) : {};
  } catch {
    root.replaceChildren(
      el('p', { class: 'hint' }, 'The YAML cannot be read (see the errors below); fix it in the text area to use the form.'),
    );
    return;
  }
  root.replaceChildren(mechanismSet(host, raw), operatorSet(host, raw), requesterSet(host, raw));
}

function asList(v: unknown): Raw[] {
  return Array.isArray(v) ? (v as Raw[]) : [];
}

function mechanismSet(host: FormHost, raw: Raw): HTMLFieldSetElement {
  const f = el('fieldset', { id: 'mechanisms' });
  f.append(el('legend', {}, 'Mechanisms'));
  const list = Array.isArray(raw.mechanisms) ? (raw.mechanisms as unknown[]) : [];
  list.forEach((m, i) => f.append(mechanismRow(host, m, i)));
  f.append(errorSpan(['mechanisms']));
  const add = el('select', { 'aria-label': 'add a mechanism' });
  add.append(el('option', { value: '' }, 'add a mechanism…'));
  for (const m of mechanisms()) add.append(el('option', { value: m.id }, m.id));
  add.addEventListener('change', () => add.value && host.append(['mechanisms'], add.value));
  const r = el('div', { class: 'row' });
  r.append(add);
  f.append(r);
  return f;
}

function mechanismRow(host: FormHost, m: unknown, i: number): HTMLDivElement {
  const ref = (typeof m === 'string' || (m !== null && typeof m === 'object') ? m : String(m)) as MechanismRef;
  const id = typeof ref === 'string' ? ref : String(ref.id ?? '');
  const preset = typeof ref === 'string' ? '' : String(ref.preset ?? '');
  const label =
    typeof ref === 'string' || typeof ref.id === 'string'
      ? resolveMechanism({ params: {}, ...(typeof ref === 'string' ? {} : ref), id } as MechanismRef).label
      : id;
  const g = el('div', { class: 'group mechanism', 'data-mechanism': label });
  const head = el('div', { class: 'row' });
  const on = el('input', { type: 'checkbox', 'aria-label': `run ${label}`, class: 'run-mechanism' });
  on.checked = host.selected.has(label);
  on.addEventListener('change', () => host.select(label, on.checked));
  const entry = mechanismById(id);
  const idSel = selectField(
    host,
    ['mechanisms', i, 'id'],
    id,
    mechanisms().map((x) => x.id),
    { structural: true },
  );
  idSel.dataset.path = formatPath(['mechanisms', i]);
  const presetSel = selectField(host, ['mechanisms', i, 'preset'], preset, entry?.presets ?? [], { empty: 'no preset', structural: true });
  head.append(on, el('span', { class: 'group-name' }, label), idSel, presetSel);
  g.append(head, errorSpan(['mechanisms', i]), errorSpan(['mechanisms', i, 'preset']));
  if (entry) g.append(paramDetails(host, ref, i));
  return g;
}

/** The mechanism's resolved parameters (preset and params applied), editable; fees and collateral first. */
function paramDetails(host: FormHost, ref: MechanismRef, i: number): HTMLDetailsElement {
  const d = el('details', { class: 'mechanism-params' });
  d.append(el('summary', {}, 'parameters (fees, collateral, …)'));
  const given = typeof ref === 'string' ? {} : ((ref.params ?? {}) as Raw);
  let resolved: Raw = {};
  try {
    const r = resolveMechanism(ref);
    resolved = mechanismById(r.id)!.create({ ...r.params, ...(r.preset ? { preset: r.preset } : {}) }).params as Raw;
  } catch {
    resolved = given; // an unknown parameter or preset: the error shows beside the mechanism
  }
  const money = /fee|collateral|stake|slash|deposit|price|reward|usd/i;
  const names = Object.keys(resolved).filter((k) => k !== 'preset' && ['number', 'boolean', 'string'].includes(typeof resolved[k]));
  names.sort((a, b) => Number(!money.test(a)) - Number(!money.test(b)));
  const grid = el('div', { class: 'params' });
  for (const k of names) {
    const path = ['mechanisms', i, 'params', k];
    const v = k in given ? given[k] : resolved[k];
    const input =
      typeof resolved[k] === 'boolean'
        ? checkField(host, path, Boolean(v))
        : textField(host, path, v, { numeric: typeof resolved[k] === 'number' });
    input.id = `f-${formatPath(path).replace(/[^\w-]/g, '_')}`;
    grid.append(el('label', { for: input.id }, k), input);
  }
  d.append(grid);
  return d;
}

const ATTACKER_GROUP = {
  name: 'attacker',
  entities: 1,
  nodes: 6,
  hardware: 'gpu-rtx4090',
  strategy: 'predatory',
  margin: 0.2,
  attacker: true,
};

function operatorSet(host: FormHost, raw: Raw): HTMLFieldSetElement {
  const f = el('fieldset', { id: 'operators' });
  f.append(el('legend', {}, 'Operators'));
  const groups = asList(raw.operators);
  groups.forEach((g, i) => {
    const box = el('div', { class: 'group operator' });
    box.append(el('div', { class: 'group-name' }, `${String(g.name ?? `group ${i + 1}`)}${g.attacker === true ? ' (attacker)' : ''}`));
    box.append(
      row('entities', textField(host, ['operators', i, 'entities'], g.entities, { numeric: true, placeholder: '1' }), [
        'operators',
        i,
        'entities',
      ]),
    );
    box.append(
      row('nodes each', textField(host, ['operators', i, 'nodes'], g.nodes, { numeric: true, placeholder: '1' }), [
        'operators',
        i,
        'nodes',
      ]),
    );
    box.append(
      row('hardware', selectField(host, ['operators', i, 'hardware'], String(g.hardware ?? ''), hardwareIds), ['operators', i, 'hardware']),
    );
    box.append(
      row('strategy', selectField(host, ['operators', i, 'strategy'], String(g.strategy ?? 'cost-plus'), strategyIds()), [
        'operators',
        i,
        'strategy',
      ]),
    );
    box.append(
      row('margin', textField(host, ['operators', i, 'margin'], g.margin, { numeric: true, placeholder: '0.2' }), [
        'operators',
        i,
        'margin',
      ]),
    );
    box.append(row('attacker', checkField(host, ['operators', i, 'attacker'], g.attacker === true), ['operators', i, 'attacker']));
    f.append(box);
  });
  f.append(errorSpan(['operators']));
  f.append(button('Add an attacker group', () => host.append(['operators'], { ...ATTACKER_GROUP, name: uniqueName(groups, 'attacker') })));
  return f;
}

function uniqueName(groups: Raw[], base: string): string {
  const names = new Set(groups.map((g) => String(g.name)));
  let n = base;
  for (let k = 2; names.has(n); k++) n = `${base}-${k}`;
  return n;
}

function requesterSet(host: FormHost, raw: Raw): HTMLFieldSetElement {
  const f = el('fieldset', { id: 'requesters' });
  f.append(el('legend', {}, 'Demand'));
  asList(raw.requesters).forEach((r, i) => {
    const box = el('div', { class: 'group requester' });
    box.append(el('div', { class: 'group-name' }, String(r.name ?? `requester ${i + 1}`)));
    const arrival = r.arrival as unknown;
    if (arrival !== undefined && (typeof arrival !== 'object' || arrival === null)) {
      box.append(
        row(
          'every',
          textField(host, ['requesters', i, 'arrival'], arrival, { placeholder: '90s' }),
          ['requesters', i, 'arrival'],
          el('span', { class: 'hint' }, 'between jobs'),
        ),
      );
    } else if (arrival && typeof arrival === 'object' && (arrival as Raw).dist === 'exponential') {
      box.append(
        row(
          'mean gap',
          textField(host, ['requesters', i, 'arrival', 'mean'], (arrival as Raw).mean),
          ['requesters', i, 'arrival', 'mean'],
          el('span', { class: 'hint' }, 'Poisson arrivals'),
        ),
      );
    } else if (arrival && typeof arrival === 'object') {
      box.append(
        el('p', { class: 'hint' }, `arrivals: ${String((arrival as Raw).dist ?? 'distribution')} (edit in the YAML)`),
        errorSpan(['requesters', i, 'arrival']),
      );
    }
    box.append(
      row('redundancy', textField(host, ['requesters', i, 'redundancy'], r.redundancy, { numeric: true, placeholder: '1' }), [
        'requesters',
        i,
        'redundancy',
      ]),
    );
    if (typeof r.deadline !== 'object')
      box.append(row('deadline', textField(host, ['requesters', i, 'deadline'], r.deadline), ['requesters', i, 'deadline']));
    box.append(
      row('max $/Mcycle', textField(host, ['requesters', i, 'max_price_usd_per_mcycle'], r.max_price_usd_per_mcycle, { numeric: true }), [
        'requesters',
        i,
        'max_price_usd_per_mcycle',
      ]),
    );
    asList(r.bursts).forEach((b, j) => {
      const p = ['requesters', i, 'bursts', j];
      const line = el('div', { class: 'row burst' });
      line.append(
        el('span', {}, `burst ${j + 1}: at`),
        textField(host, [...p, 'at'], b.at),
        el('span', {}, 'for'),
        textField(host, [...p, 'duration'], b.duration),
        el('span', {}, '×'),
        textField(host, [...p, 'factor'], b.factor, { numeric: true }),
      );
      line.append(errorSpan([...p, 'at']), errorSpan([...p, 'duration']), errorSpan([...p, 'factor']), errorSpan(p));
      box.append(line);
    });
    box.append(button('Add a burst', () => host.append(['requesters', i, 'bursts'], { at: '1d', duration: '2h', factor: 4 })));
    f.append(box);
  });
  f.append(errorSpan(['requesters']));
  return f;
}
