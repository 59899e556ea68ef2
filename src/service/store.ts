import Database from 'better-sqlite3';

/** One entry of the append-only input log. */
export interface LogEntry {
  /** Position in the log, from 1. */
  readonly seq: number;
  /** The caller's input id (null for inputs the coordinator makes itself: timers, clock moves). */
  readonly id: string | null;
  /** Coordinator time of the input, in seconds. */
  readonly at: number;
  /** `register`, `genesis` (the core's state is built), `input` (an input the core received) or `clock` (a manual clock move). */
  readonly kind: 'register' | 'genesis' | 'input' | 'clock';
  /** The entry's payload as JSON. */
  readonly body: string;
  /** The beacon a submission carried (32 bytes, hex), or '' for other entries. */
  readonly beacon: string;
}

/** Durability of a commit: `full` survives power loss (fsync on every commit), `normal` survives a killed process. */
export type SyncMode = 'full' | 'normal';

/**
 * The coordinator's persistence: an append-only SQLite log of inputs, with the time and beacon of
 * each, and a small metadata table (the configuration the log was made for). Nothing else is
 * stored: every other piece of state is rebuilt by replaying the log through the core.
 */
export class InputStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly appendMany: (rows: readonly LogEntry[]) => void;

  constructor(file: string, sync: SyncMode = 'full') {
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS log (
        seq INTEGER PRIMARY KEY,
        id TEXT UNIQUE,
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        beacon TEXT NOT NULL
      );`);
    this.insert = this.db.prepare('INSERT INTO log (seq, id, at, kind, body, beacon) VALUES (@seq, @id, @at, @kind, @body, @beacon)');
    this.appendMany = this.db.transaction((rows: readonly LogEntry[]) => {
      for (const r of rows) this.insert.run(r);
    });
  }

  /** Reads a metadata value. */
  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** Appends entries in one transaction; returns once they are durable (per the sync mode). */
  append(rows: readonly LogEntry[]): void {
    if (rows.length > 0) this.appendMany(rows);
  }

  /** Every entry, in log order. */
  *entries(): IterableIterator<LogEntry> {
    for (const row of this.db.prepare('SELECT seq, id, at, kind, body, beacon FROM log ORDER BY seq').iterate()) yield row as LogEntry;
  }

  close(): void {
    this.db.close();
  }
}
