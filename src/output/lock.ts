import { closeSync, linkSync, openSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

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
 * Takes the lock file at `path`, or throws {@link LockHeldError} naming `what` and the holder. A
 * lock whose holder is dead (see {@link holderAlive}) is taken over.
 *
 * The lock appears whole: its contents are written to a draft first, and the draft is hard-linked
 * to `path` (the link fails if `path` exists). Creating `path` and writing it afterwards would
 * let a contender read it empty between the two steps, judge it the remains of a dead writer and
 * take it too (two runs into one `--out` both went ahead). A dead holder's lock is deleted under a
 * takeover guard, and judged dead again under it, so two processes that both found it dead cannot
 * both take over.
 */
export function acquireFileLock(path: string, what: string, kind = 'process'): FileLock {
  // Two sweeps or runs of one process (a notebook) into one directory: the second is refused.
  if (held.has(path))
    throw new LockHeldError(`${what} is in use by another pmsim ${kind} (pid ${process.pid} on ${hostname()}, this process)`);
  const draft = `${path}.draft-${process.pid}`;
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (publish(draft, path)) return holdLock(path);
      const seen = inspect(path);
      if (!seen) continue;
      if (alive(seen)) throw heldError(what, kind, path, seen);
      removeIfDead(path, draft);
    }
  } finally {
    rmSync(draft, { force: true });
  }
  throw new LockHeldError(`cannot lock ${what} (${path})`);
}

/** An unreadable lock younger than this may be one another process is still writing (no hard links). */
const TORN_GRACE_MS = 2_000;

/** Whether a lock as inspected has a live holder, or may be one still being written. */
function alive(seen: { holder: Partial<LockHolder>; age: number }): boolean {
  return holderAlive(seen.holder, seen.age) || (seen.holder.pid === undefined && seen.age < TORN_GRACE_MS);
}

/** Writes this process's lock to `draft` and links it to `path`: false if `path` exists. */
function publish(draft: string, path: string): boolean {
  writeFileSync(draft, JSON.stringify(me()));
  try {
    linkSync(draft, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
  }
  // A file system without hard links: create and write (a contender may see it empty: TORN_GRACE_MS).
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, JSON.stringify(me()));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** What the lock at `path` says, or undefined if it is gone. */
function inspect(path: string): { holder: Partial<LockHolder>; age: number } | undefined {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  let holder: Partial<LockHolder> = {};
  try {
    holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
  } catch {
    /* an empty or torn lock file: its writer died while creating it, or is writing it now */
  }
  return { holder, age: Date.now() - st.mtimeMs };
}

/** A takeover guard older than this was left by a process killed while it took over (that takes microseconds). */
const GUARD_STALE_MS = 10_000;

/**
 * Deletes the lock at `path` if its holder is dead, judged again under a guard file
 * (`path.takeover`) that one process at a time can create. A lock is never replaced, only created
 * where none is (a hard link fails if `path` exists), and a dead holder cannot release it, so while
 * the guard is held a lock judged dead stays the file at `path` until the guard's holder deletes
 * it. Without the guard, two processes that both judged a dead lock could delete it and then the
 * live lock one of them had just created; judging before taking the guard (by inode) fails too,
 * since a new file may reuse the dead lock's inode number.
 */
function removeIfDead(path: string, draft: string): void {
  const guard = `${path}.takeover`;
  if (!publish(draft, guard)) {
    const other = inspect(guard);
    if (other && other.age > GUARD_STALE_MS) rmSync(guard, { force: true });
    return; // another process is taking over: look again
  }
  try {
    const seen = inspect(path);
    if (seen && !alive(seen)) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
}

function heldError(what: string, kind: string, path: string, seen: { holder: Partial<LockHolder>; age: number }): LockHeldError {
  const { holder, age } = seen;
  const sameHost = holder.host === undefined || holder.host === hostname();
  return new LockHeldError(
    `${what} is in use by another pmsim ${kind} (pid ${holder.pid ?? 'unknown, being written'} on ${holder.host ?? hostname()}); if that process is gone, delete ${path}` +
      (sameHost ? '' : ` or wait ${Math.ceil((LOCK_STALE_MS - age) / 1000)} s until the lock goes stale`),
  );
}

/** The handle of a lock this process has just taken; removes drafts of killed contenders. */
function holdLock(path: string): FileLock {
  held.add(path);
  removeDeadDrafts(path);
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
}

/** Drafts (`path.draft-PID`) of processes killed mid-way. */
function removeDeadDrafts(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^draft-(\d+)$/.exec(name.slice(prefix.length)) : null;
    if (m && Number(m[1]) !== process.pid && !pidExists(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
