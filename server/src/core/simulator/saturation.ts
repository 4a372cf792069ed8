import { DIAGNOSTIC_SEVERITY } from '../diagnostics';
import type { Location, LineRange } from '../text';
import type { Model } from '../model/types';
import type { LinkTraffic, NodeTraffic, SimulationDiagnostic, TrafficResult } from '../result';
import { round } from './format';
import type { Recorder } from './stats';

/*
 * Saturated links and T504 (docs/simulator.md, "Traffic and saturated links"). In each timeline
 * bucket a link's utilisation is u = offered bytes / (seconds covered x bandwidth). Where u > 1
 * the link is saturated: its transfers queue, and each byte on it takes u times as long to get
 * through, so the stall of every access and move that used it in that bucket is multiplied by
 * u. Below capacity nothing changes. Node NICs are reported (T504) but do not slow anything.
 */

/** Bytes per second a link (rack index, or `racks`: the fabric) carries at most. */
export function linkCapacity(model: Model, link: number): number {
  return link < model.racks.length ? model.racks[link].bandwidth : model.fabric.bandwidth;
}

function linkName(model: Model, link: number): string {
  return link < model.racks.length ? model.racks[link].name : 'fabric';
}

/** Stretches the stall of the transfers on saturated links (once per recorder). */
export function applySaturation(rec: Recorder, model: Model): void {
  if (rec.saturated) return;
  rec.saturated = true;
  const L = rec.links;
  for (let b = 0; b < rec.buckets; b++) {
    const seconds = rec.covered[b];
    if (!(seconds > 0)) continue;
    for (let link = 0; link < L; link++) {
      const u = rec.linkBytes[b * L + link] / (seconds * linkCapacity(model, link));
      if (!(u > 1)) continue;
      for (let c = 0; c < rec.containers; c++) {
        const extra = (u - 1) * rec.cLinkStall[(b * rec.containers + c) * L + link];
        if (!(extra > 0)) continue;
        rec.stall[b * rec.containers + c] += extra;
        rec.stallTotal[b] += extra;
      }
    }
  }
}

interface Peak { readonly value: number; readonly bucket: number; readonly seconds: number }

/** Simulated seconds a peak is measured over at least: a rate over a few buckets, so that sampling noise (`vcpu`, `--exact`) in one short bucket does not make the peak. */
export const PEAK_WINDOW = 0.5;

/**
 * The highest rate (bytes per second) over a window of consecutive buckets from bucket `from`
 * on: windows of PEAK_WINDOW seconds (at least one bucket, at most what is there), sliding one
 * bucket at a time; its first bucket and its seconds.
 */
function peakOf(rec: Recorder, arr: Float64Array, stride: number, index: number, buckets: number, from = 0): Peak {
  const k = Math.max(1, Math.min(buckets - from, Math.round(PEAK_WINDOW / rec.bucketSeconds)));
  let value = 0;
  let bucket = -1;
  let seconds = 0;
  let sum = 0;
  let covered = 0;
  for (let b = from; b < buckets; b++) {
    sum += arr[b * stride + index];
    covered += rec.covered[b];
    if (b - k >= from) { sum -= arr[(b - k) * stride + index]; covered -= rec.covered[b - k]; }
    if (b - from + 1 < k || !(covered > 1e-12)) continue;
    const v = sum / covered;
    // (a figure that is the same in every window peaks at its first: rounding noise does not pick one)
    if (v > value * (1 + 1e-9)) { value = v; bucket = b - k + 1; seconds = covered; }
  }
  return { value, bucket, seconds };
}

function total(arr: Float64Array, stride: number, index: number, buckets: number): number {
  let s = 0;
  for (let b = 0; b < buckets; b++) s += arr[b * stride + index];
  return s;
}

/** The document's `traffic`: per node and per link with traffic, its peak from bucket `from` on (as T504 judges it) and its bytes over the run. */
export function trafficResult(model: Model, rec: Recorder, from: number, buckets: number): TrafficResult {
  const nodes: NodeTraffic[] = [];
  for (const n of model.nodes) {
    const out = peakOf(rec, rec.nodeOut, rec.nodes, n.id, buckets, from);
    const inn = peakOf(rec, rec.nodeIn, rec.nodes, n.id, buckets, from);
    const at = out.value >= inn.value ? out.bucket : inn.bucket;
    const bytes = total(rec.nodeOut, rec.nodes, n.id, buckets) + total(rec.nodeIn, rec.nodes, n.id, buckets) + rec.burstNode[n.id];
    if (out.bucket < 0 && inn.bucket < 0 && !(bytes > 0)) continue;
    nodes.push({ ref: n.ref, nic: n.nic, peakOut: round(out.value, 3), peakIn: round(inn.value, 3), peakAt: round(Math.max(0, at) * rec.bucketSeconds, 6), bytes: Math.round(bytes) });
  }
  const links: LinkTraffic[] = [];
  for (let link = 0; link < rec.links; link++) {
    const p = peakOf(rec, rec.linkBytes, rec.links, link, buckets, from);
    const bytes = total(rec.linkBytes, rec.links, link, buckets) + rec.burstLink[link];
    if (p.bucket < 0 && !(bytes > 0)) continue;
    const capacity = linkCapacity(model, link);
    links.push({
      link: linkName(model, link), bandwidth: capacity, peak: round(p.value, 3), peakAt: round(Math.max(0, p.bucket) * rec.bucketSeconds, 6),
      utilisation: round(p.value / capacity, 6), bytes: Math.round(bytes),
    });
  }
  return { nodes, links };
}

