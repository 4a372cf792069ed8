import { checkProgram } from '../core/check';
import { diffChecks, type DiffResult } from '../core/diff';
import type { FileHost } from '../core/host';
import { notSizedReason } from '../core/ide/sizing-lens';
import { sizeModel } from '../core/sizing/index';
import { LineIndex } from '../core/text';
import type { AnalysisJob, AnalysisOutcome } from './env';

/** A path as the editor shows it: relative to the workspace root when inside it. */
function shown(path: string, root: string | undefined): string {
  return root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/**
 * The work behind the sizing lenses and "Compare with HEAD", off the typing path (the Node
 * server's worker thread; inline in the browser server): check the file, then size every target,
 * or compare it with an older text of the same file (whose imports are read as they are now).
 */
export function runAnalysisJob(job: AnalysisJob, host: (overlay: ReadonlyMap<string, string>) => FileHost): AnalysisOutcome {
  const overlay = new Map(job.overlay);
  const check = checkProgram(job.root, host(overlay), { rootText: overlay.get(job.root) });
  if (job.kind === 'size') {
    const reason = notSizedReason(check);
    if (reason) return { kind: 'size', targets: null, reason };
    return { kind: 'size', targets: sizeModel(check.model) };
  }
  const oldOverlay = new Map(overlay).set(job.root, job.oldText);
  const old = checkProgram(job.root, host(oldOverlay), { rootText: job.oldText });
  const index = new Map<string, LineIndex>();
  const diff: DiffResult = diffChecks(old, check, {
    old: job.oldLabel, new: job.newLabel,
    locate: (d) => {
      const side = old.diagnostics.includes(d) ? old : check;
      const key = `${side === old ? 'old' : 'new'}:${d.file}`;
      let ix = index.get(key);
      if (!ix) { ix = new LineIndex(side.trees.get(d.file)?.text ?? ''); index.set(key, ix); }
      return { file: shown(d.file, job.workspaceRoot), range: ix.range(d.span) };
    },
  });
  return { kind: 'diff', diff };
}
