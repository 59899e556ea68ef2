/** Parameters of proof racing (proof mining). Dollar amounts are USD; shares are 0-1. */
export interface RaceParams {
  /**
   * Where the winner's reward comes from: `price` (a share of the requester's escrowed price, paid
   * from escrow) or `emission` (minted by the protocol, Aleo-style; the requester pays nothing).
   */
  rewardSource: 'price' | 'emission';
  /** With `rewardSource: price`: share of the job's `maxPrice` offered as the reward (the bounty). */
  rewardShare: number;
  /** With `rewardSource: emission`: a fixed emission per winning proof, USD. */
  emissionUsdPerProof: number;
  /**
   * With `rewardSource: emission`: an emission per Mcycle of the winning proof, USD. Aleo pays a
   * solution in proportion to its proof target, so a reward per unit of work is the faithful mapping.
   */
  emissionUsdPerMcycle: number;
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
  losersAbort: true,
  maxRacers: 0,
  oneRacePerNode: true,
  onNoRacers: 'wait',
  joinWindow: 2,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/race.md, docs/mechanisms-reference.md. */
export const racePresets: Record<string, Partial<RaceParams>> = {
  /**
   * Aleo coinbase puzzle (snarkVM ledger/block/src/helpers/target.rs, ledger/src/helpers/rewards.rs):
   * the puzzle reward (2/3 of the coinbase) is minted and each accepted solution earns in proportion
   * to its proof target, so the reward is an emission per unit of work; no requester pays. Racers
   * move on to the next puzzle once a solution is accepted (losers abort). The USD value of a unit
   * of target depends on the coinbase target and the token price, which are not modelled: the
   * preset's $0.0005 per Mcycle is a stand-in equal to the default scenario's price limit per
   * Mcycle, so that the subsidy is comparable with what requesters offer.
   */
  aleo: {
    rewardSource: 'emission',
    rewardShare: 0,
    emissionUsdPerProof: 0,
    emissionUsdPerMcycle: 0.0005,
    losersAbort: true,
    maxRacers: 0,
    oneRacePerNode: true,
    onNoRacers: 'wait',
  },
};
