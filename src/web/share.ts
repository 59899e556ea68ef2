/**
 * Share links: the scenario text (deflated, base64url) and the seed in the URL's hash, so the page
 * that opens it runs the same scenario and gets the same numbers. The hash never reaches a server.
 */

/** What a share link carries. */
export interface Shared {
  readonly text: string;
  readonly seed: number;
  /** The bundled scenario it started from (its trace files come from the bundle), or ''. */
  readonly from: string;
  /** Labels of the selected mechanisms, or undefined for all. */
  readonly mechanisms?: readonly string[];
}

type ByteStream = { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

async function pipe(bytes: Uint8Array, stream: unknown): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream as ByteStream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The hash (`#seed=…&s=…`) of a share link. */
export async function encodeShare(x: Shared): Promise<string> {
  const z = await pipe(new TextEncoder().encode(x.text), new CompressionStream('deflate-raw'));
  const p = new URLSearchParams({ seed: String(x.seed) });
  if (x.from) p.set('from', x.from);
  if (x.mechanisms) p.set('m', JSON.stringify(x.mechanisms));
  p.set('s', toBase64Url(z));
  return `#${p.toString()}`;
}

/** Reads a share link's hash; null when the hash holds none. Throws on a damaged link. */
export async function decodeShare(hash: string): Promise<Shared | null> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const s = p.get('s');
  if (!s) return null;
  const text = new TextDecoder().decode(await pipe(fromBase64Url(s), new DecompressionStream('deflate-raw')));
  const seed = Number(p.get('seed'));
  const m = p.get('m');
  return {
    text,
    seed: Number.isInteger(seed) && seed >= 0 ? seed : NaN,
    from: p.get('from') ?? '',
    mechanisms: m ? (JSON.parse(m) as string[]) : undefined,
  };
}
