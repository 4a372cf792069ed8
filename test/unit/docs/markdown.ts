/**
 * Just enough Markdown for the tests of docs/language.md: headings with the anchors GitHub (and
 * VS Code's preview) give them, fenced code blocks, and the section each line belongs to.
 */

export interface Heading {
  readonly level: number;
  /** The heading's text as written (inline code keeps its backticks). */
  readonly text: string;
  readonly anchor: string;
  /** Zero-based line. */
  readonly line: number;
}

export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
  /** Zero-based line of the opening fence. */
  readonly line: number;
}

export interface Section {
  readonly heading: Heading;
  /** Lines after the heading up to the next heading of the same or a higher level. */
  readonly body: string;
  readonly blocks: readonly CodeBlock[];
  /** Zero-based line of the first body line. */
  readonly start: number;
  readonly end: number;
}

export interface MarkdownDoc {
  readonly lines: readonly string[];
  readonly headings: readonly Heading[];
  readonly blocks: readonly CodeBlock[];
}

/** GitHub's heading anchor: lowercase, punctuation (backticks included) dropped, spaces to `-`. */
export function anchorOf(text: string): string {
  return text.trim().toLowerCase().replace(/<[^>]*>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

export function parseMarkdown(text: string): MarkdownDoc {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const headings: Heading[] = [];
  const blocks: CodeBlock[] = [];
  let fence: { lang: string; line: number; body: string[] } | null = null;
  let inComment = false;
  lines.forEach((line, i) => {
    if (fence) {
      if (/^```\s*$/.test(line)) { blocks.push({ lang: fence.lang, code: `${fence.body.join('\n')}\n`, line: fence.line }); fence = null; }
      else fence.body.push(line);
      return;
    }
    if (inComment) { if (line.includes('-->')) inComment = false; return; }
    if (line.startsWith('<!--') && !line.includes('-->')) { inComment = true; return; }
    const f = /^```(\S*)\s*$/.exec(line);
    if (f) { fence = { lang: f[1], line: i, body: [] }; return; }
    const h = /^(#{1,6})\s+(.*?)\s*$/.exec(line);
    if (h) headings.push({ level: h[1].length, text: h[2], anchor: anchorOf(h[2]), line: i });
  });
  if (fence) throw new Error(`unclosed code fence at line ${(fence as { line: number }).line + 1}`);
  return { lines, headings, blocks };
}

/** The section under a heading: up to the next heading of the same or a higher level. */
export function sectionOf(doc: MarkdownDoc, heading: Heading): Section {
  const next = doc.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const end = next ? next.line : doc.lines.length;
  const start = heading.line + 1;
  return {
    heading, start, end,
    body: doc.lines.slice(start, end).join('\n'),
    blocks: doc.blocks.filter((b) => b.line > heading.line && b.line < end),
  };
}

/** Inline code spans of a line of text, in order. */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}
