import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JSONContent } from '../pages/page';
import { describe, expect, it } from 'vitest';

import { fromHtml } from './Importer';

// Issue 14: paste from Word, LibreOffice and Google Docs (fixtures written
// after each program's clipboard HTML) and the HTML of mammoth and pandoc
// keep headings, lists, tables, links, marks and footnotes, and say what
// they could not keep (SPEC PA1–PA4). Server-side DOM here (linkedom), as an
// import reads HTML; the browser's in the paste e2e (tests/e2e/paste.test.ts).

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../tests/fixtures/paste');

/** The server's reading of HTML: linkedom, then the schema package's transform. */
function convert(html: string) {
  return fromHtml('html', html, []);
}

function fixture(name: string) {
  return convert(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

function textOf(node: JSONContent): string {
  return node.text ?? (node.content ?? []).map(textOf).join('');
}

/** The body as indented lines: `heading 2: Text`, `bulletList` / `  listItem: Text`, `table` / `  tableHeader: Text`. */
function outline(json: JSONContent, depth = 0): string[] {
  const lines: string[] = [];
  for (const node of json.content ?? []) {
    const pad = '  '.repeat(depth);
    switch (node.type) {
      case 'heading':
        lines.push(`${pad}heading ${String(node.attrs?.['level'])}: ${textOf(node).trim()}`);
        break;
      case 'paragraph':
        lines.push(`${pad}p: ${textOf(node).replace(/\s+/g, ' ').trim()}`);
        break;
      case 'listItem':
      case 'tableCell':
      case 'tableHeader': {
        const [first, ...rest] = node.content ?? [];
        lines.push(`${pad}${node.type}: ${first ? textOf(first).replace(/\s+/g, ' ').trim() : ''}`);
        lines.push(...outline({ content: rest }, depth + 1));
        break;
      }
      case 'orderedList': {
        const start = node.attrs?.['start'] as number;
        const type = node.attrs?.['type'] as string | null;
        lines.push(`${pad}orderedList${start !== 1 ? ` start=${start}` : ''}${type ? ` type=${type}` : ''}`, ...outline(node, depth + 1));
        break;
      }
      default:
        lines.push(`${pad}${node.type ?? '?'}`, ...outline(node, depth + 1));
    }
  }
  return lines;
}

/** Text runs carrying `mark`. */
function marked(json: JSONContent, mark: string): string[] {
  const out: string[] = [];
  const walk = (n: JSONContent) => {
    if (n.text !== undefined && (n.marks ?? []).some((m) => m.type === mark)) out.push(n.text);
    for (const c of n.content ?? []) walk(c);
  };
  walk(json);
  return out;
}

function links(json: JSONContent): string[] {
  const out: string[] = [];
  const walk = (n: JSONContent) => {
    for (const m of n.marks ?? []) if (m.type === 'link') out.push(`${n.text} → ${String(m.attrs?.['href'])}`);
    for (const c of n.content ?? []) walk(c);
  };
  walk(json);
  return out;
}

describe('paste from Word', () => {
  const { json, notices } = fixture('word.html');

  it('keeps headings (h5 and h6 as the deepest level), lists with their numbering, the table with its header row', () => {
    expect(outline(json)).toEqual([
      'heading 1: Main session on digital cooperation',
      'p: The session was chaired by the Host Country and moderated remotely; see the IGF website. Participation reached 1st place among sessions, and emissions were counted as CO2.1 Speakers stressed urgency. Highlighted.',
      'heading 2: Key takeaways',
      'bulletList',
      '  listItem: Meaningful access is more than connectivity.',
      '    bulletList',
      '      listItem: Affordability of devices.',
      '  listItem: Skills matter as much as networks.',
      'heading 3: Calls to action',
      'orderedList start=3',
      '  listItem: Governments should publish open data.',
      '    orderedList type=a',
      '      listItem: In machine-readable formats.',
      '  listItem: The private sector should share research.',
      'heading 4: Participation',
      'heading 4: By stakeholder group',
      'heading 4: Onsite and online',
      'table',
      '  tableRow',
      '    tableHeader: Stakeholder group',
      '    tableHeader: Participants',
      '  tableRow',
      '    tableCell: Civil society',
      '    tableCell: 42',
      'horizontalRule',
      'p: 1 Figures from the IGF 2026 attendance report.',
    ]);
  });

  it('keeps bold, italic, links, superscript and subscript; the footnote reference is its number in superscript', () => {
    expect(marked(json, 'bold')).toEqual(['Host Country', 'Stakeholder group', 'Participants']);
    expect(marked(json, 'italic')).toEqual(['remotely', 'IGF 2026']);
    expect(marked(json, 'superscript')).toEqual(['st', '1', '1']);
    expect(marked(json, 'subscript')).toEqual(['2']);
    expect(links(json)).toEqual(['IGF website → https://www.intgovforum.org/en']);
  });

  it('says what it did not keep: the image with its alternative text, colours and highlighting, footnotes as text', () => {
    expect(notices).toEqual([
      { code: 'images', count: 1, items: ['Map of session participants by region'] },
      { code: 'colours', count: 3 },
      { code: 'footnotes-as-text', count: 1 },
    ]);
  });
});

describe('paste from LibreOffice', () => {
  const { json, notices } = fixture('libreoffice.html');

  it('keeps headings, nested numbered lists with their type, the table header, and the footnote as text', () => {
    expect(outline(json)).toEqual([
      'heading 1: Background paper on data governance',
      'p: Members agreed on three principles and one open question, noting the Global Digital Compact. The 2nd draft used H2O as an example.1 Urgent: review by Friday.',
      'heading 2: Principles',
      'orderedList',
      '  listItem: Data should serve people.',
      '    orderedList type=a',
      '      listItem: Especially the unconnected.',
      '  listItem: Cross-border flows need trust.',
      'bulletList',
      '  listItem: Open question: who audits?',
      'heading 3: Evidence',
      'heading 4: Survey',
      'heading 4: Method',
      'table',
      '  tableRow',
      '    tableHeader: Region',
      '    tableHeader: Responses',
      '  tableRow',
      '    tableCell: African Group',
      '    tableCell: 118',
      'horizontalRule',
      'p: 1 Survey of member states, March 2026.',
    ]);
    expect(marked(json, 'superscript')).toEqual(['nd', '1', '1']);
    expect(marked(json, 'subscript')).toEqual(['2']);
    expect(marked(json, 'bold')).toContain('three principles');
    expect(links(json)).toEqual(['Global Digital Compact → https://www.un.org/digital-compact']);
    expect(notices).toEqual([
      { code: 'images', count: 1, items: ['Bar chart of survey responses by region'] },
      { code: 'colours', count: 2 },
      { code: 'footnotes-as-text', count: 1 },
    ]);
  });
});

describe('paste from Google Docs', () => {
  const { json, notices } = fixture('google-docs.html');

  it('drops the docs-internal-guid wrapper’s “bold”, keeps styled spans as marks and nested lists', () => {
    expect(outline(json)).toEqual([
      "heading 1: Chair's summary",
      'p: The forum met in plenary and in parallel tracks; read the programme. It was the 19th meeting; CH4 figures came late.1 Draft wording.',
      'heading 2: Messages',
      'bulletList',
      '  listItem: Trust is built locally.',
      '    bulletList',
      '      listItem: Through community networks.',
      '  listItem: Standards need wide input.',
      'heading 3: Recommendations',
      'orderedList type=a',
      '  listItem: Fund local networks.',
      '  listItem: Publish results openly.',
      'heading 4: Annex',
      'heading 4: Speakers',
      'heading 4: By session',
      'table',
      '  tableRow',
      '    tableCell: Session',
      '    tableCell: Speakers',
      '  tableRow',
      '    tableCell: Opening',
      '    tableCell: 7',
      'horizontalRule',
      'p: 1 Methane data from the secretariat.',
    ]);
    expect(marked(json, 'bold')).toEqual(['plenary', 'Session', 'Speakers']);
    expect(marked(json, 'italic')).toEqual(['parallel tracks', 'By session']);
    expect(marked(json, 'underline')).toEqual([]);
    expect(marked(json, 'superscript')).toEqual(['th', '1', '1']);
    expect(marked(json, 'subscript')).toEqual(['4']);
    expect(links(json)).toEqual(['programme → https://www.intgovforum.org/en/content/igf-2026']);
    // Grey headings are Google Docs' default style, not a colour anyone chose.
    expect(notices).toEqual([
      { code: 'images', count: 1, items: ['Photo of the opening plenary'] },
      { code: 'colours', count: 1 },
      { code: 'footnotes-as-text', count: 1 },
    ]);
  });
});

describe('HTML that converters make', () => {
  it('mammoth’s footnotes (an ordered list of notes linked both ways)', () => {
    const { json, notices } = convert(
      '<p>Text<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> more.</p><ol><li id="footnote-1"><p>The note. <a href="#footnote-ref-1">↑</a></p></li></ol>',
    );
    expect(outline(json)).toEqual(['p: Text1 more.', 'horizontalRule', 'p: 1 The note.']);
    expect(notices).toEqual([{ code: 'footnotes-as-text', count: 1 }]);
  });

  it('pandoc’s footnotes (a section of notes with back links)', () => {
    const { json } = convert(
      '<p>Text<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a>.</p><section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr /><ol><li id="fn1"><p>First note.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p><p>Its second paragraph.</p></li></ol></section>',
    );
    expect(outline(json)).toEqual(['p: Text1.', 'horizontalRule', 'p: 1 First note.', 'p: Its second paragraph.']);
  });

  it('an internal link that is not a footnote stays text, and embedded objects are said', () => {
    const { json, notices } = convert('<p><a href="#intro">See the introduction</a></p><h2 id="intro">Introduction</h2><iframe src="https://example.org/video"></iframe><video src="a.mp4"></video>');
    expect(outline(json)).toEqual(['p: See the introduction', 'heading 2: Introduction']);
    expect(notices).toEqual([{ code: 'embedded', count: 2 }]);
  });

  it('a page of our own (no colours, images or notes) says nothing', () => {
    const { notices } = convert('<h1 dir="auto">Title</h1><p dir="auto"><strong>a</strong> <a href="https://x.org">b</a></p>');
    expect(notices).toEqual([]);
  });
});

