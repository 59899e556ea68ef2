/**
 * Scenario keys of issue 13's capacity options: the verifier committee (any mechanism), chunked
 * proving with aggregation (per requester) and multi-job nodes (per operator group). Kept out of `schema.ts` so that file only names them.
 */
import { z } from 'zod';

const positive = z.number({ error: 'expected a number' }).positive({ error: 'expected a number > 0' });
const nonNeg = z.number({ error: 'expected a number' }).min(0, { error: 'expected a number ≥ 0' });

/**
 * A committee of provers verifies every delivered proof and is paid for it: ZkCloud's rule, "at least
 * 10", "1 percent of the entire set of provers", drawn by a VRF, "the prover who computes the proof is
 * excluded" (gevulotnetwork/gevulot-docs@1b722dc `zkcloud-design/transactions.md:34-38`). The reward
 * is "a small reward for all proofs on which all of the verifying provers agree" (`fees.md:53`); its
 * amount and who funds it are not published, so both are parameters.
 */
export const verifierCommittee = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Switches the committee on or off (for sweeps)'),
    size_min: z
      .number({ error: 'expected an integer ≥ 1' })
      .int({ error: 'expected an integer ≥ 1' })
      .min(1, { error: 'expected an integer ≥ 1' })
      .default(10)
      .describe('Fewest verifiers per proof (ZkCloud: 10)'),
    share: z
      .number({ error: 'expected a share from 0 to 1' })
      .min(0, { error: 'expected a share from 0 to 1' })
      .max(1, { error: 'expected a share from 0 to 1' })
      .default(0.01)
      .describe('Verifiers per proof as a share of the active provers, rounded up (ZkCloud: 0.01)'),
    fee_usd: nonNeg.describe('What each verifier is paid per verified proof, USD (not published by ZkCloud: a stand-in)'),
    paid_by: z
      .enum(['requester', 'network'])
      .default('requester')
      .describe('requester: charged to the requester on top of the job price; network: minted (counted in emission_usd)'),
  })
  .describe(
    'A verifier committee for every mechanism: max(size_min, ⌈share × provers⌉) provers drawn at random verify each delivered proof',
  );

/**
 * Nexus-style chunked proving: a job larger than `chunk_mcycles` is split into equal chunks proven in
 * parallel as ordinary jobs, then one aggregation job combines their proofs ("Proofs are recursively
 * aggregated into a single succinct proof", docs.nexus.xyz/architecture/compute-network).
 */
export const chunking = z
  .strictObject({
    chunk_mcycles: positive.describe('Largest chunk, Mcycles: a job of M Mcycles splits into ⌈M / chunk_mcycles⌉ equal chunks'),
    overhead_s: nonNeg
      .default(0)
      .describe('Network time per chunk (its input shipped to its prover), seconds: chunks are submitted this long after the job'),
    aggregation_mcycles: nonNeg.describe('Aggregation work per chunk proof, Mcycles: the aggregation job has chunks × aggregation_mcycles'),
  })
  .describe('Chunked proving: large jobs split into chunks proven in parallel, then aggregated (latency and cost end to end)');

/**
 * Multi-job nodes: the group's nodes run several jobs at once while their requests fit the spare cpus,
 * gpus and memory (bin packing). ZkCloud's nodes "run multiple provers and verifiers in parallel"
 * (gevulot-docs@1b722dc `zkcloud-design/execution-guarantees.md:51`). Mechanisms that pack: first-fit and random.
 */
export const concurrentJobs = z
  .boolean({ error: 'expected true or false' })
  .describe(
    'Nodes run several jobs at once while their requests fit the spare cpus, gpus and memory (bin packing; first-fit and random pack, the other mechanisms give such a node one job at a time); each job runs at its dominant resource share of the node and pays that share of its cost',
  );

/** A scenario's verifier committee, defaults applied. */
export type VerifierCommittee = z.output<typeof verifierCommittee>;
/** A requester's chunking rule. */
export type Chunking = z.output<typeof chunking>;
