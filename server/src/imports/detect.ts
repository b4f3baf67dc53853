import type { ImportFormat } from '@rapporteur/protocol';
import { looksLikeZip } from './zipCheck';

/** The format a file claims by its name's extension, else by its declared media type; null when neither names one we read. */
export function claimedFormat(fileName: string, mediaType: string): ImportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const byExtension: Record<string, ImportFormat> = { docx: 'docx', odt: 'odt', md: 'md', markdown: 'md', html: 'html', htm: 'html', xhtml: 'html' };
  if (ext !== undefined && byExtension[ext]) return byExtension[ext];
  if (ext !== undefined && ext !== '') return null;
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const byType: Record<string, ImportFormat> = {
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
    'application/vnd.oasis.opendocument.text': 'odt',
    'text/markdown': 'md',
    'text/x-markdown': 'md',
    'text/html': 'html',
    'application/xhtml+xml': 'html',
  };
  return byType[type] ?? null;
}

// Signatures of binary files that are never text: PNG, JPEG, GIF, PDF, ZIP, gzip, OLE (old .doc), RIFF, ELF.
const BINARY_MAGIC: readonly number[][] = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x25, 0x50, 0x44, 0x46],
  [0x50, 0x4b, 0x03, 0x04],
  [0x1f, 0x8b],
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x52, 0x49, 0x46, 0x46],
  [0x7f, 0x45, 0x4c, 0x46],
];

/**
 * A text file's content (Markdown, HTML) as a string, or null when it is not
 * text: a known binary signature or NUL bytes. UTF-8 (a BOM is dropped);
 * bytes that are not UTF-8 are read as Windows-1252, as browsers read old
 * pages. UTF-16 files start with their BOM and are read as such.
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (BINARY_MAGIC.some((magic) => magic.every((b, i) => bytes[i] === b))) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** True when the text reads as an HTML document or fragment (some element of HTML near its start). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|p|h[1-6]|div|table|ul|ol|section|article|main)[\s>/]/i.test(text.slice(0, 4096));
}

export { looksLikeZip };
