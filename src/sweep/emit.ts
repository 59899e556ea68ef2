/**
 * Manifests for running a sweep's shards on Kubernetes (an Indexed Job) or AWS Batch (an array job),
 * each followed by a gather step. Pure: builds plain objects and renders them as text
 * (`pmsim sweep <file> --emit k8s|aws-batch`); docs/cluster.md shows this output.
 *
 * The container runs the image's entrypoint, pmsim (`ENTRYPOINT ["node", "/app/dist/cli/main.js"]`,
 * the Dockerfile of docs/cluster.md), so Kubernetes gets `args` and AWS Batch a `command`, both pmsim
 * arguments. The shard index is not in the manifest: pmsim reads it, given `--shards N`, from
 * `JOB_COMPLETION_INDEX` (set in every pod of an Indexed Job) or `AWS_BATCH_JOB_ARRAY_INDEX` (set in
 * every child of an array job); see shard.ts.
 *
 * Fields, from the public APIs:
 * - Kubernetes batch/v1 Job, https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/
 *   (`completionMode: Indexed`: pods get completion indices 0 .. completions − 1 and the
 *   JOB_COMPLETION_INDEX variable; `backoffLimitPerIndex` needs Indexed mode and restartPolicy Never;
 *   `suspend: true` creates a Job whose pods start only when it is resumed),
 *   core/v1 PersistentVolumeClaim, https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/
 * - AWS Batch RegisterJobDefinition, https://docs.aws.amazon.com/batch/latest/APIReference/API_RegisterJobDefinition.html,
 *   and SubmitJob, https://docs.aws.amazon.com/batch/latest/APIReference/API_SubmitJob.html
 *   (`arrayProperties.size` between 2 and 10,000; children get AWS_BATCH_JOB_ARRAY_INDEX;
 *   `dependsOn` a job id: the gather job waits for the whole array).
 */
import { posix } from 'node:path';
import { stringify } from 'yaml';
import { ClusterOptionError } from './slurm.js';

/** Where the checkout sits in the image (the Dockerfile of docs/cluster.md copies it to /app). */
export const IMAGE_ROOT = '/app';

/** The targets of `--emit`. */
export const EMIT_TARGETS = ['k8s', 'aws-batch'] as const;
export type EmitTarget = (typeof EMIT_TARGETS)[number];

/** What the manifests need; paths are inside the container. */
export interface EmitOptions {
  /** The sweep file inside the image, e.g. /app/scenarios/sweeps/x.yaml. */
  readonly sweepFile: string;
  readonly shards: number;
  readonly cpusPerTask: number;
  readonly image: string;
  /** The sweep's output directory on the shared volume; the volume is mounted at its parent. */
  readonly out: string;
  /** The sweep's name (from the sweep file), for job names. */
  readonly name: string;
}

/** `pmsim-liveness-vs-redundancy`: a DNS-1123 label (lowercase, digits, '-', ≤ 52 so `-gather` fits). */
export function jobName(sweepName: string): string {
  const base = `pmsim-${sweepName}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-');
  return base.slice(0, 52).replace(/-+$/, '') || 'pmsim';
}

/** The default output directory in the container: /results/<name> (k8s) or /mnt/results/<name> (AWS Batch). */
export function defaultEmitOut(target: EmitTarget, name: string): string {
  return `${target === 'k8s' ? '/results' : '/mnt/results'}/${name}`;
}

/** The pmsim arguments of a shard task: the index comes from the scheduler's variable. */
export function shardArgs(o: EmitOptions): string[] {
  return ['sweep', o.sweepFile, '--shards', String(o.shards), '--workers', String(o.cpusPerTask), '--out', `${o.out}/shard-{shard}`];
}

/** The pmsim arguments of the gather step. */
export function gatherArgs(o: EmitOptions): string[] {
  return ['gather', o.out];
}

function checkEmit(target: EmitTarget, o: EmitOptions): void {
  if (!posix.isAbsolute(o.out) || posix.dirname(o.out) === o.out)
    throw new ClusterOptionError(
      `--out for --emit ${target} is the results directory inside the container, an absolute path below the volume's mount point (e.g. ${defaultEmitOut(target, o.name)}), got "${o.out}"`,
    );
  if (target === 'aws-batch' && (o.shards < 2 || o.shards > 10_000))
    throw new ClusterOptionError(
      `--emit aws-batch: an AWS Batch array job has 2 to 10000 children (SubmitJob arrayProperties.size), got --array-size ${o.shards}`,
    );
}

