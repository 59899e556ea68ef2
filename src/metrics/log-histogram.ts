/**
 * A bounded-memory histogram with logarithmic bins (1% wide) for positive values such as
 * latencies: quantiles within ±0.5% relative error, whatever the number of samples, and
 * deterministic (no sampling).
 */
export class LogHistogram {
  private static readonly MIN = 1e-3;
  private static readonly RATIO = Math.log(1.01);
  private readonly bins: Float64Array;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  constructor(private readonly maxValue = 1e9) {
    this.bins = new Float64Array(Math.ceil(Math.log(maxValue / LogHistogram.MIN) / LogHistogram.RATIO) + 2);
  }

  add(v: number): void {
    const x = v < LogHistogram.MIN ? LogHistogram.MIN : Math.min(v, this.maxValue);
    const b = Math.floor(Math.log(x / LogHistogram.MIN) / LogHistogram.RATIO);
    this.bins[b]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** The q-quantile (0 < q ≤ 1), or NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const target = Math.max(1, Math.ceil(q * this.count));
    let c = 0;
    for (let b = 0; b < this.bins.length; b++) {
      c += this.bins[b]!;
      if (c >= target) {
        const mid = LogHistogram.MIN * Math.exp((b + 0.5) * LogHistogram.RATIO);
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }
}
