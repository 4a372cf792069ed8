// Conversions between LSP types (zero-based lines and UTF-16 characters) and monaco's (one-based
// lines and columns, UTF-16 too). Pure functions over the monaco namespace handed in.
import type * as Monaco from 'monaco-editor/editor/editor.api';
import * as P from 'vscode-languageserver-protocol/browser';

type M = typeof Monaco;

export const toPosition = (p: Monaco.IPosition): P.Position => ({ line: p.lineNumber - 1, character: p.column - 1 });

export const toRange = (r: Monaco.IRange): P.Range => ({
  start: { line: r.startLineNumber - 1, character: r.startColumn - 1 },
  end: { line: r.endLineNumber - 1, character: r.endColumn - 1 },
});

export const fromRange = (r: P.Range): Monaco.IRange => ({
  startLineNumber: r.start.line + 1, startColumn: r.start.character + 1,
  endLineNumber: r.end.line + 1, endColumn: r.end.character + 1,
});

export function fromSeverity(monaco: M, s: P.DiagnosticSeverity | undefined): Monaco.MarkerSeverity {
  switch (s) {
    case P.DiagnosticSeverity.Error: return monaco.MarkerSeverity.Error;
    case P.DiagnosticSeverity.Warning: return monaco.MarkerSeverity.Warning;
    case P.DiagnosticSeverity.Information: return monaco.MarkerSeverity.Info;
    case P.DiagnosticSeverity.Hint: return monaco.MarkerSeverity.Hint;
    default: return monaco.MarkerSeverity.Error;
  }
}

export function toSeverity(monaco: M, s: Monaco.MarkerSeverity): P.DiagnosticSeverity {
  if (s === monaco.MarkerSeverity.Error) return P.DiagnosticSeverity.Error;
  if (s === monaco.MarkerSeverity.Warning) return P.DiagnosticSeverity.Warning;
  if (s === monaco.MarkerSeverity.Info) return P.DiagnosticSeverity.Information;
  return P.DiagnosticSeverity.Hint;
}

export function fromDiagnostic(monaco: M, d: P.Diagnostic): Monaco.editor.IMarkerData {
  const tags: Monaco.MarkerTag[] = [];
  if (d.tags?.includes(P.DiagnosticTag.Unnecessary)) tags.push(monaco.MarkerTag.Unnecessary);
  if (d.tags?.includes(P.DiagnosticTag.Deprecated)) tags.push(monaco.MarkerTag.Deprecated);
  return {
    ...fromRange(d.range),
    severity: fromSeverity(monaco, d.severity),
    message: markdown(d.message),
    // a code with its reference entry (LSP codeDescription) is a link in the hover and the problems list
    code: d.code === undefined ? undefined : d.codeDescription ? { value: String(d.code), target: monaco.Uri.parse(d.codeDescription.href) } : String(d.code),
    source: d.source,
    tags,
    relatedInformation: d.relatedInformation?.map((r) => ({ resource: monaco.Uri.parse(r.location.uri), message: r.message, ...fromRange(r.location.range) })),
  };
}

/** A marker back to the diagnostic the server sent (code actions need them). */
export function toDiagnostic(monaco: M, m: Monaco.editor.IMarkerData): P.Diagnostic {
  const code = typeof m.code === 'string' ? m.code : m.code?.value;
  return { range: toRange(m), severity: toSeverity(monaco, m.severity), message: m.message, code, source: m.source };
}

const markdown = (v: string | P.MarkupContent): string => (typeof v === 'string' ? v : v.value);

const COMPLETION_KINDS: Partial<Record<P.CompletionItemKind, keyof typeof Monaco.languages.CompletionItemKind>> = {
  [P.CompletionItemKind.Keyword]: 'Keyword',
  [P.CompletionItemKind.Property]: 'Property',
  [P.CompletionItemKind.Field]: 'Field',
  [P.CompletionItemKind.Value]: 'Value',
  [P.CompletionItemKind.EnumMember]: 'EnumMember',
  [P.CompletionItemKind.Enum]: 'Enum',
  [P.CompletionItemKind.Reference]: 'Reference',
  [P.CompletionItemKind.Variable]: 'Variable',
  [P.CompletionItemKind.Unit]: 'Unit',
  [P.CompletionItemKind.Snippet]: 'Snippet',
  [P.CompletionItemKind.Class]: 'Class',
  [P.CompletionItemKind.Module]: 'Module',
  [P.CompletionItemKind.Struct]: 'Struct',
  [P.CompletionItemKind.File]: 'File',
  [P.CompletionItemKind.Constant]: 'Constant',
  [P.CompletionItemKind.Text]: 'Text',
};

