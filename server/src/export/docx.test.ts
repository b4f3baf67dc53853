import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { consensusTranslatorFor } from '../pages/consensusLabels';
import { pageTranslator } from '../pages/labels';
import { markdown } from './Exporter';
import { renderDocx } from './docx';

// SPEC L8, X3: a document's consensus markers and its consensus summary are
// worded in the document's language in DOCX and Markdown, as in HTML.

const json = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      attrs: { blockId: 'b1', consensus: { level: 'minority-view', basis: 'source-reports', views: [{ text: '', groups: ['academia'] }] } },
      content: [{ type: 'text', text: 'Un passage.' }],
    },
  ],
};
const header = { title: 'Rapport', date: Date.UTC(2026, 2, 12), label: 'Texte actuel' };

/** The text of a DOCX's main part, runs joined. */
function docxText(file: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(file))['word/document.xml']!);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

describe('consensus wording in the document’s language (SPEC L8)', () => {
  it('DOCX: the marker, its basis, a view still to write and the summary read in French; English stays the default', async () => {
    const french = docxText(await renderDocx(json, header, {}, pageTranslator('fr'), consensusTranslatorFor('fr')));
    const t = consensusTranslatorFor('fr');
    for (const words of ['Point de vue minoritaire', 'Synthèse du consensus', t('viewTextMissing'), t('summary.passage')]) expect(french).toContain(words);
    expect(french).not.toContain('Minority view');
    expect(french).not.toContain('Consensus summary');
    const english = docxText(await renderDocx(json, header));
    expect(english).toContain('Minority view');
    expect(docxText(await renderDocx(json, header, {}, pageTranslator('ar'), consensusTranslatorFor('ar')))).toContain('رأي الأقلية');
  });

  it('Markdown: the same words', () => {
    const french = markdown({ json, header, lang: 'fr' });
    expect(french).toContain('Point de vue minoritaire');
    expect(french).toContain('Synthèse du consensus');
    expect(french).not.toContain('Minority view');
    expect(markdown({ json, header })).toContain('Minority view');
  });
});

describe('superscript and subscript in DOCX (SPEC X3)', () => {
  it('a footnote marker is a superscript run and a formula’s digit a subscript run', async () => {
    const body = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Agreed' },
            { type: 'text', text: '1', marks: [{ type: 'superscript' }] },
            { type: 'text', text: ' on CO' },
            { type: 'text', text: '2', marks: [{ type: 'subscript' }] },
          ],
        },
      ],
    };
    const xml = strFromU8(unzipSync(new Uint8Array(await renderDocx(body, header)))['word/document.xml']!);
    expect(xml).toMatch(/<w:vertAlign w:val="superscript"\/>[\s\S]*?<w:t[^>]*>1<\/w:t>/);
    expect(xml).toMatch(/<w:vertAlign w:val="subscript"\/>[\s\S]*?<w:t[^>]*>2<\/w:t>/);
  });
});
