// The text survives reloads and travels in links: the URL hash holds it deflate-compressed and
// base64url-encoded (`#code/<data>`), localStorage keeps the last text too. The preview's filter
// travels with it: `#code/<data>&filter=<URI-encoded text>`.
const PREFIX = '#code/';
const STORAGE_KEY = 'topo-playground:text';

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const s = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export async function encodeText(text: string): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

export async function decodeText(data: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw')));
}

const FILTER = '&filter=';
/** Longest filter a link carries. */
const MAX_FILTER = 200;

/** The text in the URL hash, or null when there is none or it does not decode. */
export async function textFromHash(hash: string): Promise<string | null> {
  if (!hash.startsWith(PREFIX)) return null;
  const end = hash.indexOf('&');
  try {
    return await decodeText(hash.slice(PREFIX.length, end < 0 ? undefined : end));
  } catch (e) {
    console.warn(`[topo playground] the link's text does not decode: ${String(e)}`);
    return null;
  }
}

/** The preview's filter in the URL hash ('' when none, or when it does not decode). */
export function filterFromHash(hash: string): string {
  const i = hash.indexOf(FILTER);
  if (!hash.startsWith(PREFIX) || i < 0) return '';
  try {
    return decodeURIComponent(hash.slice(i + FILTER.length)).slice(0, MAX_FILTER);
  } catch {
    return '';
  }
}

export async function hashFor(text: string, filter = ''): Promise<string> {
  const f = filter.trim() ? `${FILTER}${encodeURIComponent(filter.slice(0, MAX_FILTER))}` : '';
  return PREFIX + (await encodeText(text)) + f;
}

export function loadStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function store(text: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, text);
  } catch {
    // Storage full or disabled: the hash still holds the text.
  }
}
