import { describe, expect, it } from 'vitest';
import { hardwareById } from './catalogue.js';
import { GANG_SERIAL_FRACTION, gangDuration, gangEfficiency, gangSpeedup } from './gang-efficiency.js';
import { nodeModel } from './node-model.js';

const rtx4090 = hardwareById('gpu-rtx4090')!;

describe('gang efficiency curve (Amdahl with a fitted serial fraction)', () => {
  it('has speed-up 1 on one device and efficiency 50% at 35 devices (the fit)', () => {
    expect(gangSpeedup(1)).toBe(1);
    expect(gangEfficiency(35)).toBeCloseTo(0.5, 12);
  });

  it('is monotone in the number of devices and bounded by 1 / s', () => {
    let prev = 0;
    for (const d of [1, 2, 4, 16, 64, 160, 1000]) {
      const sp = gangSpeedup(d);
      expect(sp).toBeGreaterThan(prev);
      expect(sp).toBeLessThan(1 / GANG_SERIAL_FRACTION);
      prev = sp;
    }
  });

  it('gives the SP1 Hypercube check figures: speed-up 28.2 on 160 devices, 22.4 on 64', () => {
    expect(gangSpeedup(160)).toBeCloseTo(28.2, 1);
    expect(gangSpeedup(64)).toBeCloseTo(22.4, 1);
  });

  it('times a gang of identical one-GPU nodes as setup + T1 × (s + (1 − s) / N)', () => {
    const m = nodeModel(rtx4090, 1, 'owned', 0.12);
    const t1 = m.duration(257, 'zkvm') - rtx4090.setupSeconds;
    const members = Array.from({ length: 16 }, () => m);
    const expected = rtx4090.setupSeconds + t1 * (GANG_SERIAL_FRACTION + (1 - GANG_SERIAL_FRACTION) / 16);
    expect(gangDuration(members, 257, 'zkvm')).toBeCloseTo(expected, 9);
  });

  it('counts every device of multi-device members, without their flat 0.9', () => {
    const one = nodeModel(rtx4090, 1, 'owned', 0.12);
    const eight = nodeModel(rtx4090, 8, 'owned', 0.12);
    // Two 8-GPU nodes are 16 devices: the same time as sixteen 1-GPU nodes.
    const a = gangDuration([eight, eight], 500, 'zkvm');
    const b = gangDuration(
      Array.from({ length: 16 }, () => one),
      500,
      'zkvm',
    );
    expect(a).toBeCloseTo(b, 9);
  });

  it('runs the serial share on the lead: a fast lead finishes a mixed gang sooner than a slow one', () => {
    const slow = nodeModel(rtx4090, 1, 'owned', 0.12);
    const fast = nodeModel(rtx4090, 1, 'owned', 0.12, 0.9, 2);
    const fastLead = gangDuration([fast, slow, slow, slow], 500, 'zkvm');
    const slowLead = gangDuration([slow, fast, slow, slow], 500, 'zkvm');
    expect(fastLead).toBeLessThan(slowLead);
    // Both between the all-slow and all-fast gangs.
    expect(slowLead).toBeLessThan(gangDuration([slow, slow, slow, slow], 500, 'zkvm'));
    expect(fastLead).toBeGreaterThan(gangDuration([fast, fast, fast, fast], 500, 'zkvm'));
  });

  it('is the single-device time for a gang of one', () => {
    const m = nodeModel(rtx4090, 1, 'owned', 0.12);
    expect(gangDuration([m], 300, 'zkvm')).toBeCloseTo(m.duration(300, 'zkvm'), 9);
  });
});
