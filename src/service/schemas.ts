import { z } from 'zod';

/**
 * The request bodies of the coordinator's HTTP API. Every body carries `id`: the caller's input id.
 * A second request with the same id is a no-op that says so, so clients may retry safely.
 * Money is integer micro-USD (`*_micros`), times are coordinator seconds. With `--clock manual`
 * an input may carry `at` (the clock moves there first), and a submission its `beacon` (for
 * replaying a recorded simulation).
 */
const id = z.string().min(1).max(128).describe('the caller’s input id');
const micros = z.number().int().min(0);
const seconds = z.number().finite();
const common = { id, at: seconds.min(0).optional() };
/** A job's external beacon: 32 bytes, lowercase hex (a drand round value, a block hash). */
const beacon = z.string().regex(/^[0-9a-f]{64}$/, 'expected 32 bytes as 64 lowercase hex digits');

export const resourcesSchema = z.strictObject({
  cpus: z.number().min(0).default(0),
  gpus: z.number().min(0).default(0),
  memory_gb: z.number().min(0).default(0),
});

export const registerSchema = z.strictObject({
  id,
  /** Ed25519 public key: the raw 32 bytes, base64url (the JWK `x`). */
  public_key: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes in base64url (43 characters)'),
  entity: z.number().int().min(0).optional(),
  capacity: resourcesSchema,
  hardware: z.string().min(1).max(32).default('gpu'),
  stake_micros: micros.default(0),
  /** Whether the node takes work from now on (false: it joins later with `/join`). */
  online: z.boolean().default(true),
});

export const submitSchema = z
  .strictObject({
    ...common,
    beacon: beacon.optional(),
    requester: z.number().int().min(0).default(0),
    kind: z.string().min(1).max(32).default('zkvm'),
    mcycles: z.number().positive().finite(),
    resources: resourcesSchema.default({ cpus: 0, gpus: 1, memory_gb: 16 }),
    deadline_s: seconds.positive().optional(),
    deadline_at: seconds.optional(),
    max_price_micros: micros,
    redundancy: z.number().int().min(1).max(3).default(1),
    est_seconds: seconds.min(0).optional(),
  })
  .refine((b) => b.deadline_s !== undefined || b.deadline_at !== undefined, {
    message: 'expected deadline_s (relative) or deadline_at (absolute)',
    path: ['deadline_s'],
  });

export const jobInputSchema = z.strictObject({
  ...common,
  /** The operator sending the input (it signs the request). */
  operator: z.number().int().min(0),
  price_micros: micros.optional(),
  /** The proof, an opaque blob in base64 (deliveries only). */
  proof: z.string().max(65536).optional(),
});

export const nodeInputSchema = z.strictObject({
  ...common,
  price_per_mcycle: z.number().min(0).finite().optional(),
  expires_at: seconds.optional(),
});

export const clockSchema = z.strictObject({
  id,
  to: seconds.min(0),
  /** How many timers due exactly at `to` fire (default: all). Timers due before `to` always fire. */
  fire: z.number().int().min(0).optional(),
});

export type RegisterBody = z.infer<typeof registerSchema>;
export type SubmitBody = z.infer<typeof submitSchema>;
export type JobInputBody = z.infer<typeof jobInputSchema>;
export type NodeInputBody = z.infer<typeof nodeInputSchema>;
export type ClockBody = z.infer<typeof clockSchema>;
