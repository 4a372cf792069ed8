// The report formats shared by the commands that have findings (check; simulate's T5xx).
import { jsonText } from './documents';
import type { Finding, ReportFormat } from './findings';
import { githubCommands } from './github';
import type { CliIo } from './io';
import { sarifLog } from './sarif';

/** The whole output of a command in a report format. */
export function reportText(format: ReportFormat, findings: readonly Finding[], io: CliIo): string {
  return format === 'sarif' ? jsonText(sarifLog(findings, io.cwd)) : githubCommands(findings);
}