export interface T504Input {
  readonly model: Model;
  readonly rec: Recorder;
  readonly buckets: number;
  /** First bucket judged: the steady state's, or the first event's when it comes earlier (the start-up re-homing is not judged). */
  readonly from: number;
  readonly scenario: string | null;
  readonly related: readonly { readonly file: string; readonly range: LineRange; readonly message: string }[];
  readonly resolve: (loc: Location) => LineRange;
}

/** Gbps, as printed: 1 decimal under 100, else whole. */
export function gbps(bytesPerSecond: number): string {
  const g = (bytesPerSecond * 8) / 1e9;
  return g >= 100 ? g.toFixed(0) : g.toFixed(1).replace(/\.0$/, '');
}

/** The smallest whole Gbps figure at or above a rate, as the file would write it. */
function atLeast(bytesPerSecond: number): string {
  return `${Math.ceil(((bytesPerSecond * 8) / 1e9) * (1 + 1e-9))}Gbps`;
}

function windowText(rec: Recorder, p: Peak): string {
  const from = p.bucket * rec.bucketSeconds;
  return `between ${round(from, 3)} s and ${round(from + p.seconds, 3)} s`;
}

/** The containers with the largest `weight`, at most 3, with their share of the sum. */
function topContainers(model: Model, weight: (c: number) => number): { c: number; share: number }[] {
  let sum = 0;
  const all: { c: number; w: number }[] = [];
  for (let c = 0; c < model.containers.length; c++) { const w = weight(c); if (w > 0) { all.push({ c, w }); sum += w; } }
  all.sort((a, b) => b.w - a.w || a.c - b.c);
  return all.slice(0, 3).map((x) => ({ c: x.c, share: x.w / sum }));
}

/** T504: per node whose NIC and per link whose bandwidth the predicted peak traffic exceeds. */
export function trafficDiagnostics(input: T504Input): SimulationDiagnostic[] {
  const { model, rec, buckets, from, scenario, resolve } = input;
  const out: SimulationDiagnostic[] = [];
  const inRun = scenario ? ` in scenario "${scenario}"` : '';
  const relatedOf = (top: { c: number; share: number }[], what: string) => [
    ...input.related,
    ...top.map(({ c, share }) => { const k = model.containers[c]; return { file: k.nameAt.file, range: resolve(k.nameAt), message: `${k.name} causes ${Math.round(share * 100)}% of ${what}` }; }),
  ];
  const names = (top: { c: number }[]): string => top.map(({ c }) => model.containers[c].name).join(', ');
  for (const n of model.nodes) {
    const outPeak = peakOf(rec, rec.nodeOut, rec.nodes, n.id, buckets, from);
    const inPeak = peakOf(rec, rec.nodeIn, rec.nodes, n.id, buckets, from);
    const p = outPeak.value >= inPeak.value ? outPeak : inPeak;
    if (!(p.value > n.nic * (1 + 1e-9))) continue;
    const top = topContainers(model, (c) => rec.cNodeBytes[c * rec.nodes + n.id]);
    const at = n.at.nic ?? n.nameAt;
    const dir = p === outPeak ? 'out of' : 'into';
    out.push({
      code: 'T504', severity: DIAGNOSTIC_SEVERITY.T504, scenario, related: relatedOf(top, `the traffic through ${n.ref}'s NIC`), subject: n.ref, file: at.file, range: resolve(at),
      message: `predicted traffic ${dir} ${n.ref}'s NIC peaks at ${gbps(p.value)} Gbps${inRun} ${windowText(rec, p)}, over its nic of ${gbps(n.nic)} Gbps: raise \`nic\` to at least ${atLeast(p.value)}, or spread the containers that send most of it${top.length ? ` (${names(top)})` : ''} over more nodes`,
    });
  }
  for (let link = 0; link < rec.links; link++) {
    const p = peakOf(rec, rec.linkBytes, rec.links, link, buckets, from);
    const capacity = linkCapacity(model, link);
    if (!(p.value > capacity * (1 + 1e-9))) continue;
    const isFabric = link >= model.racks.length;
    const top = topContainers(model, (c) => { let s = 0; for (let b = p.bucket; b < buckets && b * rec.bucketSeconds < p.bucket * rec.bucketSeconds + p.seconds - 1e-12; b++) s += rec.cLinkBytes[(b * rec.containers + c) * rec.links + link]; return s; });
    const where = isFabric ? 'across racks (the fabric)' : `between the nodes of rack ${model.racks[link].name}`;
    const at: Location = isFabric ? model.fabric.at?.bandwidth ?? model.fabric.at?.block ?? model.racks[0].nameAt : model.racks[link].at.bandwidth ?? model.racks[link].nameAt;
    const move = isFabric ? 'keep the containers that exchange most of it' : 'move some of the containers that send most of it';
    const then = isFabric ? ' within one rack' : ' to another rack';
    out.push({
      code: 'T504', severity: DIAGNOSTIC_SEVERITY.T504, scenario, related: relatedOf(top, `the traffic ${where} at its peak`), subject: linkName(model, link), file: at.file, range: resolve(at),
      message: `predicted traffic ${where} peaks at ${gbps(p.value)} Gbps${inRun} ${windowText(rec, p)}, over the ${isFabric ? "fabric's" : "rack's"} bandwidth of ${gbps(capacity)} Gbps, so the transfers on it are slowed ${(p.value / capacity).toFixed(2)}x: raise \`bandwidth\` to at least ${atLeast(p.value)}, or ${move}${top.length ? ` (${names(top)})` : ''}${then}`,
    });
  }
  return out;
}
