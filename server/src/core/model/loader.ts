import type { SourceFile } from '../syntax/ast';
import { parseFile, type ParseResult } from '../syntax/parser';
import { dirname, isInside, resolvePath, type FileHost } from '../host';
import { makeDiagnostic, type Diagnostic } from '../diagnostics';

/** Parses a file; hosts with a cache (the language server) pass their own. */
export type ParseFn = (text: string, file: string) => ParseResult;

export interface LoadedProgram {
  /** Every file reached, root first, in the order first reached. */
  readonly trees: Map<string, SourceFile>;
  /** Files whose declarations come first: every import before its importer (post-order). */
  readonly declarationOrder: readonly string[];
  readonly diagnostics: Diagnostic[];
}

/** Most files one program may import, so a pathological workspace cannot exhaust memory. */
export const MAX_FILES = 1000;

/**
 * Loads the root file and everything it imports, following `import` declarations.
 * T204 for imports that are missing, outside the workspace (symlinks resolved), or cyclic.
 * The root must be readable (the caller checks); its text may be passed in (an unsaved editor buffer).
 */
export function loadProgram(root: string, host: FileHost, rootText?: string, parse: ParseFn = parseFile): LoadedProgram {
  const trees = new Map<string, SourceFile>();
  const order: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const workspace = host.realPath(host.workspaceRoot ?? dirname(root));
  // Files on the import chain and files loaded, by canonical path: a symbolic link (even one to a
  // folder that contains it) is the file it leads to, not a new file with the same declarations.
  const onStack: { file: string; real: string }[] = [];
  const loadedReal = new Set<string>();

  const visit = (file: string, text: string): void => {
    const parsed = parse(text, file);
    trees.set(file, parsed.tree);
    diagnostics.push(...parsed.diagnostics);
    const fileReal = host.realPath(file);
    loadedReal.add(fileReal);
    onStack.push({ file, real: fileReal });
    for (const item of parsed.tree.items) {
      if (item.kind !== 'import' || !item.path) continue;
      const at = { file, span: item.path.span };
      const rel = item.path.value;
      if (rel === '') {
        diagnostics.push(makeDiagnostic('T204', at, 'empty import path: write the path of a `.topo` file relative to this one'));
        continue;
      }
      const target = resolvePath(dirname(file), rel);
      const real = host.realPath(target);
      if (!isInside(workspace, real)) {
        diagnostics.push(makeDiagnostic('T204', at, `import \`${rel}\` is outside the workspace (${workspace}): imports may only reach files inside it${real !== target ? ' (a symbolic link leads outside)' : ''}${host.workspaceNote ? `; ${host.workspaceNote}` : ''}`));
        continue;
      }
      const cycleAt = onStack.findIndex((f) => f.real === real);
      if (cycleAt >= 0) {
        const chain = [...onStack.slice(cycleAt).map((f) => f.file), target].map(baseName).join(' -> ');
        diagnostics.push(makeDiagnostic('T204', at, `cyclic import: ${chain}${real !== target ? ` (\`${rel}\` is ${real} through a symbolic link)` : ''}; remove one of these imports`));
        continue;
      }
      if (trees.has(target) || loadedReal.has(real)) continue; // already loaded through another import (or another path to the same file)
      if (trees.size >= MAX_FILES) {
        diagnostics.push(makeDiagnostic('T204', at, `too many imported files (more than ${MAX_FILES}); import \`${rel}\` was not followed`));
        continue;
      }
      const imported = host.readFile(target);
      if (imported === undefined) {
        diagnostics.push(makeDiagnostic('T204', at, `import not found: \`${rel}\` (looked for ${target})`));
        continue;
      }
      visit(target, imported);
    }
    onStack.pop();
    order.push(file);
  };

  const text = rootText ?? host.readFile(root) ?? '';
  visit(root, text);
  return { trees, declarationOrder: order, diagnostics };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
