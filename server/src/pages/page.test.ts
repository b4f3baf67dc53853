import { describe, expect, it } from 'vitest';
import { pageLabel, pageTranslator } from './labels';
import { documentMainHtml, headerRowsInThead, PAGE_CSS, renderPage } from './page';

describe('the page layer (SPEC X2–X4)', () => {
  it('moves a first row of header cells into thead, and leaves other tables alone', () => {
    expect(headerRowsInThead('<table><tbody><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>')).toBe(
      '<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
    );
    const mixed = '<table><tbody><tr><th>A</th><td>1</td></tr></tbody></table>';
    expect(headerRowsInThead(mixed)).toBe(mixed);
  });

  it('spells out auto directions from the first strong letter, keeping explicit ones', () => {
    const html = documentMainHtml({
      type: 'doc',
      content: [
        { type: 'paragraph', attrs: { dir: 'auto' }, content: [{ type: 'text', text: '12 — مرحبا' }] },
        { type: 'paragraph', attrs: { dir: 'auto' }, content: [{ type: 'text', text: 'Hello مرحبا' }] },
        { type: 'paragraph', attrs: { dir: 'ltr' }, content: [{ type: 'text', text: 'مرحبا' }] },
      ],
    });
    expect(html).toBe('<p dir="rtl">12 — مرحبا</p><p dir="ltr">Hello مرحبا</p><p dir="ltr">مرحبا</p>');
  });

  it('renders a page with one stylesheet in logical properties, a CSP of its own and no script; everything escaped', () => {
    const page = renderPage({ header: { title: 'A <b>title</b>', date: Date.UTC(2026, 2, 12), label: 'Publication 1' }, main: '<p>x</p>' });
    expect(page).toContain('<h1>A &lt;b&gt;title&lt;/b&gt;</h1>');
    expect(page).toContain('<time datetime="2026-03-12T00:00:00.000Z">12 March 2026</time>');
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(page).not.toMatch(/<script/i);
    expect(PAGE_CSS).not.toMatch(/(margin|padding|border)-(left|right)\b|text-align:\s*(left|right)|\b(left|right):/);
  });

  it('labels come from the one catalog; a language without a label reads English', () => {
    expect(pageLabel('header.publication', { number: 3 })).toBe('Publication 3');
    expect(pageTranslator('xx')('header.date')).toBe('Date');
  });

  it('words consensus markers and their summary in the document’s language (SPEC L8)', () => {
    const json = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          attrs: { blockId: 'b1', consensus: { level: 'minority-view', basis: 'source-reports', views: [{ text: 'Seuls quelques-uns.', groups: ['academia'] }] } },
          content: [{ type: 'text', text: 'Un passage.' }],
        },
      ],
    };
    const french = documentMainHtml(json, { language: 'fr' });
    expect(french).toContain('Point de vue minoritaire');
    expect(french).toContain('Synthèse du consensus');
    expect(french).not.toContain('Minority view');
    const english = documentMainHtml(json);
    expect(english).toContain('Minority view');
    expect(documentMainHtml(json, { language: 'ar' })).toContain('رأي الأقلية');
  });
});
