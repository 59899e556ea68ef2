/**
 * The hardware catalogue: simulation profiles for CPU, GPU and VPU prover nodes.
 *
 * Figures come from `data/hardware.json` (a copy of the cited reference data, with its sources).
 * Where the data has no figure, the profile says how the value was derived (`derived`) and the
 * assumption is listed in docs/hardware.md. The simulator never reads ../shared at run time.
 */
export interface HardwareProfile {
  readonly id: string;
  readonly kind: 'cpu' | 'gpu' | 'vpu';
  readonly name: string;
  /** Proving speed of one device, in kHz (thousands of RISC-V cycles proved per second). */
  readonly khz: number;
  /** Speed multipliers per workload kind (default 1). */
  readonly speedup: Readonly<Record<string, number>>;
  /** Purchase price of one device, USD. */
  readonly capexUsd: number;
  /** Straight-line depreciation period, years. */
  readonly lifetimeYears: number;
  /** Power draw of one device under load, watts. */
  readonly powerWatts: number;
  /** On-demand rental price of one device, USD per hour. */
  readonly rentUsdPerHour: number;
  /** Probability that one proving attempt fails (crash, OOM, preemption). */
  readonly failureProb: number;
  /** Fixed per-job overhead (setup, witness generation), seconds. */
  readonly setupSeconds: number;
  /** How each figure was obtained. */
  readonly derived: string;
  /** The reference entry ids in data/hardware.json behind this profile. */
  readonly sources: readonly string[];
}

const base = { speedup: {}, lifetimeYears: 3, failureProb: 0.01, setupSeconds: 1 };

/** Built-in profiles. */
export const catalogue: readonly HardwareProfile[] = [
  {
    ...base,
    id: 'gpu-rtx4090',
    kind: 'gpu',
    name: 'NVIDIA RTX 4090',
    khz: 884,
    capexUsd: 1599,
    powerWatts: 450,
    rentUsdPerHour: 0.682,
    derived: 'khz from the RISC Zero CI datasheet (2,097,152 cycles in 2.37 s); capex MSRP; rent Vast.ai low end (Jun 2026)',
    sources: ['gpu-rtx4090'],
  },
  {
    ...base,
    id: 'gpu-rtx5090',
    kind: 'gpu',
    name: 'NVIDIA RTX 5090',
    khz: 1150,
    capexUsd: 1999,
    powerWatts: 575,
    rentUsdPerHour: 0.865,
    derived: 'no single-GPU zkVM figure published: khz ASSUMED 1.3 x RTX 4090 (ratio of TDP); capex MSRP; rent Vast.ai low end',
    sources: ['gpu-rtx5090', 'gpu-rtx4090'],
  },
  {
    ...base,
    id: 'gpu-l4',
    kind: 'gpu',
    name: 'NVIDIA L4',
    khz: 408,
    capexUsd: 2345,
    powerWatts: 72,
    rentUsdPerHour: 0.8048,
    derived: 'khz from the RISC Zero CI datasheet on g6.xlarge; capex MSRP; rent AWS g6.xlarge on-demand',
    sources: ['gpu-l4'],
  },
  {
    ...base,
    id: 'gpu-a100',
    kind: 'gpu',
    name: 'NVIDIA A100 80GB',
    khz: 1000,
    capexUsd: 8000,
    powerWatts: 400,
    rentUsdPerHour: 1.166,
    derived: 'no zkVM figure published: khz ASSUMED 1.13 x RTX 4090; capex refurbished low end; rent Vast.ai low end',
    sources: ['gpu-a100'],
  },
  {
    ...base,
    id: 'gpu-h100',
    kind: 'gpu',
    name: 'NVIDIA H100 SXM',
    khz: 8500,
    capexUsd: 25000,
    powerWatts: 700,
    rentUsdPerHour: 3.78,
    derived: 'khz = ZKsync Airbender end-to-end 8.5 MHz (a different zkVM than RISC Zero); capex low end; rent Lambda',
    sources: ['gpu-h100-sxm'],
  },
  {
    ...base,
    id: 'cpu-server',
    kind: 'cpu',
    name: '64-core proving server',
    khz: 13.7 * 4,
    capexUsd: 20000,
    powerWatts: 1000,
    rentUsdPerHour: 7.344,
    failureProb: 0.005,
    derived:
      'khz ASSUMED 4 x the RISC Zero CPU CI runner (13.7 kHz); capex and power from the SupraSeal 64-core box; rent AWS c6a.48xlarge',
    sources: ['cpu-risc0-ci-runner', 'cpu-supraseal-64c-server', 'cpu-aws-c6a-48xlarge'],
  },
  {
    ...base,
    id: 'vpu-fabric',
    kind: 'vpu',
    name: 'VPU (Fabric-class, projected)',
    khz: 884 * 5.5,
    speedup: { aggregation: 0.5 },
    capexUsd: 5000,
    powerWatts: 300,
    rentUsdPerHour: 1.0,
    derived:
      'khz = 5.5 x RTX 4090 (midpoint of the 1-10x claims in hardware.json claim-vpu-vs-4090); no price or power published: capex, power and rent ASSUMED',
    sources: ['vpu-fabric', 'claim-vpu-vs-4090'],
  },
];

/** Looks up a profile by id. */
export function hardwareById(id: string): HardwareProfile | undefined {
  return catalogue.find((h) => h.id === id);
}

/** Ids of the built-in profiles. */
export const hardwareIds: readonly string[] = catalogue.map((h) => h.id);
