import cliProgress from 'cli-progress';
import type { SweepProgress } from './run.js';

/** Shows sweep progress: a bar on a terminal, plain periodic lines otherwise (CI, logs). */
export interface ProgressReporter {
  update(p: SweepProgress): void;
  stop(): void;
}

/** `1h02m`, `3m05s`, `12s`; `--` when unknown. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/**
 * Creates a reporter writing to `stream` (default stderr). With `tty` (default: the stream is a
 * terminal) it draws a cli-progress bar with runs done, failed, elapsed time and ETA; without, it
 * prints one line every `intervalMs` (default 5 s, or $PMSIM_PROGRESS_INTERVAL seconds) and a last one.
 */
export function createProgressReporter(
  opts: { stream?: NodeJS.WriteStream; tty?: boolean; intervalMs?: number; label?: string } = {},
): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const label = opts.label ?? 'sweep';
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} {bar} {value}/{total} runs | {failed} failed | {duration_formatted} elapsed | ETA {eta_text}`,
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let last: SweepProgress | undefined;
    const payload = (p: SweepProgress) => ({ failed: p.failed, eta_text: formatSeconds(p.eta_s) });
    return {
      update(p) {
        last = p;
        if (!started) {
          bar.start(p.total, p.done + p.failed, payload(p));
          started = true;
        } else bar.update(p.done + p.failed, payload(p));
      },
      stop() {
        if (started) {
          if (last) bar.update(last.done + last.failed, payload(last));
          bar.stop();
        }
      },
    };
  }
  const env = Number(process.env.PMSIM_PROGRESS_INTERVAL);
  const interval = opts.intervalMs ?? (Number.isFinite(env) && env > 0 ? env * 1000 : 5000);
  let lastAt = 0;
  let last: SweepProgress | undefined;
  let lastPrinted: SweepProgress | undefined;
  const line = (p: SweepProgress) => {
    const pct = p.total > 0 ? ((100 * (p.done + p.failed)) / p.total).toFixed(1) : '100.0';
    stream.write(
      `${label}: ${p.done + p.failed}/${p.total} runs (${pct}%), ${p.failed} failed${p.resumed ? `, ${p.resumed} resumed` : ''}, ${formatSeconds(p.elapsed_s)} elapsed, ETA ${formatSeconds(p.eta_s)}\n`,
    );
    lastPrinted = p;
  };
  return {
    update(p) {
      last = p;
      const now = Date.now();
      if (lastAt === 0 || now - lastAt >= interval) {
        lastAt = now;
        line(p);
      }
    },
    stop() {
      if (last && last !== lastPrinted) line(last);
    },
  };
}
