/**
 * Characters a terminal (or an editor showing a comment) would act on instead of showing:
 * C0 controls (U+0000-U+001F: ESC starts colour and cursor sequences, BEL, BS, CR rewrite the
 * line), DEL (U+007F), C1 controls (U+0080-U+009F: U+009B is a one-character CSI, U+009D an OSC
 * on terminals that honour 8-bit controls) and the bidirectional overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) that make text display in another order than it is read.
 * `\n` is kept when `keepNewlines` (the caller's own line structure).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** How one unsafe character is shown: `\t`, `\r`, `\n`, `\x1b`, `\x9b`, `\u202e`. */
export function escapedControl(ch: string): string {
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  if (ch === '\n') return '\\n';
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character shown as its escape (`\n` kept when asked). */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE : UNSAFE_ALL, escapedControl);
}

/** True when the text holds a character `escapeControls` would change. */
export function hasControls(text: string, keepNewlines = false): boolean {
  return new RegExp((keepNewlines ? UNSAFE : UNSAFE_ALL).source).test(text);
}
