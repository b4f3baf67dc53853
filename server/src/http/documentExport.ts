import { docToHtml, docToMarkdown } from '@rapporteur/schema';
import type { Response } from 'express';
import type * as Y from 'yjs';

export type ExportFormat = 'html' | 'md';

/** A document's text in `format`, rendered from its Y.Doc through packages/schema (the only source of truth). */
export function renderExport(doc: Y.Doc, title: string, format: ExportFormat): string {
  return format === 'html' ? docToHtml(doc, { title }) : docToMarkdown(doc);
}

/**
 * Sends an export (the live text or a point in its history) as a standalone
 * file: named after the title, and under a CSP that lets nothing in it run
 * scripts or load anything.
 */
export function sendExport(res: Response, title: string, format: ExportFormat, body: string): void {
  res
    .type(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8')
    .set('Content-Disposition', `inline; filename="${slug(title)}.${format}"`)
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    .send(body);
}

function slug(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'document'
  );
}
