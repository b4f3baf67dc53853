import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { BODY_FIELD, bodyFragment, docToHtml, docToJSON } from './index';
import {
  blockquote,
  br,
  codeBlock,
  doc,
  h,
  hr,
  li,
  ol,
  p,
  pAttrs,
  table,
  td,
  text,
  th,
  tr,
  ul,
  yDocFromJSON,
} from './testing';

const link = (href: string) => ({ type: 'link', attrs: { href } });

/** The part of docToHtml's page between <body> and </body>. */
function bodyHtml(ydoc: Y.Doc): string {
  const html = docToHtml(ydoc);
  const match = /<body>\n([\s\S]*)\n<\/body>/.exec(html);
  if (!match) throw new Error(`no body in ${html}`);
  return match[1]!;
}

const render = (...blocks: Parameters<typeof doc>) => bodyHtml(yDocFromJSON(doc(...blocks)));

describe('docToHtml page', () => {
  it('is a standalone HTML5 document with an escaped title', () => {
    const html = docToHtml(yDocFromJSON(doc(p('hi'))), { title: 'Report <b>&</b> "x"' });
    expect(html.startsWith('<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<title>Report &lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;</title>');
    expect(html).toContain('<body>\n<p dir="auto">hi</p>\n</body>\n</html>\n');
  });

  it('renders an empty Y.Doc as one empty paragraph', () => {
    expect(bodyHtml(new Y.Doc())).toBe('<p dir="auto"></p>');
  });
});

describe('blocks render to HTML', () => {
  it.each([
    ['paragraph', [p('a')], '<p dir="auto">a</p>'],
    ['heading 1', [h(1, 'a')], '<h1 dir="auto">a</h1>'],
    ['heading 4', [h(4, 'a')], '<h4 dir="auto">a</h4>'],
    ['bullet list', [ul(li(p('a')), li(p('b')))], '<ul><li dir="auto"><p dir="auto">a</p></li><li dir="auto"><p dir="auto">b</p></li></ul>'],
    ['ordered list', [ol(li(p('a')))], '<ol><li dir="auto"><p dir="auto">a</p></li></ol>'],
    ['blockquote', [blockquote(p('a'))], '<blockquote dir="auto"><p dir="auto">a</p></blockquote>'],
    ['code block', [codeBlock('ts', 'let a = 1;')], '<pre dir="auto"><code class="language-ts">let a = 1;</code></pre>'],
    ['horizontal rule', [hr()], '<hr/>'],
    ['hard break', [p('a', br(), 'b')], '<p dir="auto">a<br/>b</p>'],
  ] as const)('%s', (_name, blocks, expected) => {
    expect(render(...blocks)).toBe(expected);
  });

  it('table with header and cells', () => {
    const html = render(table(tr(th(p('Group')), th(p('Count'))), tr(td(p('civil-society')), td(p('12')))));
    expect(html).toMatch(/^<table[^>]*><colgroup>.*<\/colgroup><tbody>/);
    expect(html).toContain('<tr><th dir="auto" colspan="1" rowspan="1"><p dir="auto">Group</p></th>');
    expect(html).toContain('<td dir="auto" colspan="1" rowspan="1"><p dir="auto">12</p></td></tr></tbody></table>');
  });

  it('renders heading levels outside 1–4 as level 1', () => {
    expect(render(h(6, 'a'))).toBe('<h1 dir="auto">a</h1>');
  });
});

describe('marks render to HTML', () => {
  it.each([
    ['bold', 'bold', '<strong>x</strong>'],
    ['italic', 'italic', '<em>x</em>'],
    ['strike', 'strike', '<s>x</s>'],
    ['code', 'code', '<code>x</code>'],
    ['underline', 'underline', '<u>x</u>'],
    ['superscript', 'superscript', '<sup>x</sup>'],
    ['subscript', 'subscript', '<sub>x</sub>'],
  ] as const)('%s', (_name, mark, expected) => {
    expect(render(p(text('x', mark)))).toBe(`<p dir="auto">${expected}</p>`);
  });

  it('link with rel noopener noreferrer nofollow', () => {
    expect(render(p(text('IGF', link('https://www.intgovforum.org/'))))).toBe(
      '<p dir="auto"><a target="_blank" rel="noopener noreferrer nofollow" href="https://www.intgovforum.org/">IGF</a></p>',
    );
  });

  it('keeps http and mailto links', () => {
    const html = render(p(text('a', link('http://example.org')), text('b', link('mailto:igf@un.org'))));
    expect(html).toContain('href="http://example.org"');
    expect(html).toContain('href="mailto:igf@un.org"');
  });
});

describe('block ids and direction', () => {
  it('renders blockId as data-block-id', () => {
    const ydoc = yDocFromJSON(doc(pAttrs({ blockId: 'b-1' }, 'a'), { type: 'heading', attrs: { level: 2, blockId: 'b-2' }, content: [text('t')] }));
    expect(bodyHtml(ydoc)).toBe('<p data-block-id="b-1" dir="auto">a</p><h2 data-block-id="b-2" dir="auto">t</h2>');
  });

  it('dir defaults to auto and renders ltr/rtl', () => {
    const json = docToJSON(yDocFromJSON(doc(p('a'))));
    expect(json.content?.[0]?.attrs).toEqual({ dir: 'auto', blockId: null, consensus: null, field: null, guidance: null, required: false });
    expect(render(pAttrs({ dir: 'rtl' }, 'مرحبا'), pAttrs({ dir: 'ltr' }, 'b'))).toBe(
      '<p dir="rtl">مرحبا</p><p dir="ltr">b</p>',
    );
  });

  it('narrows a dir value a client wrote outside the enum to auto', () => {
    const ydoc = new Y.Doc();
    const para = new Y.XmlElement('paragraph');
    para.setAttribute('dir', '" onmouseover="alert(1)');
    para.insert(0, [new Y.XmlText('a')]);
    bodyFragment(ydoc).insert(0, [para]);
    expect(bodyHtml(ydoc)).toBe('<p dir="auto">a</p>');
  });
});

describe('a Y.Doc written by a stock Yjs client', () => {
  it('renders Y.XmlElement("paragraph") with Y.XmlText "hello"', () => {
    const ydoc = new Y.Doc();
    const para = new Y.XmlElement('paragraph');
    para.insert(0, [new Y.XmlText('hello')]);
    ydoc.getXmlFragment('default').insert(0, [para]);
    expect(BODY_FIELD).toBe('default');
    expect(bodyHtml(ydoc)).toBe('<p dir="auto">hello</p>');
  });

  it('renders data-block-id when the client set blockId', () => {
    const ydoc = new Y.Doc();
    const para = new Y.XmlElement('paragraph');
    para.setAttribute('blockId', 'abc');
    para.insert(0, [new Y.XmlText('hello')]);
    ydoc.getXmlFragment('default').insert(0, [para]);
    expect(bodyHtml(ydoc)).toBe('<p data-block-id="abc" dir="auto">hello</p>');
  });

  it('drops elements the schema does not know', () => {
    const ydoc = new Y.Doc();
    const script = new Y.XmlElement('script');
    script.insert(0, [new Y.XmlText('alert(1)')]);
    const para = new Y.XmlElement('paragraph');
    para.insert(0, [new Y.XmlText('ok')]);
    ydoc.getXmlFragment('default').insert(0, [script, para]);
    expect(bodyHtml(ydoc)).toBe('<p dir="auto">ok</p>');
  });
});

/** The names of the elements in `html` (every `<name` outside text). */
function tagsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/<\/?([!a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase()));
}

