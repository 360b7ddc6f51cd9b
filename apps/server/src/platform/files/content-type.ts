// Pure rules for what an uploaded file really is: decided by its first bytes, never by its name.

export type DocumentContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: [DocumentContentType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/** Bytes needed to tell the types apart. */
export const SNIFF_BYTES = 8;

/** The type the content starts with, or null when it is none we accept. */
export function sniffContentType(head: Uint8Array): DocumentContentType | null {
  for (const [type, magic] of SIGNATURES) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return type;
  }
  return null;
}

const EXTENSIONS: Record<DocumentContentType, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

/**
 * A file name safe to show and to send back in Content-Disposition: the client's base name without
 * paths, control or reserved characters, at most 100 characters, ending in the extension of the
 * type the content really is.
 */
export function safeFileName(clientName: string | undefined, type: DocumentContentType): string {
  const base = (clientName ?? '')
    .normalize('NFKC')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>:|?*;\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/^\.+/, '')
    .trim();
  const stem = [...base.replace(/\.[^.]*$/, '')].slice(0, 90).join('') || 'document';
  return stem + EXTENSIONS[type];
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
