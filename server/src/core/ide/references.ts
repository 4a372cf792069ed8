import type { Arg, Block, Ref, SourceFile } from '../syntax/ast';
import type { Location, Span } from '../text';
import type { IdeSnapshot } from './types';

const NAMED: ReadonlySet<string> = new Set(['rack', 'sds', 'container']);

interface Occurrence { readonly file: string; readonly span: Span; readonly name: string; readonly decl: boolean }

function refsOf(a: Arg): Ref[] {
  if (a.kind === 'ref') return [a];
  if (a.kind === 'range') return a.to ? [a.from, a.to] : [a.from];
  if (a.kind === 'list') return a.items.flatMap((i) => refsOf(i));
  return [];
}

function occurrences(tree: SourceFile): Occurrence[] {
  const out: Occurrence[] = [];
  const visit = (b: Block): void => {
    if (NAMED.has(b.blockKind) && b.name && b.name.kind === 'word') {
      out.push({ file: tree.file, span: b.name.span, name: b.name.text, decl: true });
    }
    for (const m of b.members) {
      if (m.kind === 'block') visit(m);
      else for (const a of m.args) for (const r of refsOf(a)) {
        const head = r.parts[0];
        if (head) out.push({ file: tree.file, span: head.span, name: head.text, decl: false });
      }
    }
  };
  for (const item of tree.items) if (item.kind === 'block') visit(item);
  return out;
}

function all(s: IdeSnapshot): Occurrence[] {
  return [...s.check.trees.values()].flatMap((t) => occurrences(t));
}

function under(s: IdeSnapshot, offset: number): Occurrence | undefined {
  return all(s).find((o) => o.file === s.file && o.span.start <= offset && offset <= o.span.end);
}

/** The declaration of the rack, sds or container name under the offset. */
export function definition(s: IdeSnapshot, offset: number): Location[] {
  const o = under(s, offset);
  if (!o) return [];
  return all(s).filter((x) => x.decl && x.name === o.name).map((x) => ({ file: x.file, span: x.span }));
}

/** Every use (and optionally the declaration) of the rack, sds or container name under the offset. */
export function references(s: IdeSnapshot, offset: number, includeDeclaration: boolean): Location[] {
  const o = under(s, offset);
  if (!o) return [];
  const everything = all(s);
  if (!everything.some((x) => x.decl && x.name === o.name)) return [];
  return everything
    .filter((x) => x.name === o.name && (includeDeclaration || !x.decl))
    .map((x) => ({ file: x.file, span: x.span }));
}

/** Occurrences in this file of the name under the offset: the declaration is 'write', uses are 'read'. */
export function documentHighlights(s: IdeSnapshot, offset: number): { span: Span; kind: 'read' | 'write' }[] {
  const o = under(s, offset);
  if (!o) return [];
  const decls = all(s).filter((x) => x.decl && x.name === o.name);
  if (decls.length === 0) return [];
  return all(s)
    .filter((x) => x.file === s.file && x.name === o.name)
    .map((x) => ({ span: x.span, kind: x.decl ? ('write' as const) : ('read' as const) }));
}

/** The name under the offset when it is a renameable rack, sds or container name. */
export function prepareRename(s: IdeSnapshot, offset: number): { span: Span; placeholder: string } | null {
  const o = under(s, offset);
  if (!o || !all(s).some((x) => x.decl && x.name === o.name)) return null;
  return { span: o.span, placeholder: o.name };
}

/** Renames every occurrence; refuses invalid identifiers and names already declared. */
export function rename(s: IdeSnapshot, offset: number, newName: string): { edits: { file: string; span: Span; newText: string }[] } | { error: string } {
  const o = under(s, offset);
  if (!o) return { error: 'Nothing to rename here.' };
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(newName)) return { error: `'${newName}' is not a valid name.` };
  const everything = all(s);
  if (!everything.some((x) => x.decl && x.name === o.name)) return { error: `'${o.name}' is not declared.` };
  if (newName !== o.name && everything.some((x) => x.decl && x.name === newName)) return { error: `'${newName}' is already declared.` };
  return { edits: everything.filter((x) => x.name === o.name).map((x) => ({ file: x.file, span: x.span, newText: newName })) };
}