describe('XSS payloads stay inert', () => {
  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg onload=alert(1)>',
    "javascript:alert('x')",
  ];

  it.each(payloads)('as text: %s', (payload) => {
    const html = docToHtml(yDocFromJSON(doc(h(1, payload), p(payload), codeBlock(null, payload))), { title: payload });
    expect(tagsIn(html)).toEqual(new Set(['!doctype', 'html', 'head', 'meta', 'title', 'body', 'h1', 'p', 'pre', 'code']));
    // Only our own attributes appear inside tags.
    expect(html.match(/<[^>]*>/g)?.join('')).not.toMatch(/\son\w+=|\ssrc=|javascript:/i);
  });

  it.each([
    'javascript:alert(1)',
    ' JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/x',
  ])('as link href: %s', (href) => {
    const ydoc = yDocFromJSON(doc(p(text('click', link(href)))));
    expect(bodyHtml(ydoc)).toBe('<p dir="auto">click</p>');
    expect(JSON.stringify(docToJSON(ydoc))).not.toContain('"link"');
  });

  it('escapes quotes in a safe href', () => {
    const html = render(p(text('x', link('https://e.org/?q="><script>alert(1)</script>'))));
    expect(html).toContain('href="https://e.org/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script');
  });

  it('ignores link attributes a client forged (rel, target, class)', () => {
    const ydoc = new Y.Doc();
    const para = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    t.insert(0, 'x', { link: { href: 'https://e.org', rel: 'opener', target: '_self', class: 'evil' } });
    para.insert(0, [t]);
    bodyFragment(ydoc).insert(0, [para]);
    expect(bodyHtml(ydoc)).toBe(
      '<p dir="auto"><a target="_blank" rel="noopener noreferrer nofollow" href="https://e.org">x</a></p>',
    );
  });

  it('narrows forged table and code attributes', () => {
    const ydoc = yDocFromJSON(
      doc(
        table(tr({ type: 'tableCell', attrs: { colspan: 1, colwidth: ['1px;background:url(https://e.org)'] }, content: [p('c')] })),
        { type: 'codeBlock', attrs: { language: '"><x' }, content: [text('c')] },
      ),
    );
    const html = bodyHtml(ydoc);
    expect(html).not.toContain('url(');
    expect(html).not.toContain('"><x');
  });

  it('keeps column widths set by dragging one border (0 for the columns left to the browser), drops all-zero or negative ones', () => {
    const widths = (colwidth: unknown) =>
      bodyHtml(yDocFromJSON(doc(table(tr({ type: 'tableCell', attrs: { colspan: 2, colwidth }, content: [p('c')] }))))).match(/<colgroup>.*<\/colgroup>/)?.[0];
    expect(widths([180, 0])).toBe('<colgroup><col style="width: 180px"/><col style="min-width: 48px"/></colgroup>');
    expect(widths([0, 0])).toBe('<colgroup><col style="min-width: 48px"/><col style="min-width: 48px"/></colgroup>');
    expect(widths([-5, 100])).toBe(widths([0, 0]));
  });
});
