// A delta minimiser for failing inputs: drops other files and cursor offsets that do not
// matter, then removes chunks of the text (lines, then characters, halving the chunk size)
// while the input still breaks the same invariant. Offsets are carried through each removal.
import { checkInput, failureKeys, type FuzzInput } from './invariants';

export interface MinimizeOptions {
  /** Stop after this many milliseconds (the best input so far is returned). */
  readonly budgetMs: number;
  readonly now?: () => number;
  /** Called before each check of a candidate (the runner's sign of life). */
  readonly onStep?: () => void;
}

/** True when the input still shows the invariant. */
export function stillFails(input: FuzzInput, invariant: string): boolean {
  return failureKeys(checkInput(input)).has(invariant);
}

function removeChunk(input: FuzzInput, start: number, end: number): FuzzInput {
  const n = end - start;
  const offsets = input.offsets.map((raw) => {
    const o = raw % (input.text.length + 1);
    return o < start ? o : o >= end ? o - n : start;
  });
  return { ...input, text: input.text.slice(0, start) + input.text.slice(end), offsets };
}

/** Boundaries of the lines of a text (each chunk ends after its line break). */
function lineBounds(text: string): number[] {
  const b = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) b.push(i + 1);
  if (b[b.length - 1] !== text.length) b.push(text.length);
  return b;
}

export function minimize(input: FuzzInput, invariant: string, options: MinimizeOptions): FuzzInput {
  const now = options.now ?? (() => performance.now());
  const deadline = now() + options.budgetMs;
  const fails = (x: FuzzInput): boolean => {
    if (now() >= deadline) return false;
    options.onStep?.();
    return stillFails(x, invariant);
  };
  let best: FuzzInput = { ...input, offsets: input.offsets.map((o) => o % (input.text.length + 1)) };

  // other files: all at once, then one by one
  if (Object.keys(best.files).length > 0) {
    const none = { ...best, files: {} };
    if (fails(none)) best = none;
    else {
      for (const f of Object.keys(best.files)) {
        const files = { ...best.files };
        delete files[f];
        const candidate = { ...best, files };
        if (fails(candidate)) best = candidate;
      }
    }
  }
  // offsets: one by one (the invariant may not need one at all)
  for (let i = best.offsets.length - 1; i >= 0 && best.offsets.length > 0; i--) {
    const candidate = { ...best, offsets: best.offsets.filter((_, j) => j !== i) };
    if (fails(candidate)) best = candidate;
  }
  // lines, then characters
  for (const unit of ['line', 'char'] as const) {
    let size = unit === 'line' ? Math.max(1, Math.floor((lineBounds(best.text).length - 1) / 2)) : Math.max(1, Math.floor(best.text.length / 2));
    while (size >= 1 && now() < deadline) {
      let removed = false;
      let i = 0;
      for (;;) {
        const bounds = unit === 'line' ? lineBounds(best.text) : null;
        const count = bounds ? bounds.length - 1 : best.text.length;
        if (i >= count) break;
        const start = bounds ? bounds[i] : i;
        const end = bounds ? bounds[Math.min(count, i + size)] : Math.min(count, i + size);
        const candidate = removeChunk(best, start, end);
        if (fails(candidate)) {
          best = candidate;
          removed = true;
        } else i += size;
        if (now() >= deadline) break;
      }
      if (!removed) size = Math.floor(size / 2);
    }
  }
  // drop duplicate offsets
  return { ...best, offsets: [...new Set(best.offsets)] };
}
