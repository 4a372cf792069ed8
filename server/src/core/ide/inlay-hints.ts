import { formatBytes, formatCores, formatNumber, formatPercent } from '../model/units';
import type { Container } from '../model/types';
import type { Block } from '../syntax/ast';
import type { Span } from '../text';
import type { IdeSnapshot, InlayHint, InlayHintOptions } from './types';
import { containerTargetUsage } from './usage';

const GIB = 1024 ** 3;

function gib(bytes: number): string {
  return formatNumber(Math.round((bytes / GIB) * 10) / 10);
}

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * After `place on TARGET`: the target's requests over its capacity (` 76/64 cores · 120/256 GiB`).
 * After a container's name, once simulated: its predicted locality (` 93% local`).
 */
export function inlayHints(s: IdeSnapshot, span: Span, options: InlayHintOptions): InlayHint[] {
  try {
    const tree = s.check.trees.get(s.file);
    if (!tree || (!options.utilisation && !options.locality)) return [];
    const model = s.check.model;
    const byDecl = new Map<number, Container>();
    for (const c of model.containers) if (c.nameAt.file === s.file) byDecl.set(c.nameAt.span.start, c);
    const sim = new Map((s.simulation?.containers ?? []).map((c) => [c.name, c]));
    const out: InlayHint[] = [];
    for (const item of tree.items) {
      if (item.kind !== 'block' || item.blockKind !== 'container' || !item.name || !overlaps(item.span, span)) continue;
      const c = byDecl.get(item.name.span.start);
      if (!c) continue;
      if (options.locality) {
        const r = sim.get(c.name);
        if (r && r.locality !== null && overlaps(item.name.span, span)) {
          out.push({
            offset: item.name.span.end,
            label: ` ${formatPercent(r.locality)} local`,
            tooltip: `Predicted locality ${formatPercent(r.locality)}${r.slowdown !== null ? `, slowdown ×${formatNumber(r.slowdown)}` : ''} (simulated with policy ${s.simulation?.input.policy ?? '?'})`,
            kind: 'locality',
          });
        }
      }
      if (options.utilisation) {
        const at = placeValueEnd(item);
        if (at !== null && at >= span.start && at <= span.end) {
          const t = containerTargetUsage(s.check, c);
          if (t) {
            const u = t.usage;
            out.push({
              offset: at,
              label: ` ${formatCores(u.requested.cpu)}/${formatCores(u.capacity.cpu)} cores · ${gib(u.requested.memory)}/${gib(u.capacity.memory)} GiB`,
              tooltip: `Requests on \`${t.name}\` over its capacity. Limits: ${formatCores(u.limited.cpu)}/${formatCores(u.allowance.cpu)} cores, ${formatBytes(u.limited.memory)}/${formatBytes(u.allowance.memory)} of the oversubscription allowance.`,
              kind: 'utilisation',
            });
          }
        }
      }
    }
    return out.sort((a, b) => a.offset - b.offset);
  } catch {
    return [];
  }
}

/** The end of the target written after `place on`, or null. */
function placeValueEnd(b: Block): number | null {
  for (const m of b.members) {
    if (m.kind !== 'property' || m.name.text !== 'place') continue;
    const a = m.args[m.args.length - 1];
    if (m.args.length >= 2 && a) return a.span.end;
  }
  return null;
}
