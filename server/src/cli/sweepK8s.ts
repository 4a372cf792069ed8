// `topo sweep FILE --emit k8s-job`: a ConfigMap with the file and everything it imports, and an
// Indexed Job with one pod per shard. Each pod mounts the ConfigMap at /topo (with an empty
// topo.json, so that /topo is the workspace its imports resolve in) and runs
// `topo sweep /topo/FILE ... --shards N --jobs 1 --format jsonl`, which takes its shard's index
// from JOB_COMPLETION_INDEX (the Job controller sets it in every pod of an Indexed Job) and
// writes its runs to stdout (`kubectl logs`). Kubernetes does the distributing; Topo only
// splits the runs by index.
import { stringify } from 'yaml';
import { dnsText, shortHash } from '../core/interop/k8sNames';
import { UsageError } from './io';

/** Where the pods find the files. */
export const MOUNT = '/topo';
/** A ConfigMap holds at most 1 MiB. */
const CONFIGMAP_LIMIT = 1024 * 1024;

export interface JobRequest {
  /** Job name (DNS-1123 label); the ConfigMap is NAME-input. */
  readonly name: string;
  readonly image: string;
  readonly shards: number;
  /** The files by workspace path, the swept one among them. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly file: string;
  /** The sweep's own flags (--scenarios, --policies, --seeds, --samples, --budget), passed on as given. */
  readonly flags: readonly string[];
}

/** The default Job name for a file: `topo-sweep-<file's name>`, a valid DNS-1123 label of at most 52 characters (room for the pods' suffixes). */
export function defaultJobName(file: string): string {
  const base = dnsText((file.split('/').pop() ?? file).replace(/\.topo$/, ''));
  const name = `topo-sweep-${base}`.replace(/-+$/, '');
  return name.length <= 52 ? name : `${name.slice(0, 43).replace(/-+$/, '')}-${shortHash(file)}`;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkJobName(name: string): void {
  if (name.length > 52 || !LABEL.test(name)) throw new UsageError(`--name ${JSON.stringify(name)} is not a Job name Kubernetes takes: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 52 characters`);
}

/** The manifest: the ConfigMap, then the Job, as a YAML stream. */
export function jobManifest(req: JobRequest): string {
  const keyOf = (i: number): string => `file-${i}`;
  const data: Record<string, string> = { 'topo.json': '' };
  req.files.forEach((f, i) => { data[keyOf(i)] = f.text; });
  const size = req.files.reduce((a, f) => a + Buffer.byteLength(f.text) + f.path.length, 0);
  if (size > CONFIGMAP_LIMIT * 0.95) throw new UsageError(`the file and its imports take ${size} bytes, more than a ConfigMap holds (1 MiB): build an image with the files in it instead (docs/sweep.md)`);
  const items = [{ key: 'topo.json', path: 'topo.json' }, ...req.files.map((f, i) => ({ key: keyOf(i), path: f.path }))];
  const labels = { 'app.kubernetes.io/name': 'topo-sweep', 'app.kubernetes.io/instance': req.name };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${req.name}-input`, labels },
    data,
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: req.name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: req.shards,
      parallelism: req.shards,
      // a shard is deterministic: running it again gives the same lines
      backoffLimit: Math.max(6, req.shards),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'sweep',
            image: req.image,
            command: ['topo'],
            args: ['sweep', `${MOUNT}/${req.file}`, ...req.flags, '--shards', String(req.shards), '--jobs', '1', '--format', 'jsonl'],
            resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '2Gi' } },
            volumeMounts: [{ name: 'input', mountPath: MOUNT, readOnly: true }],
          }],
          volumes: [{ name: 'input', configMap: { name: `${req.name}-input`, items } }],
        },
      },
    },
  };
  const head = [
    `# topo sweep ${req.file} as a Kubernetes Indexed Job: ${req.shards} shard${req.shards > 1 ? 's' : ''}, one pod each.`,
    `#   kubectl apply -f THIS_FILE && kubectl wait --for=condition=complete job/${req.name} --timeout=24h`,
    `#   for i in $(seq 0 ${req.shards - 1}); do kubectl logs -l batch.kubernetes.io/job-completion-index=$i,job-name=${req.name} --tail=-1 > shard-$i.jsonl; done`,
    '#   topo sweep merge shard-*.jsonl',
  ];
  return `${head.join('\n')}\n${[configMap, job].map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n')}`;
}
