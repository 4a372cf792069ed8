// What the machine-read report formats (SARIF, GitHub workflow commands) are made from: the
// diagnostics of `topo check` and the T5xx of `topo simulate`, with positions and paths as the
// JSON output gives them (zero-based LSP ranges; paths relative to the working directory when
// inside it, else absolute).
import type { SimulationDiagnostic } from '../core/result';
import type { DiagnosticJson, JsonRange } from './diagnosticsOutput';

export interface FindingEdit {
  readonly file: string;
  readonly range: JsonRange;
  readonly newText: string;
}

export interface FindingFix {
  readonly title: string;
  readonly edits: readonly FindingEdit[];
}

export interface Finding extends DiagnosticJson {
  readonly fixes: readonly FindingFix[];
}

/** The report formats every command with findings takes besides its own text and json. */
export const REPORT_FORMATS = ['sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(f: string): f is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(f);
}

/** The simulator's diagnostics (T5xx) as findings: they have no related information and no fixes. */
export function simulationFindings(diagnostics: readonly SimulationDiagnostic[]): Finding[] {
  return diagnostics.map((d) => ({ file: d.file, range: d.range, severity: d.severity, code: d.code, message: d.message, relatedInformation: [], fixes: [] }));
}
