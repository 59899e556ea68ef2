import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { toJson, type Decision, type Input, type MechanismConfig, type OperatorInfo, type Selection } from './core-adapter.js';

/**
 * Records: what `pmsim run --record FILE` writes and `GET /v1/record` exports. JSON lines; each
 * mechanism's section starts with a header line, followed by one line per input the core received:
 *
 *   {"kind":"header","format":"pmsim-record/1","scenario":…,"seed":…,"mechanism":LABEL,"mechanism_id":…,
 *    "preset":…,"params":{…},"operators":[{"id":0,"entity":0,"capacity":{…},"hardware":"gpu","online":true},…]}
 *   {"kind":"step","id":"sim/0","seq":1,"at":12.5,"input":{"type":"submit","id":0,"job":{…},"beacon":"9f…"},"decisions":[{…},…]}
 *
 * `operators` lists every node in id order, `online` telling whether it was part of the initial
 * state (the others join later with a `join` input); `init` holds the decisions of the core's `init`,
 * if any. `id` is the input's id for the coordinator; the input carries the core's numeric id and,
 * for a submission, the job's beacon (32 bytes, hex). A service export also lists each step's random
 * `selections` with their eligible sets.
 */
export const RECORD_FORMAT = 'pmsim-record/1';

/** A record's header. */
export interface RecordHeader {
  readonly kind: 'header';
  readonly format: string;
  readonly scenario: string;
  readonly seed: number;
  readonly mechanism: string;
  readonly mechanism_id: string;
  readonly preset: string;
  readonly params: Record<string, unknown>;
  readonly operators: readonly (OperatorInfo & { readonly online: boolean })[];
  /** The decisions of `init` (genesis), if any. */
  readonly init?: readonly Decision[];
}

/** One recorded step. */
export interface RecordStep {
  readonly kind: 'step';
  readonly id?: string;
  readonly seq: number;
  readonly at: number;
  /** The input as JSON (byte arrays as hex: read it back with `inputFromJson`). */
  readonly input: Input;
  readonly decisions: readonly Decision[];
  readonly selections?: readonly Selection[];
}

/** A mechanism's section of a record. */
export interface RecordSection {
  readonly header: RecordHeader;
  readonly steps: RecordStep[];
}

export function recordHeader(h: {
  scenario: string;
  seed: number;
  config: MechanismConfig;
  params: Readonly<Record<string, unknown>>;
  operators: RecordHeader['operators'];
  init?: readonly Decision[];
}): string {
  const line: RecordHeader = {
    kind: 'header',
    format: RECORD_FORMAT,
    scenario: h.scenario,
    seed: h.seed,
    mechanism: h.config.label,
    mechanism_id: h.config.id,
    preset: h.config.preset,
    params: { ...h.params },
    operators: h.operators,
    ...(h.init && h.init.length > 0 ? { init: h.init } : {}),
  };
  return JSON.stringify(line);
}

/** A step line; `input` and each decision are already JSON. */
export function recordStepLine(
  seq: number,
  at: number,
  input: string,
  decisions: readonly string[],
  selections?: readonly Selection[],
  id?: string,
): string {
  const sel = selections && selections.length > 0 ? `,"selections":${JSON.stringify(selections)}` : '';
  return `{"kind":"step"${id ? `,"id":${JSON.stringify(id)}` : ''},"seq":${seq},"at":${JSON.stringify(at)},"input":${input},"decisions":[${decisions.join(',')}]${sel}}`;
}

/** Parses a record (the text of a file). Throws with the line number on a malformed line. */
export function parseRecord(text: string, file = '<record>'): RecordSection[] {
  const sections: RecordSection[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: { kind?: string };
    try {
      v = JSON.parse(line) as { kind?: string };
    } catch {
      throw new Error(`${file}: line ${i + 1}: expected a JSON object, got ${JSON.stringify(line.slice(0, 40))}`);
    }
    if (v.kind === 'header') sections.push({ header: v as RecordHeader, steps: [] });
    else if (v.kind === 'step') {
      const cur = sections[sections.length - 1];
      if (!cur) throw new Error(`${file}: line ${i + 1}: expected a header line before the first step`);
      cur.steps.push(v as RecordStep);
    } else throw new Error(`${file}: line ${i + 1}: kind: expected "header" or "step", got ${JSON.stringify(v.kind)}`);
  });
  if (sections.length === 0) throw new Error(`${file}: expected at least one header line, got none`);
  return sections;
}

/** Reads and parses a record file. */
export function readRecord(file: string): RecordSection[] {
  return parseRecord(readFileSync(file, 'utf8'), file);
}

/**
 * Writes a record while a simulation runs: buffered appends to a temp file, renamed into place on
 * {@link RecordWriter.commit} (so a failed run leaves no half record).
 */
export class RecordWriter {
  private readonly tmp: string;
  private fd: number;
  private buf: string[] = [];
  private size = 0;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  line(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.file);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, `${this.buf.join('\n')}\n`);
    this.buf = [];
    this.size = 0;
  }
}

/**
 * The simulator's side of `--record`: receives what the shell's `record` hook reports (the nodes and
 * `init`'s decisions, then every input with its time and its decisions) and writes one section.
 * Inputs are serialised at once: the shell reuses input objects (and the beacon's bytes).
 */
export function sectionRecorder(
  w: RecordWriter,
  h: { scenario: string; seed: number; config: MechanismConfig; params: Readonly<Record<string, unknown>> },
) {
  let seq = 0;
  return {
    init(all: readonly OperatorInfo[], initial: readonly OperatorInfo[], decisions: readonly Decision[]): void {
      const on = new Set(initial.map((o) => o.id));
      w.line(
        recordHeader({
          ...h,
          operators: all.map((o) => ({ ...o, online: on.has(o.id) })),
          init: JSON.parse(toJson(decisions)) as Decision[],
        }),
      );
    },
    step(input: Input, now: number, decisions: readonly Decision[]): void {
      seq++;
      w.line(recordStepLine(seq, now, toJson(input), decisions.map(toJson), undefined, `sim/${input.id}`));
    },
  };
}
