import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Largest scenario, sweep or trace file pmsim reads (a trace of 10M arrivals is ~100 MB). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** A file that cannot be read as input text: the message says why, for `file: message`. */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}

/**
 * Reads a whole input file as UTF-8 text, refusing what is not an ordinary file of sane size.
 * Opened with O_NONBLOCK so a FIFO cannot block the open, then checked with fstat on the open
 * descriptor (no race between the check and the read): a FIFO, a device such as /dev/zero, a
 * directory or a file over `maxBytes` is refused before a byte is read, and invalid UTF-8 is
 * refused instead of being replaced by U+FFFD (which would turn into confusing field errors).
 */
export function readInputText(path: string, maxBytes = MAX_INPUT_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError('file not found');
    if (code === 'EISDIR') throw new InputFileError('is a directory, not a file');
    throw new InputFileError(`cannot read the file (${code ?? String(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputFileError('is a directory, not a file');
    if (!st.isFile()) throw new InputFileError(`is not an ordinary file (${kind(st)}); give a regular file`);
    if (st.size > maxBytes) throw new InputFileError(`is ${mib(st.size)}, more than the limit of ${mib(maxBytes)}`);
    // Read at most maxBytes + 1: a file that grows while it is read is still bounded.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n <= 0) break;
      got += n;
      if (got >= buf.length) {
        if (got > maxBytes) throw new InputFileError(`is more than the limit of ${mib(maxBytes)}`);
        break;
      }
    }
    return decodeUtf8(buf.subarray(0, got));
  } finally {
    closeSync(fd);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding (a BOM is dropped); names the first bad byte's offset. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    // Locate the first invalid sequence for the message (only on the error path).
    let ok = 0;
    for (let step = 1 << 20; step >= 1; step >>= 1) {
      while (ok + step <= bytes.length && validPrefix(bytes.subarray(0, ok + step))) ok += step;
    }
    // The longest valid prefix may end inside the bad sequence: report where that sequence starts.
    let at = ok;
    while (at > 0 && at > ok - 3 && (bytes[at - 1]! & 0xc0) === 0x80) at--;
    if (at > 0 && bytes[at - 1]! >= 0xc0 && ok - at < 3) at--;
    throw new InputFileError(`is not UTF-8 text (invalid byte at offset ${at}); save it as UTF-8`);
  }
}

function validPrefix(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function kind(st: ReturnType<typeof fstatSync>): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function mib(n: number): string {
  return n >= 1 << 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
}
