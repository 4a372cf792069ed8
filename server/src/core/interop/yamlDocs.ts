import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { InteropMessage } from './emit';

/** A parsed YAML document with the means to locate any of its nodes. */
export interface LocatedDoc {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly value: unknown;
  at(path: readonly (string | number)[], message: string): InteropMessage;
}

/** Parses every document of a YAML text; syntax errors become messages with line and column. */
export function parseYamlDocs(file: string, text: string, errors: InteropMessage[]): LocatedDoc[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: LocatedDoc[] = [];
  const locate = (offset: number, message: string): InteropMessage => {
    const p = lines.linePos(offset);
    return { file, line: p.line, column: p.col, message };
  };
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push(locate(e.pos[0], `malformed YAML: ${e.message.split('\n')[0] ?? e.message}`));
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push(locate(doc.range[0], `malformed YAML: ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    if (value === null || value === undefined) continue;
    out.push({
      file,
      doc,
      value,
      at(path, message) {
        let node: unknown = doc.contents;
        let offset = doc.contents?.range?.[0] ?? doc.range[0];
        for (const key of path) {
          let next: unknown;
          if (isMap(node)) next = node.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.value;
          else if (isSeq(node) && typeof key === 'number') next = node.items[key];
          if (!next || typeof next !== 'object') break;
          node = next;
          const range = (next as YamlNode).range;
          if (range) offset = range[0];
        }
        return locate(offset, message);
      },
    });
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
