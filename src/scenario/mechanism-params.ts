import { hardwareIds } from '../hardware-models/catalogue.js';

/**
 * Schemas of every mechanism's `params`, keyed by mechanism id, one line per parameter. They refuse
 * at validation every value that the mechanism or the ledger would refuse mid-run: times that are
 * not whole seconds (reverse-Dutch offers), negative or overflowing money (the ledger's integer
 * µUSD), shares outside 0-1, unknown hardware (self-hosted). Bounds keep every derived amount a safe
 * integer: a price limit ≤ $10M (see limits.ts) times a collateral multiple ≤ 100 is < 2^53 µUSD.
 *
 * To add a parameter, add one line to its mechanism's table (the registry's defaults name the
 * parameters a mechanism accepts; a test checks that the two agree).
 */

/** Prints a value the way a scenario file would have written it. */
export function shown(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

/**
 * The check of one parameter's value: what is wrong with it, or undefined when it passes. Each is a
 * plain predicate with a message: building some 200 zod schemas for them cost about 6 ms CPU of
 * `pmsim validate`'s start-up (issue 10).
 */
export type ParamCheck = (v: unknown) => string | undefined;

/** A parameter that passes `ok`; otherwise `expected <what>, got <value>`. */
function field(what: string, ok: (v: unknown) => boolean): ParamCheck {
  return (v) => (ok(v) ? undefined : `expected ${what}, got ${shown(v)}`);
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Largest amount of money in one parameter, USD. */
const MAX_USD = 1e7;
/** Largest time in one parameter, seconds (~31 years). */
const MAX_S = 1e9;

const wholeSeconds = field(`whole seconds ≥ 0 (at most ${MAX_S})`, (v) => num(v) && Number.isInteger(v) && v >= 0 && v <= MAX_S);
const seconds = field(`seconds ≥ 0 (at most ${MAX_S})`, (v) => num(v) && v >= 0 && v <= MAX_S);
const positiveSeconds = field(`seconds > 0 (at most ${MAX_S})`, (v) => num(v) && v > 0 && v <= MAX_S);
const usd = field(`USD ≥ 0 (at most ${MAX_USD})`, (v) => num(v) && v >= 0 && v <= MAX_USD);
const share = field('a share from 0 to 1', (v) => num(v) && v >= 0 && v <= 1);
const bps = field('whole basis points from 0 to 10000', (v) => num(v) && Number.isInteger(v) && v >= 0 && v <= 10_000);
const count = (max: number) => field(`a whole number from 0 to ${max}`, (v) => num(v) && Number.isInteger(v) && v >= 0 && v <= max);
const atLeastOne = (max: number) => field(`a whole number from 1 to ${max}`, (v) => num(v) && Number.isInteger(v) && v >= 1 && v <= max);
const factor = (min: number, max: number) => field(`a number from ${min} to ${max}`, (v) => num(v) && v >= min && v <= max);
const positiveFactor = (max: number) => field(`a number > 0 and ≤ ${max}`, (v) => num(v) && v > 0 && v <= max);
const bool = field('true or false', (v) => typeof v === 'boolean');
const oneOf = (...values: string[]) =>
  field(`one of ${values.map((x) => `"${x}"`).join(', ')}`, (v) => typeof v === 'string' && values.includes(v));
const shares = field(
  'a list of shares from 0 to 1 summing to at most 1',
  (v) =>
    Array.isArray(v) &&
    v.length <= 100 &&
    v.every((x) => num(x) && x >= 0 && x <= 1) &&
    v.reduce((a: number, b: number) => a + b, 0) <= 1 + 1e-9,
);
/** A whole number from 0 to `max`, or -1 for "none" (a limit or delay that is off). */
const countOrOff = (max: number) =>
  field(`-1 or a whole number from 0 to ${max}`, (v) => num(v) && Number.isInteger(v) && v >= -1 && v <= max);
/**
 * Token amounts and their dollar value (emissions, collateral in tokens): bounded so that an
 * epoch's budget (≤ 1e7 tokens × $100) stays below 2^53 µUSD.
 */
const tokens = field('tokens ≥ 0 (at most 1e7)', (v) => num(v) && v >= 0 && v <= 1e7);
/** A bond per job in tokens: at most $10M (1e5 tokens × $100), like every other USD amount per job, so sums stay exact in µUSD. */
const bondTokens = field('tokens ≥ 0 (at most 100,000)', (v) => num(v) && v >= 0 && v <= 1e5);
const tokenUsd = field('USD per token ≥ 0 (at most 100)', (v) => num(v) && v >= 0 && v <= 100);
const epoch = field('seconds > 0 (at most 2,592,000, 30 days)', (v) => num(v) && v > 0 && v <= 2_592_000);
const hardware: ParamCheck = (v) =>
  typeof v !== 'string' || !hardwareIds.includes(v)
    ? `unknown hardware ${shown(v)} (expected one of: ${hardwareIds.join(', ')})`
    : undefined;

/** The parameter table of each mechanism: parameter name → the check of its value. */
export const MECHANISM_PARAMS: Readonly<Record<string, Readonly<Record<string, ParamCheck>>>> = {
  random: {
    gpuHourUsd: usd,
    cpuHourUsd: usd,
    txFeeUsd: usd,
    protocolShare: share,
    fallbackRounds: count(100),
    fallbackRefundShare: share,
    ejectOnFallbackSuccess: bool,
    onExhausted: oneOf('burn', 'refund'),
    lastResortRace: bool,
    declineToRace: bool,
    onNoCapacity: oneOf('queue', 'fail'),
    rewardTiers: shares,
    maxDeclines: count(1e9),
    declineWindow: wholeSeconds,
    gpusPerNode: positiveFactor(1024),
    maxDeclinesShort: countOrOff(1e9),
    declineWindowShort: wholeSeconds,
    declaredTimeFactor: positiveFactor(100),
    setupSeconds: seconds,
    capAtDeclaredTime: bool,
    fallbackPaidInFull: bool,
    stakeUsd: usd,
    restakeAfter: countOrOff(MAX_S),
    networkRewardShare: share,
  },
  race: {
    rewardSource: oneOf('price', 'emission', 'epoch'),
    rewardShare: share,
    emissionUsdPerProof: usd,
    emissionUsdPerMcycle: field('USD per Mcycle ≥ 0 (at most 1)', (v) => num(v) && v >= 0 && v <= 1),
    losersAbort: bool,
    maxRacers: count(1e6),
    oneRacePerNode: bool,
    onNoRacers: oneOf('wait', 'fail'),
    joinWindow: positiveSeconds,
    epochSeconds: epoch,
    epochTokens: tokens,
    epochTokenUsd: tokenUsd,
    epochFullAtMcycles: factor(0, 1e12),
    paySolutions: bool,
  },
  'order-book': {
    priceRule: oneOf('resting', 'midpoint', 'bid', 'ask'),
    askTtl: positiveSeconds,
    askWait: positiveSeconds,
    requireFinish: bool,
    finishFactor: factor(0, 1000),
    commissionShare: share,
    commissionMinUsd: usd,
    commissionSplit: share,
    depositUsd: usd,
    penaltyFactor: positiveFactor(1e6),
    payLate: bool,
    ratingTieBreak: bool,
    rematchOnFail: bool,
  },
  'reverse-dutch': {
    minPriceShare: share,
    collateralMultiple: factor(0, 100),
    timeouts: oneOf('sdk', 'job'),
    lockTimeoutBase: wholeSeconds,
    lockTimeoutPerMcycle: factor(0, 1e6),
    lockTimeoutMax: wholeSeconds,
    timeoutMultiple: factor(1, 1000),
    rampUpBase: wholeSeconds,
    rampUpPerMcycle: factor(0, 1e6),
    rampUpMax: wholeSeconds,
    lockShare: share,
    rampShare: share,
    rampUpDelay: wholeSeconds,
    lockDelay: seconds,
    slashBurnBps: bps,
    marketFeeBps: bps,
    directFulfil: bool,
    maxRacers: count(1e6),
    resolicit: count(1e6),
    collateralZkc: field('ZKC ≥ 0 (at most 100,000)', (v) => num(v) && v >= 0 && v <= 1e5),
    zkcUsd: tokenUsd,
    collateralBalance: bool,
    proofRetries: count(100),
    povwZkcPerEpoch: tokens,
    povwZkcUsd: tokenUsd,
    povwEpoch: epoch,
    rampUpDelayPerMcycle: factor(0, 1e6),
    rampUpDelayMax: wholeSeconds,
  },
  'sealed-bid': {
    auctionPeriod: seconds,
    settlement: oneOf('first', 'second'),
    maxConcurrent: count(1e6),
    slashOnMiss: bool,
    collateralMultiple: factor(0, 100),
    slashBurnBps: bps,
    protocolFeeBps: bps,
    baseFeeUsd: usd,
    stakeUsd: usd,
    stakePerJobUsd: usd,
    stakeSlashShare: share,
    restake: bool,
    dispenseRate: field('tokens per second ≥ 0 (at most 10)', (v) => num(v) && v >= 0 && v <= 10),
    dispenseTokenUsd: tokenUsd,
    dispenseEpoch: epoch,
  },
  'self-hosted': {
    nodes: atLeastOne(100_000),
    hardware,
    devices: atLeastOne(1024),
    rentUsdPerHour: usd,
    failureProb: field("a share from 0 to 1, or -1 (the hardware profile's)", (v) => num(v) && (v === -1 || (v >= 0 && v <= 1))),
    retries: count(1000),
    dropLate: bool,
  },
  'first-fit': {
    limit: oneOf('deadline', 'fixed'),
    timeout: seconds,
    committed: bool,
    priceShare: share,
    protocolFeeBps: bps,
    retries: count(1000),
  },
  'batch-auction': { period: atLeastOne(86_400), askTtl: positiveSeconds, retries: count(1000) },
  reputation: {
    topShare: field('a share > 0 and ≤ 1', (v) => num(v) && v > 0 && v <= 1),
    weighting: oneOf('uniform', 'reputation'),
    exploration: share,
    initialReputation: share,
    decay: share,
    onTimeScore: share,
    lateScore: share,
    failScore: share,
    declineScore: share,
    windowShare: field('a share > 0 and ≤ 1', (v) => num(v) && v > 0 && v <= 1),
    backupProvers: count(1000),
    gpuHourUsd: usd,
    gpusPerNode: positiveFactor(1024),
    cpuHourUsd: usd,
    protocolFeeBps: bps,
  },
  contestable: {
    provingWindow: positiveSeconds,
    livenessBond: bondTokens,
    openRewardBps: bps,
    validityBond: bondTokens,
    contestBond: bondTokens,
    cooldown: seconds,
    contestDelay: seconds,
    resolveDelay: seconds,
    invalidProofProb: share,
    falseContestProb: share,
    taikoUsd: tokenUsd,
    priceShare: share,
    retries: count(1000),
  },
};

/** One problem in a mechanism's params: a path below `params` and a message. */
export interface ParamIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks a mechanism's `params` against its table. Unknown keys are named with the known ones; the
 * value of `preset` is checked against `presets`. Returns no issues for an id without a table (the
 * loader reports the unknown id itself).
 */
export function checkMechanismParams(
  id: string,
  params: Readonly<Record<string, unknown>>,
  presets: readonly string[],
  preset?: unknown,
): ParamIssue[] {
  const table = Object.hasOwn(MECHANISM_PARAMS, id) ? MECHANISM_PARAMS[id]! : undefined;
  if (!table) return [];
  const issues: ParamIssue[] = [];
  if (preset !== undefined && !(typeof preset === 'string' && presets.includes(preset))) {
    issues.push({
      path: 'preset',
      message: `unknown preset ${shown(preset)} for mechanism ${id} (known: ${presets.join(', ') || 'none'})`,
    });
  }
  for (const [k, v] of Object.entries(params)) {
    if (k === 'preset') continue;
    const check = Object.hasOwn(table, k) ? table[k] : undefined;
    if (!check) {
      issues.push({
        path: `params.${k}`,
        message: `unknown parameter "${k}" for mechanism ${id} (known: ${Object.keys(table).join(', ')})`,
      });
      continue;
    }
    const message = check(v);
    if (message !== undefined) issues.push({ path: `params.${k}`, message });
  }
  return issues;
}
