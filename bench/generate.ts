/** Generators of large, valid topologies for benchmarks (seeded, deterministic). */

import { seeded } from '../test/seeded';
import { checkText } from '../server/src/core/check';
import { exportKubernetes } from '../server/src/core/interop/exportKubernetes';

export { seeded };

export interface GeneratedTopology {
  readonly text: string;
  /** The same content as a JSON document, for comparison with JSON.parse. */
  readonly json: string;
}

/**
 * About `lines` lines: racks of individually declared nodes (so node lines scale), SDSs over
 * some racks, and containers with several properties each.
 */
export function generateTopology(lines: number, seed = 1): GeneratedTopology {
  const r = seeded(seed);
  const out: string[] = ['# generated benchmark topology', 'defaults {', '  oversubscribe cpu 2.0 memory 1.2', '  headroom 0', '}', ''];
  const doc: { racks: unknown[]; sds: unknown[]; containers: unknown[] } = { racks: [], sds: [], containers: [] };
  const nodesPerRack = 16;
  // About 1/3 of the lines are nodes (one line each), 2/3 containers (10 lines each).
  const racks = Math.max(2, Math.round(lines / 3 / (nodesPerRack + 5)));
  for (let k = 0; k < racks; k++) {
    out.push(`rack r${k} {`, '  latency 2us', '  bandwidth 100Gbps');
    const nodes: unknown[] = [];
    for (let n = 0; n < nodesPerRack; n++) {
      const cores = [16, 32, 64][Math.floor(r() * 3)];
      const mem = cores * 8;
      out.push(`  node n${n} { cores ${cores} memory ${mem}GiB nic 25Gbps disk nvme0 2TB }`);
      nodes.push({ name: `n${n}`, cores, memory: `${mem}GiB`, nic: '25Gbps', disks: [{ name: 'nvme0', size: '2TB' }] });
    }
    out.push('}', '');
    doc.racks.push({ name: `r${k}`, latency: '2us', bandwidth: '100Gbps', nodes });
  }
  const sdsCount = Math.max(1, Math.floor(racks / 4));
  for (let s = 0; s < sdsCount; s++) {
    out.push(`sds pod${s} {`, `  nodes r${s}.*`, '  reserve cores 1 memory 4GiB', '  policy cost', '}', '');
    doc.sds.push({ name: `pod${s}`, nodes: `r${s}.*`, reserve: { cores: 1, memory: '4GiB' }, policy: 'cost' });
  }
  let c = 0;
  while (out.length < lines) {
    const onSds = r() < 0.3;
    const target = onSds ? `pod${Math.floor(r() * sdsCount)}` : `r${sdsCount + Math.floor(r() * (racks - sdsCount))}`;
    const replicas = 1 + Math.floor(r() * 4);
    const peer = c > 0 ? `c${Math.floor(r() * c)}` : null;
    out.push(`container c${c} {`, `  image "registry.example/app-${c}:1.${c % 10}"`, `  replicas ${replicas}`, '  cpu request 500m limit 2', '  memory request 1GiB limit 2GiB',
      '  load 40% skew 0.9 writes 20%', peer ? `  talks ${peer} weight 10%` : '  priority normal', `  place on ${target}`, '}', '');
    doc.containers.push({ name: `c${c}`, image: `registry.example/app-${c}:1.${c % 10}`, replicas, cpu: { request: '500m', limit: 2 }, memory: { request: '1GiB', limit: '2GiB' },
      load: '40%', skew: 0.9, writes: '20%', talks: peer ? [{ container: peer, weight: '10%' }] : [], priority: 'normal', place: target });
    c++;
  }
  return { text: out.join('\n'), json: JSON.stringify(doc) };
}

/**
 * The language server's benchmark input: about `lines` lines holding about `nodes` nodes and
 * `containers` containers (the issue's 10,000 lines, 1,000 nodes and 5,000 containers), as people
 * write them: nodes one per line in racks, a few SDSs, most containers on one line and some
 * spelled out over several. `spread`: the same deployment (the same declarations, values and
 * order) written one property per line, nodes and one-line containers included (issue 17's
 * second figure: about four times the lines).
 */
export function generateDeployment(lines = 10_000, nodes = 1_000, containers = 5_000, seed = 3, layout: 'compact' | 'spread' = 'compact'): string {
  const spread = layout === 'spread';
  const r = seeded(seed);
  const out: string[] = ['# generated server benchmark topology', 'defaults {', '  oversubscribe cpu 2.0 memory 1.2', '  headroom 1', '}', ''];
  const perRack = 20;
  const racks = Math.ceil(nodes / perRack);
  for (let k = 0; k < racks; k++) {
    out.push(`rack r${k} {`);
    for (let n = 0; n < perRack && k * perRack + n < nodes; n++) {
      const cores = [32, 64, 96][Math.floor(r() * 3)];
      if (spread) out.push(`  node n${n} {`, `    cores ${cores}`, `    memory ${cores * 8}GiB`, '    disk nvme0 2TB', '  }');
      else out.push(`  node n${n} { cores ${cores} memory ${cores * 8}GiB disk nvme0 2TB }`);
    }
    out.push('}');
  }
  const sdsCount = Math.max(1, Math.floor(racks / 10));
  for (let s = 0; s < sdsCount; s++) out.push(`sds pod${s} {`, `  nodes r${s}.*`, '  reserve cores 1 memory 4GiB', '}');
  out.push('');
  // Lines left for containers: a share of them multi-line (9 lines), the rest on one line.
  const budget = Math.max(containers, lines - out.length);
  const multi = Math.max(0, Math.min(containers, Math.floor((budget - containers) / 8)));
  for (let c = 0; c < containers; c++) {
    const onSds = r() < 0.1;
    const target = onSds ? `pod${Math.floor(r() * sdsCount)}` : `r${sdsCount + Math.floor(r() * (racks - sdsCount))}`;
    const replicas = 1 + Math.floor(r() * 3);
    const peer = c > 0 && r() < 0.3 ? ` talks c${Math.floor(r() * c)}` : '';
    if (c < multi) {
      out.push(`container c${c} {`, `  image "registry.example/app-${c}:1.${c % 10}"`, `  replicas ${replicas}`, '  cpu request 250m limit 1', '  memory request 512MiB limit 1GiB',
        '  load 40% skew 0.9 writes 20%', peer ? ` ${peer}` : '  priority normal', `  place on ${target}`, '}');
    } else if (spread) {
      out.push(`container c${c} {`, `  replicas ${replicas}`, '  cpu 250m', '  memory 512MiB', ...(peer ? [` ${peer}`] : []), `  place on ${target}`, '}');
    } else {
      out.push(`container c${c} { replicas ${replicas} cpu 250m memory 512MiB${peer} place on ${target} }`);
    }
  }
  return out.join('\n') + '\n';
}

/**
 * A deployment as the CLI's `topo export` writes it (core interop exportKubernetes): every
 * manifest file of the export in one multi-document YAML text, files in the export's order.
 */
export function kubernetesYamlOf(text: string, file = '/work/bench/deployment.topo'): string {
  const check = checkText(text, file);
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the generated deployment has errors: ${errors[0].code} ${errors[0].message}`);
  return exportKubernetes(check.model).files.map((f) => `# ${f.path}\n${f.text.endsWith('\n') ? f.text : `${f.text}\n`}`).join('---\n');
}
