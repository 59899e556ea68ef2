import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** The header that carries a request's signature (base64 of the 64-byte Ed25519 signature). */
export const SIGNATURE_HEADER = 'x-pmsim-signature';

/**
 * What an operator signs: the method, the path and the exact body bytes, one per line. The body
 * carries the input id, and a repeated id is a no-op, so a captured request cannot be replayed to
 * any effect.
 */
export function signedMessage(method: string, path: string, body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${method.toUpperCase()}\n${path}\n`), typeof body === 'string' ? Buffer.from(body) : body]);
}

/** Imports a raw Ed25519 public key (32 bytes, base64url). Throws on a malformed key. */
export function importPublicKey(x: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** Checks a base64 signature of a request; false on any malformed input. */
export function verifySignature(key: KeyObject, method: string, path: string, body: Buffer, signature: string | undefined): boolean {
  if (!signature || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(signature)) return false;
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64) return false;
  try {
    return verify(null, signedMessage(method, path, body), key, sig);
  } catch {
    return false;
  }
}

/** An operator's key pair, for clients (replay, tests, the load benchmark). */
export interface OperatorKey {
  /** The raw public key, base64url: what `POST /v1/operators` registers. */
  readonly publicKey: string;
  /** Signs a request; returns the header value. */
  sign(method: string, path: string, body: string): string;
}

/** Makes a fresh Ed25519 key pair. */
export function newOperatorKey(): OperatorKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  return { publicKey: x, sign: (m, p, b) => sign(null, signedMessage(m, p, b), privateKey).toString('base64') };
}
