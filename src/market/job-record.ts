import type { Job } from '../mechanisms/types.js';
import type { JobRec, MarketContext } from './context.js';

/** The shell's record of a new job (an arrival or a chunked piece): a closed job's record overwritten when there is one. */
export function openRec(jobs: MarketContext['jobs'], job: Job, value: number): JobRec {
  const rec = jobs.reuse();
  if (rec === undefined) {
    // `useful` is created holding a fraction, then set to 0: it later takes a cost read from a
    // Float64Array (a double), and a field created as a small integer would migrate every record.
    const fresh: JobRec = {
      job,
      escrowIn: job.maxPrice,
      refunds: 0,
      compute: 0,
      useful: 0.5,
      attempts: 0,
      outcome: '',
      doneAt: NaN,
      winner: -1,
      locker: -1,
      retries: 0,
      value,
    };
    fresh.useful = 0;
    return fresh;
  }
  rec.job = job;
  rec.escrowIn = job.maxPrice;
  rec.refunds = 0;
  rec.compute = 0;
  rec.useful = 0;
  rec.attempts = 0;
  rec.outcome = '';
  rec.doneAt = NaN;
  rec.winner = -1;
  rec.locker = -1;
  rec.retries = 0;
  rec.value = value;
  return rec;
}