export function fromCompletion(monaco: M, item: P.CompletionItem, defaultRange: Monaco.IRange): Monaco.languages.CompletionItem {
  const kindName = item.kind !== undefined ? COMPLETION_KINDS[item.kind] : undefined;
  const edit = item.textEdit;
  let range: Monaco.languages.CompletionItem['range'] = defaultRange;
  if (edit && 'range' in edit) range = fromRange(edit.range);
  else if (edit && 'insert' in edit) range = { insert: fromRange(edit.insert), replace: fromRange(edit.replace) };
  const doc = item.documentation;
  return {
    label: item.labelDetails ? { label: item.label, detail: item.labelDetails.detail, description: item.labelDetails.description } : item.label,
    kind: kindName ? monaco.languages.CompletionItemKind[kindName] : monaco.languages.CompletionItemKind.Text,
    detail: item.detail,
    documentation: doc === undefined ? undefined : typeof doc === 'string' ? doc : { value: doc.value },
    insertText: edit ? edit.newText : (item.insertText ?? item.label),
    insertTextRules: item.insertTextFormat === P.InsertTextFormat.Snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
    range,
    sortText: item.sortText,
    filterText: item.filterText,
    preselect: item.preselect,
    commitCharacters: item.commitCharacters,
    additionalTextEdits: item.additionalTextEdits?.map(fromTextEdit),
  };
}

export const fromTextEdit = (e: P.TextEdit): Monaco.languages.TextEdit => ({ range: fromRange(e.range), text: e.newText });

export function fromHover(h: P.Hover): Monaco.languages.Hover {
  const list = Array.isArray(h.contents) ? h.contents : [h.contents];
  const contents = list.map((c): Monaco.IMarkdownString => {
    if (typeof c === 'string') return { value: c };
    if ('language' in c) return { value: '```' + c.language + '\n' + c.value + '\n```' };
    return { value: c.value };
  });
  return { contents, range: h.range ? fromRange(h.range) : undefined };
}

export function fromLocations(monaco: M, r: P.Location | P.Location[] | P.LocationLink[] | null): Monaco.languages.Location[] {
  if (!r) return [];
  const list = Array.isArray(r) ? r : [r];
  return list.map((l) => ('targetUri' in l
    ? { uri: monaco.Uri.parse(l.targetUri), range: fromRange(l.targetSelectionRange) }
    : { uri: monaco.Uri.parse(l.uri), range: fromRange(l.range) }));
}

const SYMBOL_KINDS: Partial<Record<P.SymbolKind, keyof typeof Monaco.languages.SymbolKind>> = {
  [P.SymbolKind.Module]: 'Module', [P.SymbolKind.Namespace]: 'Namespace', [P.SymbolKind.Class]: 'Class',
  [P.SymbolKind.Struct]: 'Struct', [P.SymbolKind.Object]: 'Object', [P.SymbolKind.Event]: 'Event',
  [P.SymbolKind.Property]: 'Property', [P.SymbolKind.Variable]: 'Variable', [P.SymbolKind.Constant]: 'Constant',
  [P.SymbolKind.File]: 'File', [P.SymbolKind.Package]: 'Package', [P.SymbolKind.Function]: 'Function',
  [P.SymbolKind.Field]: 'Field', [P.SymbolKind.Interface]: 'Interface', [P.SymbolKind.Enum]: 'Enum',
};

export function fromDocumentSymbol(monaco: M, s: P.DocumentSymbol): Monaco.languages.DocumentSymbol {
  const k = SYMBOL_KINDS[s.kind];
  return {
    name: s.name, detail: s.detail ?? '', tags: [],
    kind: k ? monaco.languages.SymbolKind[k] : monaco.languages.SymbolKind.Object,
    range: fromRange(s.range), selectionRange: fromRange(s.selectionRange),
    children: s.children?.map((c) => fromDocumentSymbol(monaco, c)),
  };
}

export function fromWorkspaceEdit(monaco: M, e: P.WorkspaceEdit | null): Monaco.languages.WorkspaceEdit {
  const edits: Monaco.languages.IWorkspaceTextEdit[] = [];
  for (const [uri, list] of Object.entries(e?.changes ?? {})) {
    for (const t of list) edits.push({ resource: monaco.Uri.parse(uri), textEdit: fromTextEdit(t), versionId: undefined });
  }
  for (const dc of e?.documentChanges ?? []) {
    if (!('textDocument' in dc)) continue;
    for (const t of dc.edits) if ('newText' in t) edits.push({ resource: monaco.Uri.parse(dc.textDocument.uri), textEdit: fromTextEdit(t), versionId: undefined });
  }
  return { edits };
}
