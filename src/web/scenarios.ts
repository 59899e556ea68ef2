/** The scenarios shipped with pmsim (scenarios/default.yaml, attacks/, demand/), bundled as text. */

const files = import.meta.glob(['../../scenarios/default.yaml', '../../scenarios/attacks/*.yaml', '../../scenarios/demand/*.yaml'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const traceFiles = import.meta.glob('../../scenarios/demand/*.csv', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

/** A bundled scenario: its key (`default`, `attacks/cartel`), file name and text. */
export interface BundledScenario {
  readonly key: string;
  readonly file: string;
  readonly text: string;
  /** Trace files beside it, by file name (what its `file:` entries name). */
  readonly traces: Readonly<Record<string, string>>;
}

const keyOf = (path: string): string => path.replace('../../scenarios/', '').replace(/\.yaml$/, '');
const dirOf = (key: string): string => (key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '');

/** Every bundled scenario, `default` first, then by key. */
export const BUNDLED: readonly BundledScenario[] = Object.entries(files)
  .map(([path, text]) => {
    const key = keyOf(path);
    const traces: Record<string, string> = {};
    for (const [p, t] of Object.entries(traceFiles)) if (dirOf(keyOf(p)) === dirOf(key)) traces[p.split('/').pop()!] = t;
    return { key, file: `scenarios/${key}.yaml`, text, traces };
  })
  .sort((a, b) => (a.key === 'default' ? -1 : b.key === 'default' ? 1 : a.key.localeCompare(b.key)));

/** The bundled scenario with this key, if any. */
export function bundled(key: string): BundledScenario | undefined {
  return BUNDLED.find((b) => b.key === key);
}
