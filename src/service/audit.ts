import { Core, checkSelection, inputFromJson, submitBeacon, toJson, type Selection } from './core-adapter.js';
import type { RecordSection } from './record.js';

/** The audit of one random selection. */
export interface AuditItem extends Selection {
  readonly ok: boolean;
  /** Why it does not match (empty when it does). */
  readonly reason: string;
}

/** The audit of one record section. */
export interface AuditResult {
  readonly mechanism: string;
  readonly items: AuditItem[];
  readonly ok: boolean;
  /** Problems not tied to one selection (a record whose decisions the core does not reproduce). */
  readonly problems: string[];
}

/**
 * Recomputes every random selection of a record from the published beacon. For each assignment
 * drawn from a beacon it checks that (1) the beacon in the decision is the one its job's
 * submission carried, (2) `audit(beacon, eligible, job, draw)` picks the
 * assigned operator. The eligible sets come from the record when it lists them (a service
 * export) and are otherwise rebuilt by running the record's inputs through the core, which must
 * then reproduce the recorded decisions.
 */
export function auditSection(section: RecordSection): AuditResult {
  const problems: string[] = [];
  const listed = section.steps.some((s) => s.selections !== undefined);
  const selections = listed ? section.steps.flatMap((s) => s.selections ?? []) : rebuildSelections(section, problems);
  const beacons = new Map<number, string | undefined>();
  for (const s of section.steps) if (s.input.type === 'submit') beacons.set(s.input.job.id, submitBeacon(s.input));
  const assigned = new Map<string, { operator: number; beacon: string }>();
  for (const s of section.steps)
    for (const d of s.decisions)
      if (d.type === 'assign' && d.beacon !== undefined)
        assigned.set(`${d.jobId}/${d.draw}`, { operator: d.operator, beacon: String(d.beacon) });
  const items = selections.map((sel): AuditItem => {
    const published = beacons.get(sel.job_id);
    const d = assigned.get(`${sel.job_id}/${sel.draw}`);
    let reason = '';
    if (published === undefined) reason = `no published beacon for job ${sel.job_id}`;
    else if (sel.beacon !== published) reason = `beacon ${sel.beacon} is not the one published for job ${sel.job_id} (${published})`;
    else if (!checkSelection(sel)) reason = `the beacon selects another operator from the eligible set`;
    else if (!d || d.operator !== sel.operator || d.beacon !== sel.beacon)
      reason = `the recorded assignment differs (operator ${d?.operator}, beacon ${d?.beacon})`;
    return { ...sel, ok: reason === '', reason };
  });
  if (items.length !== assigned.size) problems.push(`${assigned.size} beacon-drawn assignments, but ${items.length} selections to audit`);
  return { mechanism: section.header.mechanism, items, ok: problems.length === 0 && items.every((i) => i.ok), problems };
}

/** Runs the record's inputs through a fresh core to recover each draw's eligible set. */
function rebuildSelections(section: RecordSection, problems: string[]): Selection[] {
  const h = section.header;
  const core = new Core({ id: h.mechanism_id, label: h.mechanism, preset: h.preset, params: withoutPreset(h.params) });
  const init = core.start(
    h.operators.filter((o) => o.online).map(({ online: _online, ...info }) => info),
    0,
  );
  if (toJson(init) !== JSON.stringify(h.init ?? [])) problems.push("the core's init decisions differ from the recorded ones");
  const out: Selection[] = [];
  for (const [i, s] of section.steps.entries()) {
    const r = core.step(inputFromJson(s.input), s.at);
    if (toJson(r.decisions) !== JSON.stringify(s.decisions)) {
      problems.push(`step ${i + 1} (seq ${s.seq}, ${s.input.type}): the core's decisions differ from the recorded ones`);
      break;
    }
    out.push(...r.selections);
  }
  return out;
}

function withoutPreset(p: Record<string, unknown>): Record<string, unknown> {
  const { preset: _preset, ...rest } = p;
  return rest;
}
