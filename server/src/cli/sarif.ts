// SARIF 2.1.0 (the format GitHub code scanning and most CI dashboards read) of the findings of
// one command: one run whose tool lists every diagnostic code as a rule (short and full
// description and help from docs/language.md, a link to the code's entry), one result per
// finding with its region, related locations and fixes.
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import type * as Sarif from 'sarif';
import { DIAGNOSTIC_SEVERITY, type DiagnosticCode, type Severity } from '../core/diagnostics';
import { codeReference } from '../core/reference';
import type { JsonRange } from './diagnosticsOutput';
import type { Finding } from './findings';
import { RULE_TEXT } from './rules.generated';
import { TOPO_HOME, TOPO_VERSION } from './version';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The base that relative artifact URIs are resolved against: the working directory (in CI, the checkout). */
export const SRCROOT = '%SRCROOT%';

const CODES = Object.keys(DIAGNOSTIC_SEVERITY) as DiagnosticCode[];

const GROUPS: Readonly<Record<string, string>> = { '1': 'syntax', '2': 'names', '3': 'values', '4': 'capacity', '5': 'simulation' };

/** Markdown as plain text: code spans, emphasis and links keep only their text. */
export function plainText(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*([^*]*)\*\*/g, '$1').replace(/`([^`]*)`/g, '$1');
}

export function sarifLevel(s: Severity): Sarif.ReportingConfiguration.level {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function rule(code: DiagnosticCode): Sarif.ReportingDescriptor {
  const text = RULE_TEXT[code];
  const url = codeReference(code);
  return {
    id: code,
    shortDescription: { text: plainText(text.short), markdown: text.short },
    fullDescription: { text: plainText(text.full), markdown: text.full },
    help: { text: `${plainText(text.full)}\nSee ${url}`, markdown: `${text.full}\n\n[${code} in the language reference](${url})` },
    helpUri: url,
    defaultConfiguration: { level: sarifLevel(DIAGNOSTIC_SEVERITY[code]) },
    properties: { tags: ['topo', GROUPS[code[1]] ?? 'other'] },
  };
}

/** Every rule of the tool, in code order (results point at them by index). */
export function sarifRules(): Sarif.ReportingDescriptor[] {
  return CODES.map(rule);
}

/** A path as the CLI shows it (relative to the working directory, or absolute) as an artifact location. */
export function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF regions are 1-based; the end column is the column after the region (like LSP's exclusive end). */
export function sarifRegion(r: JsonRange): Sarif.Region {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function physical(file: string, range: JsonRange): Sarif.PhysicalLocation {
  return { artifactLocation: artifactLocation(file), region: sarifRegion(range) };
}

function result(f: Finding): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: f.code,
    ruleIndex: CODES.indexOf(f.code),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f.file, f.range) }],
  };
  if (f.relatedInformation.length) {
    out.relatedLocations = f.relatedInformation.map((r, i) => ({ id: i + 1, physicalLocation: physical(r.file, r.range), message: { text: r.message } }));
  }
  if (f.fixes.length) {
    out.fixes = f.fixes.map((fix) => {
      const byFile = new Map<string, Sarif.Replacement[]>();
      for (const e of fix.edits) {
        const list = byFile.get(e.file) ?? [];
        list.push({ deletedRegion: sarifRegion(e.range), insertedContent: { text: e.newText } });
        byFile.set(e.file, list);
      }
      return { description: { text: fix.title }, artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifactLocation(file), replacements })) };
    });
  }
  return out;
}

/** The SARIF log of one command run in `cwd`. */
export function sarifLog(findings: readonly Finding[], cwd: string): Sarif.Log {
  const base = pathToFileURL(cwd).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'topo', version: TOPO_VERSION, semanticVersion: TOPO_VERSION, informationUri: TOPO_HOME, rules: sarifRules() } },
      originalUriBaseIds: { [SRCROOT]: { uri: base.endsWith('/') ? base : `${base}/` } },
      columnKind: 'utf16CodeUnits',
      results: findings.map(result),
    }],
  };
}
