/** Streaming mean and population variance (Welford): O(1) memory. */
export class RunningStats {
  n = 0;
  private m = 0;
  private s = 0;

  add(x: number): void {
    this.n++;
    const d = x - this.m;
    this.m += d / this.n;
    this.s += d * (x - this.m);
  }

  mean(): number {
    return this.n === 0 ? NaN : this.m;
  }

  /** Population standard deviation. */
  sd(): number {
    return this.n === 0 ? NaN : Math.sqrt(this.s / this.n);
  }

  reset(): void {
    this.n = 0;
    this.m = 0;
    this.s = 0;
  }

  /** Coefficient of variation (sd / mean), NaN when undefined. */
  cv(): number {
    return this.n === 0 || this.m === 0 ? NaN : this.sd() / this.m;
  }
}
