import type { IncomingMessage } from 'node:http';
import { SIGNATURE_HEADER, importPublicKey, verifySignature } from './auth.js';
import type { Command, Coordinator, JobInputType, NodeInputType } from './coordinator.js';
import { RequestError } from './errors.js';
import { parse, pathId } from './http-io.js';
import { clockSchema, jobInputSchema, nodeInputSchema, registerSchema, submitSchema } from './schemas.js';

const JOB_INPUTS: readonly JobInputType[] = ['decline', 'bid', 'lock', 'join', 'deliver', 'fail'];
const NODE_INPUTS: readonly NodeInputType[] = ['ask', 'cancel-ask', 'available', 'join', 'leave'];

/** A registration, checked: the key is an Ed25519 public key and it signed the request. */
function registerCommand(json: unknown, path: string, raw: Buffer, sig: string | undefined): Command {
  const body = parse(registerSchema, json);
  let key: ReturnType<typeof importPublicKey>;
  try {
    key = importPublicKey(body.public_key);
  } catch {
    throw new RequestError(400, 'public_key', 'expected an Ed25519 public key, got bytes that are not one');
  }
  if (!verifySignature(key, 'POST', path, raw, sig))
    throw new RequestError(401, 'signature', 'expected a signature of the request by the key being registered, got none or a wrong one');
  return { kind: 'register', body };
}

/** Checks that a registered operator signed the request with its key. */
function authenticate(c: Coordinator, operator: number, path: string, raw: Buffer, sig: string | undefined): void {
  const op = c.operators[operator];
  if (!op) throw new RequestError(404, 'operator', `expected a registered operator, got ${operator} (${c.operators.length} registered)`);
  if (!verifySignature(op.key, 'POST', path, raw, sig))
    throw new RequestError(401, 'signature', `expected a signature by operator ${operator}'s registered key, got none or a wrong one`);
}

/** Validates a POST and checks its signature; the coordinator checks the rest. */
export function postCommand(c: Coordinator, parts: string[], path: string, json: unknown, raw: Buffer, req: IncomingMessage): Command {
  const sig = req.headers[SIGNATURE_HEADER] as string | undefined;
  const [v1, what, idText, verb] = parts;
  if (v1 === 'v1' && what === 'jobs' && parts.length === 2) return { kind: 'submit', body: parse(submitSchema, json) };
  if (v1 === 'v1' && what === 'clock' && parts.length === 2) return { kind: 'clock', body: parse(clockSchema, json) };
  if (v1 === 'v1' && what === 'operators' && parts.length === 2) return registerCommand(json, path, raw, sig);
  if (v1 === 'v1' && what === 'jobs' && parts.length === 4 && JOB_INPUTS.includes(verb as JobInputType)) {
    const jobId = pathId(idText!, 'job_id');
    const body = parse(jobInputSchema, json);
    authenticate(c, body.operator, path, raw, sig);
    return { kind: 'job', type: verb as JobInputType, jobId, operator: body.operator, body };
  }
  if (v1 === 'v1' && what === 'operators' && parts.length === 4 && NODE_INPUTS.includes(verb as NodeInputType)) {
    const operator = pathId(idText!, 'operator');
    const body = parse(nodeInputSchema, json);
    authenticate(c, operator, path, raw, sig);
    return { kind: 'node', type: verb as NodeInputType, operator, body };
  }
  throw new RequestError(404, 'path', `expected a known endpoint (see docs/coordinator.md), got POST ${path}`);
}
