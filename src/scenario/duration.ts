const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/;

/** Parses `90s`, `10m`, `12h`, `7d`, `2w`, `250ms` (or a bare number of seconds) to seconds. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = RE.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Formats seconds the way scenario files write them (largest exact unit). */
export function formatDuration(s: number): string {
  for (const [u, k] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= k && s % k === 0) return `${s / k}${u}`;
  }
  return `${s}s`;
}
