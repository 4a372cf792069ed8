// What the CLI writes to a terminal never holds a character the terminal would act on: text
// from files, file names, scenario names and messages can hold ESC sequences, OSC titles, BEL,
// CR or C1 controls. main() passes every command an io whose out and err show them escaped
// (`\x1b`, `\x07`, `\u202e`); JSON output escapes them the JSON way so that it stays JSON.
import { escapeControls } from '../core/interop/controls';
import type { CliIo } from './io';

export { escapeControls } from '../core/interop/controls';

/** Text for a terminal: every control character but `\n` escaped (tabs too: `\t`). */
export function terminalText(text: string): string {
  return escapeControls(text, true);
}

/** A field of a one-line message (a name, a path, a message): every control character escaped, `\n` too. */
export function oneLine(text: string): string {
  return escapeControls(text);
}

/** The io with out and err passed through `terminalText`. */
export function terminalIo(io: CliIo): CliIo {
  return { out: (t) => io.out(terminalText(t)), err: (t) => io.err(terminalText(t)), cwd: io.cwd, progress: io.progress };
}

/** JSON for the terminal: documents.ts's (DEL, C1 and bidi escaped as `\u007f`; still JSON). */
export { jsonText } from './documents';

/** Columns a tab advances to in an echoed source line (as rustc shows them). */
const TAB = 4;

/**
 * One source line as the diagnostic printer shows it, with a caret line under the UTF-16
 * range [start, end) of it: tabs expanded to spaces, control characters escaped, and the
 * caret moved and widened to match.
 */
export function echoLine(src: string, start: number, end: number): { text: string; caret: string } {
  let text = '';
  let caretStart = -1;
  let caretEnd = -1;
  for (let i = 0; i <= src.length; i++) {
    if (i === start) caretStart = text.length;
    if (i === end) caretEnd = text.length;
    if (i === src.length) break;
    const ch = src[i];
    text += ch === '\t' ? ' '.repeat(TAB - (text.length % TAB)) : escapeControls(ch);
  }
  if (caretStart < 0) caretStart = text.length;
  if (caretEnd < 0 || end > src.length) caretEnd = text.length;
  const width = Math.max(1, caretEnd - caretStart);
  return { text, caret: `${' '.repeat(caretStart)}^${'~'.repeat(width - 1)}` };
}
