import type { Arg, Block, Comment, Import, Member, Property, RangeRef, Ref, StringLit, TopLevel, Word } from './ast';
import type { Diagnostic, Fix, RelatedInformation } from '../diagnostics';
import type { Span } from '../text';

/**
 * Copies of syntax-tree pieces and diagnostics moved by `d` characters: what an incremental
 * reparse does to the declarations after an edit (their text is unchanged, their offsets are not).
 */

export function shiftSpan(s: Span, d: number): Span {
  return { start: s.start + d, end: s.end + d };
}

function shiftWord(w: Word, d: number): Word {
  return { kind: 'word', text: w.text, span: shiftSpan(w.span, d) };
}

function shiftString(s: StringLit, d: number): StringLit {
  return { kind: 'string', value: s.value, terminated: s.terminated, span: shiftSpan(s.span, d) };
}

function shiftRef(r: Ref, d: number): Ref {
  return { kind: 'ref', parts: r.parts.map((p) => shiftWord(p, d)), star: r.star && shiftSpan(r.star, d), span: shiftSpan(r.span, d) };
}

function shiftRange(r: RangeRef, d: number): RangeRef {
  return { kind: 'range', from: shiftRef(r.from, d), to: r.to && shiftRef(r.to, d), span: shiftSpan(r.span, d) };
}

function shiftArg(a: Arg, d: number): Arg {
  switch (a.kind) {
    case 'number': return { kind: 'number', value: a.value, unit: a.unit, numberSpan: shiftSpan(a.numberSpan, d), unitSpan: shiftSpan(a.unitSpan, d), span: shiftSpan(a.span, d) };
    case 'string': return shiftString(a, d);
    case 'ref': return shiftRef(a, d);
    case 'range': return shiftRange(a, d);
    case 'list': return { kind: 'list', items: a.items.map((i) => (i.kind === 'ref' ? shiftRef(i, d) : shiftRange(i, d))), span: shiftSpan(a.span, d) };
  }
}

function shiftProperty(p: Property, d: number): Property {
  return { kind: 'property', name: shiftWord(p.name, d), args: p.args.map((a) => shiftArg(a, d)), span: shiftSpan(p.span, d) };
}

function shiftMember(m: Member, d: number): Member {
  return m.kind === 'property' ? shiftProperty(m, d) : shiftBlock(m, d);
}

function shiftBlock(b: Block, d: number): Block {
  return {
    kind: 'block', blockKind: b.blockKind, keyword: shiftWord(b.keyword, d),
    name: b.name && (b.name.kind === 'word' ? shiftWord(b.name, d) : shiftString(b.name, d)),
    rangeEnd: b.rangeEnd && shiftWord(b.rangeEnd, d), rangeDots: b.rangeDots && shiftSpan(b.rangeDots, d),
    open: b.open && shiftSpan(b.open, d), close: b.close && shiftSpan(b.close, d),
    members: b.members.map((m) => shiftMember(m, d)), span: shiftSpan(b.span, d),
  };
}

function shiftImport(i: Import, d: number): Import {
  return { kind: 'import', keyword: shiftWord(i.keyword, d), path: i.path && shiftString(i.path, d), span: shiftSpan(i.span, d) };
}

export function shiftTopLevel(t: TopLevel, d: number): TopLevel {
  return d === 0 ? t : t.kind === 'import' ? shiftImport(t, d) : shiftBlock(t, d);
}

export function shiftComment(c: Comment, d: number): Comment {
  return d === 0 ? c : { span: shiftSpan(c.span, d), text: c.text };
}

/** A diagnostic of `file` moved by `d`, with its fixes and related information in that file. */
export function shiftDiagnostic(x: Diagnostic, d: number): Diagnostic {
  if (d === 0) return x;
  const file = x.file;
  const related: RelatedInformation[] = x.related.map((r) => (r.location.file === file ? { location: { file, span: shiftSpan(r.location.span, d) }, message: r.message } : r));
  const fixes: Fix[] = x.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => (e.file === file ? { ...e, span: shiftSpan(e.span, d) } : e)) }));
  return { ...x, span: shiftSpan(x.span, d), related, fixes };
}
