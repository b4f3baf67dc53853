import type { ImportNotice } from '@rapporteur/protocol';
import { type ForeignElement, normalizeForeignHtml } from '@rapporteur/schema';
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';

/**
 * Pasted HTML (from Word, LibreOffice, Google Docs, a web page) through the
 * schema package's `normalizeForeignHtml` — the transform the server's
 * import uses — before ProseMirror parses it: headings, lists, tables,
 * marks and footnotes kept, and what could not be kept reported to
 * `onNotices` (nothing is dropped silently). HTML copied inside the editor
 * passes through unchanged in substance.
 */
export function normalizePastedHtml(html: string): { html: string; notices: ImportNotice[] } {
  const page = new DOMParser().parseFromString(html, 'text/html');
  const notices = normalizeForeignHtml(page.body as unknown as ForeignElement);
  return { html: page.body.innerHTML, notices };
}

export function foreignPaste(onNotices: (notices: ImportNotice[]) => void): Extension {
  return Extension.create({
    name: 'foreignPaste',
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: new PluginKey('foreignPaste'),
          props: {
            transformPastedHTML(html) {
              const out = normalizePastedHtml(html);
              onNotices(out.notices);
              return out.html;
            },
          },
        }),
      ];
    },
  });
}
