import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Returns the server's memory once the edits pause. Every keystroke checks the program again, and
 * each check leaves the last one's model and placement behind: V8 grows the heap to several
 * times what is live (1,000 edits of a 10,000-line file: about 50 MB live, 320 MB resident) and
 * keeps it. One full collection when the edits have paused for a second, and only when the heap
 * is well above what the last one left, gives it back; a keystroke never waits for it.
 */
export function heapTrimmer(pauseMs = 1000, gc = exposedGc()): () => void {
  if (!gc) return () => undefined;
  let live = process.memoryUsage().heapUsed;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const trim = (): void => {
    timer = undefined;
    const { heapTotal } = process.memoryUsage();
    if (heapTotal < 2 * live + 32 * 2 ** 20) return;
    gc();
    live = process.memoryUsage().heapUsed;
  };
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(trim, pauseMs);
    timer.unref();
  };
}

/** V8's `gc`, made available at run time (the server is started by editors with their own flags). */
function exposedGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => { gc(); } : undefined;
  } catch {
    return undefined;
  }
}
