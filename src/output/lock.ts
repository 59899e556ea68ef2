import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** What a lock file says about its holder. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** The kernel's boot id (Linux): a different one means the machine rebooted since. */
  readonly boot_id?: string;
  /**
   * The holder's start time in clock ticks since boot (Linux /proc/PID/stat, field 22). A process
   * with the same pid but another start time is not the holder: the pid was reused (a container
   * restarted in a fresh PID namespace gets the same small pids on the same host and boot).
   */
  readonly start?: string;
}

/** A lock held by a live process. Exit status 2 in the CLI. */
export class LockHeldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockHeldError';
  }
}

/** A lock not refreshed for this long is stale, when its holder is on another host. */
export const LOCK_STALE_MS = 30_000;
const LOCK_REFRESH_MS = 5_000;

/** Locks this process holds, by path: a lock naming our own pid that is not here is a reused pid. */
const held = new Set<string>();

/** A held lock. */
export interface FileLock {
  /** Marks the lock alive (also refreshed by a timer). */
  touch(): void;
  release(): void;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The boot id of this machine (undefined off Linux). */
export function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

/** A process's start time in clock ticks since boot (undefined when unknown). */
export function processStart(pid: number | 'self'): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** This process as a lock holder. */
export function me(): LockHolder {
  return { pid: process.pid, host: hostname(), boot_id: bootId(), start: processStart('self') };
}

/**
 * Whether a lock's holder still runs. On another host: only the lock's age can tell (it is
 * refreshed every few seconds). On this host: a different boot id is a dead holder; our own pid is
 * ours only if this process took the lock; another pid is alive if it exists and, when both are
 * known, has the recorded start time.
 */
export function holderAlive(h: Partial<LockHolder>, ageMs: number): boolean {
  if (typeof h.pid !== 'number') return false;
  if (h.host !== hostname()) return ageMs < LOCK_STALE_MS;
  const boot = bootId();
  if (h.boot_id && boot && h.boot_id !== boot) return false;
  // Locks this process holds are caught before (see `held`): our pid in a lock file is a reused pid.
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(h.pid);
  return !(h.start && start && start !== h.start);
}

/**
 * Takes the lock file at `path` (created exclusively), or throws {@link LockHeldError} naming
 * `what` and the holder. A lock whose holder is dead (see {@link holderAlive}) is taken over.
 */
export function acquireFileLock(path: string, what: string, kind = 'process'): FileLock {
  // Two sweeps or runs of one process (a notebook) into one directory: the second is refused.
  if (held.has(path))
    throw new LockHeldError(`${what} is in use by another pmsim ${kind} (pid ${process.pid} on ${hostname()}, this process)`);
  const self = JSON.stringify(me());
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, self);
      closeSync(fd);
      held.add(path);
      let last = Date.now();
      const touch = () => {
        const now = Date.now();
        if (now - last < LOCK_REFRESH_MS) return;
        last = now;
        try {
          utimesSync(path, now / 1000, now / 1000);
        } catch {
          /* the directory was removed under us: nothing to keep alive */
        }
      };
      const timer = setInterval(touch, LOCK_REFRESH_MS);
      timer.unref();
      return {
        touch,
        release: () => {
          clearInterval(timer);
          held.delete(path);
          rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: Partial<LockHolder> = {};
    let age = 0;
    try {
      age = Date.now() - statSync(path).mtimeMs;
      holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    } catch {
      /* an empty or torn lock file: its writer died while creating it */
    }
    if (holderAlive(holder, age)) {
      const sameHost = holder.host === hostname();
      throw new LockHeldError(
        `${what} is in use by another pmsim ${kind} (pid ${holder.pid} on ${holder.host}); if that process is gone, delete ${path}` +
          (sameHost ? '' : ` or wait ${Math.ceil((LOCK_STALE_MS - age) / 1000)} s until the lock goes stale`),
      );
    }
    rmSync(path, { force: true });
  }
  throw new LockHeldError(`cannot lock ${what} (${path})`);
}
