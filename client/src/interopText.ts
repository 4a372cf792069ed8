// The words of the import and export commands (interopCommands.ts): which files of a folder are
// manifests, the messages that name file, line and column, the overwrite confirmation. No vscode
// import, so it is unit-tested under plain Node.
import type { CheckResult } from '../../server/src/core/check';
import type { InteropMessage } from '../../server/src/core/interop/emit';
import { LineIndex } from '../../server/src/core/text';

/** What `topo import k8s DIR` reads from a folder (not recursively). */
export const MANIFEST_NAME = /\.(ya?ml|json)$/i;

/** The manifest files of a folder listing, sorted (the order the CLI imports them in). */
export function manifestFiles(entries: readonly { readonly name: string; readonly isFile: boolean }[]): string[] {
  return entries.filter((e) => e.isFile && MANIFEST_NAME.test(e.name)).map((e) => e.name).sort();
}

/** `file:line:column: kind: message`, the CLI's format. */
export function formatInteropMessage(m: InteropMessage, kind: 'error' | 'note'): string {
  return `${m.file}:${m.line}:${m.column}: ${kind}: ${m.message}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How the inputs of an import are named in messages. */
export function inputsLabel(paths: readonly string[]): string {
  if (paths.length <= 2) return paths.join(' and ');
  return `${paths[0]} and ${plural(paths.length - 1, 'other file')}`;
}

/** The error shown when an import failed: the first error with its file, line and column. */
export function importErrorMessage(label: string, errors: readonly InteropMessage[]): string {
  const [first] = errors;
  if (!first) return `Topo: could not import ${label}.`;
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more error')}; see the "Topo" output)` : '';
  return `Topo: could not import ${label}: ${first.file}:${first.line}:${first.column}: ${first.message}${more}`;
}

/** Containers and racks declared at the top level of an imported text. */
export function countDeclarations(text: string): { containers: number; racks: number } {
  return {
    containers: (text.match(/^container\s+\S+\s*\{/gm) ?? []).length,
    racks: (text.match(/^rack\s+\S+\s*\{/gm) ?? []).length,
  };
}

/** The information shown after a successful import; the notes themselves go to the output. */
export function importDoneMessage(label: string, text: string, notes: readonly InteropMessage[]): string {
  const { containers, racks } = countDeclarations(text);
  const what = `Topo: imported ${plural(containers, 'container')} and ${plural(racks, 'rack')} from ${label}.`;
  if (notes.length === 0) return `${what} Everything was mapped.`;
  return `${what} ${plural(notes.length, 'note')} on what was not mapped exactly (kept as comments, defaulted or generated) in the "Topo" output.`;
}

/** The modal confirmation before export overwrites files; `existing` are names inside `folder`. */
export function overwritePrompt(folder: string, existing: readonly string[]): { message: string; detail: string } {
  return {
    message: `Overwrite ${existing.length === 1 ? '1 existing file' : `${existing.length} existing files`} in ${folder}?`,
    detail: `Exporting to Kubernetes would replace:\n${existing.map((f) => `  ${f}`).join('\n')}`,
  };
}

/** Files that already exist among those about to be written, in the order written. */
export function existingTargets(files: readonly { readonly path: string }[], exists: ReadonlySet<string>): string[] {
  return files.map((f) => f.path).filter((p) => exists.has(p));
}

/** `file:line:column CODE: message` for each error of a check, with paths shown by `display`. */
export function checkErrors(result: CheckResult, display: (path: string) => string): string[] {
  const indexes = new Map<string, LineIndex>();
  const out: string[] = [];
  for (const d of result.diagnostics) {
    if (d.severity !== 'error') continue;
    let ix = indexes.get(d.file);
    if (!ix) {
      ix = new LineIndex(result.trees.get(d.file)?.text ?? '');
      indexes.set(d.file, ix);
    }
    const p = ix.position(d.span.start);
    out.push(`${display(d.file)}:${p.line + 1}:${p.character + 1} ${d.code}: ${d.message}`);
  }
  return out;
}

/** The error shown when the file to export has errors. */
export function exportErrorMessage(file: string, errors: readonly string[]): string {
  return `Topo: ${file} has ${plural(errors.length, 'error')}; fix ${errors.length === 1 ? 'it' : 'them'} before exporting${errors[0] ? ` (${errors[0]})` : ''}.`;
}
