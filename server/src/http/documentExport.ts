import type { Response } from 'express';
import type { ExportedFile } from '../export/Exporter';

/**
 * Sends an exported file (the live text, a point in its history or a
 * publication's stored file): named after the title, HTML and Markdown
 * inline, the others as downloads, under a CSP that lets nothing in it run
 * scripts or load anything.
 */
export function sendExport(res: Response, title: string, file: Pick<ExportedFile, 'contentType' | 'extension' | 'body'>): void {
  const inline = file.extension === 'html' || file.extension === 'md';
  res
    .type(file.contentType)
    .set('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${slug(title)}.${file.extension}"`)
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    .set('X-Content-Type-Options', 'nosniff')
    .send(file.body);
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
