// Placement benchmark: speed on 20,000 replicas / 2,000 nodes, node count against the lower
// bound on large generated instances, and against the optimum (HiGHS MILP) on small ones.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import loadHighs from 'highs';
import { seeded } from './generate';
import type { Model } from '../server/src/core/model/types';
import type { PlacementResult } from '../server/src/core/result';

interface Plan { usedNodes: number; containers: ReadonlyMap<number, { unplaced: number }> }
interface CoreBundle {
  checkText(text: string, file: string): { model: Model; diagnostics: { code: string; message: string }[] };
  placeModel(model: Model): PlacementResult;
  planModel(model: Model): Plan;
  clearPackMemo(): void;
}

/** The core as it ships: one esbuild bundle (as bench/parse.ts does). */
async function loadBundledCore(): Promise<CoreBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'topo-bench-place-'));
  const out = join(dir, 'core.js');
  await build({
    stdin: {
      contents: "export { checkText } from './server/src/core/check'; export { placeModel, planModel } from './server/src/core/placement/index'; export { clearPackMemo } from './server/src/core/placement/memo';",
      resolveDir: join(__dirname, '..'), loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(out) as CoreBundle;
  rmSync(dir, { recursive: true, force: true });
  return core;
}

interface Kind { cpu: number; cpuLimit: number; gib: number; gibLimit: number; replicas: number }
interface Instance { text: string; nodes: number; cores: number; gib: number; cpuRatio: number; memRatio: number; kinds: Kind[] }

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Homogeneous nodes in racks of 40; containers of mixed shapes (CPU-heavy, memory-heavy, balanced). */
export function instance(seed: number, nodes: number, replicas: number, mix: 'balanced' | 'cpu' | 'memory' | 'distinct', cores = 64, gib = 256, perKind = 19): Instance {
  const r = seeded(seed);
  const cpuRatio = 2, memRatio = 1.2;
  const kinds: Kind[] = [];
  let left = replicas;
  while (left > 0) {
    const n = Math.min(left, 1 + Math.floor(r() * perKind));
    left -= n;
    if (mix === 'distinct') {
      // Every container a different shape: no two alike, the slowest case for the packer.
      const cpu = Math.round((0.25 + r() * 7.75) * 100) / 100, g = Math.round((1 + r() * 31) * 100) / 100;
      kinds.push({ cpu, cpuLimit: Math.round(cpu * (1 + r()) * 100) / 100, gib: g, gibLimit: g, replicas: n });
      continue;
    }
    const shape = mix === 'balanced' ? pick(r, ['cpu', 'memory', 'even']) : mix;
    const cpu = shape === 'cpu' ? pick(r, [2, 4, 6, 8, 12]) : shape === 'memory' ? pick(r, [0.5, 1, 2]) : pick(r, [1, 2, 3, 4, 6]);
    const g = shape === 'memory' ? pick(r, [8, 12, 16, 24, 32]) : shape === 'cpu' ? pick(r, [2, 4, 8]) : pick(r, [4, 8, 12, 16, 24]);
    kinds.push({ cpu, cpuLimit: cpu * pick(r, [1, 1.5, 2]), gib: g, gibLimit: g * pick(r, [1, 1, 1.2]), replicas: n });
  }
  const racks = Math.ceil(nodes / 40);
  // `pack tight`: these instances measure the node count (sizing); `pack spread` is timed separately
  const lines = [`defaults {\n  oversubscribe cpu ${cpuRatio} memory ${memRatio}\n  headroom 0\n  pack tight\n}`];
  for (let k = 0; k < racks; k++) lines.push(`rack r${k} { node n1..n${Math.min(40, nodes - k * 40)} { cores ${cores} memory ${gib}GiB } }`);
  const target = racks === 1 ? 'r0' : Array.from({ length: racks }, (_, k) => `r${k}.*`).join(', ');
  kinds.forEach((k, i) => lines.push(`container c${i} { replicas ${k.replicas} cpu request ${k.cpu} limit ${k.cpuLimit} memory request ${k.gib}GiB limit ${k.gibLimit}GiB place on ${target} }`));
  return { text: lines.join('\n'), nodes, cores, gib, cpuRatio, memRatio, kinds };
}

/** ceil(sum / per-node budget), for requests and limits of both resources; the largest. */
function lowerBound(x: Instance): number {
  const sum = (f: (k: Kind) => number): number => x.kinds.reduce((s, k) => s + k.replicas * f(k), 0);
  return Math.max(
    Math.ceil(sum((k) => k.cpu) / x.cores - 1e-9), Math.ceil(sum((k) => k.gib) / x.gib - 1e-9),
    Math.ceil(sum((k) => k.cpuLimit) / (x.cores * x.cpuRatio) - 1e-9), Math.ceil(sum((k) => k.gibLimit) / (x.gib * x.memRatio) - 1e-9),
  );
}

/** Exact minimum node count by MILP: x[i][j] replicas of kind i on node j, y[j] node used. */
function optimum(highs: Awaited<ReturnType<typeof loadHighs>>, x: Instance): { nodes: number; status: string } {
  const I = x.kinds.length, J = x.nodes;
  const rows: string[] = [];
  for (let i = 0; i < I; i++) rows.push(` d${i}: ${Array.from({ length: J }, (_, j) => `x${i}_${j}`).join(' + ')} = ${x.kinds[i].replicas}`);
  const dims: [string, (k: Kind) => number, number][] = [
    ['c', (k) => k.cpu, x.cores], ['m', (k) => k.gib, x.gib], ['cl', (k) => k.cpuLimit, x.cores * x.cpuRatio], ['ml', (k) => k.gibLimit, x.gib * x.memRatio],
  ];
  for (let j = 0; j < J; j++) {
    for (const [name, f, cap] of dims) rows.push(` ${name}${j}: ${x.kinds.map((k, i) => `${f(k)} x${i}_${j}`).join(' + ')} - ${cap} y${j} <= 0`);
    if (j + 1 < J) rows.push(` s${j}: y${j} - y${j + 1} >= 0`); // identical nodes: use them in order
  }
  const bounds: string[] = [];
  for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) bounds.push(` 0 <= x${i}_${j} <= ${x.kinds[i].replicas}`);
  for (let j = 0; j < J; j++) bounds.push(` 0 <= y${j} <= 1`);
  const ints = [...Array.from({ length: I * J }, (_, n) => `x${Math.floor(n / J)}_${n % J}`), ...Array.from({ length: J }, (_, j) => `y${j}`)];
  const lp = `Minimize\n obj: ${Array.from({ length: J }, (_, j) => `y${j}`).join(' + ')}\nSubject To\n${rows.join('\n')}\nBounds\n${bounds.join('\n')}\nGenerals\n ${ints.join(' ')}\nEnd\n`;
  const s = highs.solve(lp, { output_flag: false, time_limit: 20 });
  return { nodes: Math.round(s.ObjectiveValue), status: s.Status };
}

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export async function benchPlacement(): Promise<string[]> {
  const core = await loadBundledCore();
  const out: string[] = [];

  // ---- speed and quality on large instances
  const big: [string, Instance][] = [
    ['balanced', instance(11, 2000, 20000, 'balanced')],
    ['cpu-heavy', instance(12, 2000, 20000, 'cpu')],
    ['memory-heavy', instance(13, 2000, 20000, 'memory')],
    ['all shapes distinct', instance(14, 2000, 20000, 'distinct')],
  ];
  const ratios: number[] = [];
  for (const [name, x] of big) {
    const checked = core.checkText(x.text, '/bench/place.topo');
    const errors = checked.diagnostics.filter((d) => /^T[123]/.test(d.code));
    if (errors.length) throw new Error(`generated instance is invalid: ${errors[0].code} ${errors[0].message}`);
    const replicas = checked.model.containers.reduce((s, c) => s + c.replicas, 0);
    const ms = best(3, () => core.placeModel(checked.model));
    const plan = core.planModel(checked.model);
    const unplaced = [...plan.containers.values()].reduce((s, c) => s + c.unplaced, 0);
    const lb = lowerBound(x);
    ratios.push(plan.usedNodes / lb);
    out.push(`${name}: ${replicas} replicas of ${x.kinds.length} containers onto ${checked.model.nodes.length} nodes: ${ms.toFixed(0)} ms (best of 3); ` +
      `${plan.usedNodes} nodes used, lower bound ${lb}, ratio ${(plan.usedNodes / lb).toFixed(4)}${unplaced ? `, ${unplaced} UNPLACED` : ''}`);
  }
  {
    // The default `headroom 1` adds one re-pack per target without its largest node; and the full check adds the diagnostics.
    const x = big[0][1];
    const text = x.text.replace('headroom 0', 'headroom 1');
    const checked = core.checkText(text, '/bench/place.topo');
    const ms = best(3, () => core.placeModel(checked.model));
    const full = best(3, () => core.checkText(text, '/bench/place.topo'));
    out.push(`balanced with headroom 1: placement ${ms.toFixed(0)} ms; whole check (parse, bind, place, T4xx analysis) ${full.toFixed(0)} ms`);
  }
  {
    // `pack spread` (the default): the tight pack decides what fits, then the balanced placement
    const [name, x] = big[0];
    const model = (text: string): Model => core.checkText(text, '/bench/place.topo').model;
    const tightModel = model(x.text);
    const spreadModel = model(x.text.replace('pack tight', 'pack spread'));
    // nothing remembered: each run packs from scratch
    const fresh = (m: Model) => best(3, () => { core.clearPackMemo(); core.placeModel(m); });
    const tight = fresh(tightModel);
    const spread = fresh(spreadModel);
    out.push(`${name}, pack spread: placement ${spread.toFixed(0)} ms, ${(spread / tight).toFixed(2)}x pack tight (${tight.toFixed(0)} ms, the same run, nothing remembered)`);
  }
  out.push(`large instances: worst node-count ratio to the lower bound ${Math.max(...ratios).toFixed(4)} (aim <= 1.02, must be <= 1.05)`);

  // ---- quality against the optimum on small instances
  const highs = await loadHighs();
  const small: number[] = [];
  let worst = 1;
  let optimal = 0;
  const rows: string[] = [];
  for (let seed = 1, made = 0; made < 12 && seed < 100; seed++) {
    const r = seeded(1000 + seed);
    const replicas = 20 + Math.floor(r() * 21);
    const mix = pick(r, ['balanced', 'cpu', 'memory', 'distinct'] as const);
    // Size the node pool from the lower bound so that the instance is feasible and not trivial.
    const probe = instance(2000 + seed, 12, replicas, mix, 16, 64, 5);
    const nodes = Math.max(8, lowerBound(probe) + 2);
    if (nodes > 12) continue;
    made++;
    const x = instance(2000 + seed, nodes, replicas, mix, 16, 64, 5);
    const checked = core.checkText(x.text, '/bench/small.topo');
    const plan = core.planModel(checked.model);
    const unplaced = [...plan.containers.values()].reduce((s, c) => s + c.unplaced, 0);
    const opt = optimum(highs, x);
    if (opt.status !== 'Optimal') { rows.push(`seed ${seed}: solver ${opt.status}, skipped`); continue; }
    optimal++;
    const ratio = unplaced ? Infinity : plan.usedNodes / opt.nodes;
    small.push(ratio);
    worst = Math.max(worst, ratio);
    rows.push(`seed ${seed}: ${replicas} replicas, ${x.kinds.length} containers, ${nodes} nodes: heuristic ${unplaced ? `left ${unplaced} unplaced` : plan.usedNodes}, optimum ${opt.nodes}, lower bound ${lowerBound(x)}`);
  }
  const mean = small.reduce((s, v) => s + v, 0) / Math.max(1, small.length);
  out.push(`small instances (8-12 nodes of 16 cores and 64GiB, 20-40 replicas), ${optimal} solved to optimality by HiGHS: mean ratio to the optimum ${mean.toFixed(4)}, worst ${worst.toFixed(4)}, equal to the optimum in ${small.filter((v) => v === 1).length}`);
  out.push(...rows.map((r) => `  ${r}`));
  return out;
}