/** The Kubernetes objects: the results volume claim, the Indexed Job of the shards, the gather Job. */
export function k8sManifests(o: EmitOptions): Record<string, unknown>[] {
  checkEmit('k8s', o);
  const name = jobName(o.name);
  const mount = posix.dirname(o.out);
  const volume = { name: 'results', persistentVolumeClaim: { claimName: 'pmsim-results' } };
  const volumeMount = { name: 'results', mountPath: mount };
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'pmsim-results' },
    spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } },
  };
  const shardJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'pmsim' } },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.shards,
      backoffLimitPerIndex: 3,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'pmsim',
              image: o.image,
              args: shardArgs(o),
              env: [{ name: 'PMSIM_PROGRESS_INTERVAL', value: '30' }],
              resources: { requests: { cpu: String(o.cpusPerTask), memory: '1Gi' } },
              volumeMounts: [volumeMount],
            },
          ],
          volumes: [volume],
        },
      },
    },
  };
  const gatherJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${name}-gather`, labels: { 'app.kubernetes.io/name': 'pmsim' } },
    spec: {
      // Created suspended: it is resumed once the shard Job is complete (see renderEmit's header).
      suspend: true,
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'gather', image: o.image, args: gatherArgs(o), volumeMounts: [volumeMount] }],
          volumes: [volume],
        },
      },
    },
  };
  return [pvc, shardJob, gatherJob];
}

/** The AWS Batch requests: RegisterJobDefinition, SubmitJob of the array, SubmitJob of the gather step. */
export function awsBatchRequests(o: EmitOptions): Record<string, Record<string, unknown>> {
  checkEmit('aws-batch', o);
  const name = jobName(o.name);
  const mount = posix.dirname(o.out);
  return {
    registerJobDefinition: {
      jobDefinitionName: name,
      type: 'container',
      retryStrategy: { attempts: 3 },
      containerProperties: {
        image: o.image,
        command: shardArgs(o),
        environment: [{ name: 'PMSIM_PROGRESS_INTERVAL', value: '30' }],
        resourceRequirements: [
          { type: 'VCPU', value: String(o.cpusPerTask) },
          { type: 'MEMORY', value: '2048' },
        ],
        volumes: [{ name: 'results', efsVolumeConfiguration: { fileSystemId: 'fs-REPLACE-ME', transitEncryption: 'ENABLED' } }],
        mountPoints: [{ sourceVolume: 'results', containerPath: mount, readOnly: false }],
      },
    },
    submitJob: { jobName: name, jobQueue: 'pmsim-queue', jobDefinition: name, arrayProperties: { size: o.shards } },
    submitGatherJob: {
      jobName: `${name}-gather`,
      jobQueue: 'pmsim-queue',
      jobDefinition: name,
      dependsOn: [{ jobId: 'ARRAY-JOB-ID' }],
      containerOverrides: { command: gatherArgs(o) },
    },
  };
}

/** The text `--emit` prints: multi-document YAML for kubectl, or JSON for the AWS CLI's --cli-input-json. */
export function renderEmit(target: EmitTarget, o: EmitOptions): string {
  if (target === 'k8s') {
    const head = [
      `# pmsim: ${o.shards} shards of ${o.sweepFile} as a Kubernetes Indexed Job (kubectl apply -f), then a gather Job.`,
      `# The gather Job is created suspended; once the shards are done, resume it:`,
      `#   kubectl wait --for=condition=complete job/${jobName(o.name)} --timeout=24h`,
      `#   kubectl patch job/${jobName(o.name)}-gather --type=merge -p '{"spec":{"suspend":false}}'`,
      '# The claim needs a storage class that supports ReadWriteMany (NFS, a cloud file store).',
    ];
    return `${head.join('\n')}\n${k8sManifests(o)
      .map((d) => stringify(d, { lineWidth: 0 }))
      .join('---\n')}`;
  }
  return `${JSON.stringify(awsBatchRequests(o), null, 2)}\n`;
}

/** The sweep file's path inside the image: below the checkout root it maps to /app/…; otherwise it is kept. */
export function imagePath(hostPath: string, checkoutRoot: string): string {
  const rel = posix.relative(checkoutRoot, hostPath);
  return rel.startsWith('..') || posix.isAbsolute(rel) ? hostPath : posix.join(IMAGE_ROOT, rel);
}
