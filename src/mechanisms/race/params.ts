/** Parameters of proof racing (proof mining). Dollar amounts are USD; shares are 0-1. */
export interface RaceParams {
  /**
   * Where the winner's reward comes from: `price` (a share of the requester's escrowed price, paid
   * from escrow) or `emission` (minted by the protocol, Aleo-style; the requester pays nothing).
   */
  rewardSource: 'price' | 'emission' | 'epoch';
  /** With `rewardSource: price`: share of the job's `maxPrice` offered as the reward (the bounty). */
  rewardShare: number;
  /** With `rewardSource: emission`: a fixed emission per winning proof, USD. */
  emissionUsdPerProof: number;
  /**
   * With `rewardSource: emission`: an emission per Mcycle of the winning proof, USD. Aleo pays a
   * solution in proportion to its proof target, so a reward per unit of work is the faithful mapping.
   */
  emissionUsdPerMcycle: number;
  /**
   * With `rewardSource: epoch`: a capped budget per epoch (`emission.ts`), `epochTokens` ×
   * `epochTokenUsd` every `epochSeconds`, split in proportion to each accepted solution's work
   * (its target). Below `epochFullAtMcycles` of credited work an epoch pays only budget × work /
   * epochFullAtMcycles (Aleo R_coinbase = R_anchor × min(P, C_R) / C).
   */
  epochSeconds: number;
  epochTokens: number;
  epochTokenUsd: number;
  epochFullAtMcycles: number;
  /**
   * Every accepted solution is paid, not only the first (Aleo: each solution in a block earns
   * `puzzle_reward × target / Σ target`). Racers then run to the end and each delivery before the
   * deadline is credited to the epoch.
   */
  paySolutions: boolean;
  /** Losers stop when the winner is announced (`abort`), or run to the end and then get nothing. */
  losersAbort: boolean;
  /** Most racers admitted per job (the first joiners win a seat); 0 = no limit. */
  maxRacers: number;
  /**
   * A node races one job at a time: a join from a node already racing another job is ignored.
   * Several solicitations raised at the same instant reach the same free nodes before any of them
   * has started work; without this rule each of those nodes would race all of them at once (the
   * shell then queues the attempts one after the other). Off: capacity-blind (overcommitting)
   * nodes may race several jobs.
   */
  oneRacePerNode: boolean;
  /**
   * A job nobody joins: `wait` (re-offered, oldest first, each time a node that fits becomes free,
   * until the deadline: then `expired`), or `fail` (ends `expired` at once).
   */
  onNoRacers: 'wait' | 'fail';
  /**
   * How long a solicitation stays open for `join-race` answers, seconds. When it closes with no
   * racer the job waits (or fails, `onNoRacers`); a join after it closes is refused as `late`.
   * Aleo's puzzle accepts solutions for the whole epoch; this window is the coordinator's wait for
   * intents, a network round trip. The simulator answers at once, so any positive value gives the
   * same results there.
   */
  joinWindow: number;
}

export const raceDefaults: RaceParams = {
  rewardSource: 'price',
  // The requester posts its whole price limit as a bounty: a race has no price discovery, and any
  // smaller share only lowers participation. Lower it to study cheaper bounties.
  rewardShare: 1,
  emissionUsdPerProof: 0,
  emissionUsdPerMcycle: 0,
  epochSeconds: 3600,
  epochTokens: 0,
  epochTokenUsd: 1,
  epochFullAtMcycles: 0,
  paySolutions: false,
  losersAbort: true,
  maxRacers: 0,
  oneRacePerNode: true,
  onNoRacers: 'wait',
  joinWindow: 2,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/race.md, docs/mechanisms-reference.md. */
export const racePresets: Record<string, Partial<RaceParams>> = {
  /**
   * Aleo coinbase puzzle: the puzzle reward is 2/3 of a coinbase reward that is capped per block,
   * R_coinbase = R_anchor × min(P, C_R) / C (ProvableHQ/snarkVM@ca47c59
   * ledger/block/src/helpers/target.rs `puzzle_reward`, `coinbase_reward_v2`), and every accepted
   * solution earns `puzzle_reward × proof_target / combined_proof_target` (same commit,
   * synthesizer/src/vm/helpers/rewards.rs `proving_rewards`). No requester pays. pmsim's epoch is an
   * hour, not a block, and the dollar budget is a stand-in: $31.40 an hour with the full budget at
   * 62,800 Mcycles, i.e. $0.0005 per Mcycle (the default scenario's price limit) until the cap binds;
   * 62,800 Mcycles an hour is the default demand's mean. See docs/mechanisms/race.md.
   */
  aleo: {
    rewardSource: 'epoch',
    rewardShare: 0,
    emissionUsdPerProof: 0,
    emissionUsdPerMcycle: 0,
    epochSeconds: 3600,
    epochTokens: 31.4,
    epochTokenUsd: 1,
    epochFullAtMcycles: 62_800,
    paySolutions: true,
    losersAbort: false,
    maxRacers: 0,
    oneRacePerNode: true,
    onNoRacers: 'wait',
  },
};
