import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import { docToMarkdown } from './index';
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

const md = (...blocks: Parameters<typeof doc>) => docToMarkdown(yDocFromJSON(doc(...blocks)));
const link = (href: string, title?: string) => ({ type: 'link', attrs: { href, title } });

describe('docToMarkdown blocks', () => {
  it('empty document gives an empty string', () => {
    expect(docToMarkdown(new Y.Doc())).toBe('');
  });

  it('paragraphs are separated by a blank line', () => {
    expect(md(p('one'), p('two'))).toBe('one\n\ntwo\n');
  });

  it.each([1, 2, 3, 4])('heading %i', (level) => {
    expect(md(h(level, 'Key takeaways'))).toBe(`${'#'.repeat(level)} Key takeaways\n`);
  });

  it('bullet list, with a nested list', () => {
    expect(md(ul(li(p('a'), ul(li(p('a1')))), li(p('b'))))).toBe('- a\n  - a1\n- b\n');
  });

  it('ordered list numbers from its start', () => {
    expect(md(ol(li(p('a')), li(p('b'))))).toBe('1. a\n2. b\n');
    expect(md({ type: 'orderedList', attrs: { start: 3 }, content: [li(p('c'))] })).toBe('3. c\n');
  });

  it('list item with two paragraphs indents the second', () => {
    expect(md(ol(li(p('a'), p('more'))))).toBe('1. a\n\n   more\n');
  });

  it('blockquote', () => {
    expect(md(blockquote(p('a'), p('b')))).toBe('> a\n>\n> b\n');
  });

  it('fenced code keeps its text raw and outgrows backtick runs inside', () => {
    expect(md(codeBlock('ts', 'const a = 1 * 2;'))).toBe('```ts\nconst a = 1 * 2;\n```\n');
    expect(md(codeBlock(null, 'a ``` b'))).toBe('````\na ``` b\n````\n');
  });

  it('horizontal rule', () => {
    expect(md(p('a'), hr(), p('b'))).toBe('a\n\n---\n\nb\n');
  });

  it('hard break as backslash-newline', () => {
    expect(md(p('a', br(), 'b'))).toBe('a\\\nb\n');
  });

  it('table as a GFM table, first row as header', () => {
    expect(
      md(table(tr(th(p('Group')), th(p('Count'))), tr(td(p('civil-society')), td(p('12'))), tr(td(p('a', br(), 'b')), td(p('x|y'))))),
    ).toBe('| Group | Count |\n| --- | --- |\n| civil-society | 12 |\n| a<br>b | x\\|y |\n');
  });

  it('table cell spanning two columns keeps the grid rectangular', () => {
    expect(
      md(table(tr(th(p('A')), th(p('B'))), tr({ type: 'tableCell', attrs: { colspan: 2 }, content: [p('wide')] }))),
    ).toBe('| A | B |\n| --- | --- |\n| wide |  |\n');
  });
});

describe('docToMarkdown marks', () => {
  it.each([
    ['bold', '**x**'],
    ['italic', '*x*'],
    ['strike', '~~x~~'],
    ['code', '`x`'],
    ['underline', '<u>x</u>'],
    ['superscript', '<sup>x</sup>'],
    ['subscript', '<sub>x</sub>'],
  ] as const)('%s', (mark, expected) => {
    expect(md(p('a ', text('x', mark), ' b'))).toBe(`a ${expected} b\n`);
  });

  it('nests marks over adjacent text nodes', () => {
    expect(md(p(text('a', 'bold'), text('b', 'bold', 'italic'), text('c', 'bold')))).toBe('**a*b*c**\n');
  });

  it('moves spaces outside emphasis', () => {
    expect(md(p('a', text(' b ', 'bold'), 'c'))).toBe('a **b** c\n');
  });

  it('links, with title and awkward characters in the href', () => {
    expect(md(p(text('IGF', link('https://www.intgovforum.org/')), ' ', text('x', link('https://e.org/a b(c)', 'T "q"'))))).toBe(
      '[IGF](https://www.intgovforum.org/) [x](https://e.org/a%20b%28c%29 "T \\"q\\"")\n',
    );
  });

  it('bold link', () => {
    expect(md(p(text('IGF', link('https://igf.org'), 'bold')))).toBe('[**IGF**](https://igf.org)\n');
  });

  it('code span containing backticks', () => {
    expect(md(p(text('a`b', 'code')))).toBe('``a`b``\n');
  });

  it('drops unsafe links but keeps their text', () => {
    expect(md(p(text('x', link('javascript:alert(1)'))))).toBe('x\n');
  });
});

describe('docToMarkdown escaping', () => {
  it.each([
    ['*not bold*', '\\*not bold\\*'],
    ['_not italic_', '\\_not italic\\_'],
    ['snake_case stays', 'snake_case stays'],
    ['[not](a link)', '\\[not\\](a link)'],
    ['`not code`', '\\`not code\\`'],
    ['<b>not html</b>', '\\<b>not html\\</b>'],
    ['~~not struck~~', '\\~\\~not struck\\~\\~'],
    ['back\\slash', 'back\\\\slash'],
    ['&copy; not an entity', '\\&copy; not an entity'],
    ['# not a heading', '\\# not a heading'],
    ['- not a list', '\\- not a list'],
    ['+ not a list', '\\+ not a list'],
    ['1. not a list', '1\\. not a list'],
    ['> not a quote', '\\> not a quote'],
    ['a # b - c 1. d', 'a # b - c 1. d'],
  ])('%s', (input, expected) => {
    expect(md(p(input))).toBe(`${expected}\n`);
  });

  it('escapes line starts after a hard break', () => {
    expect(md(p('a', br(), '# b'))).toBe('a\\\n\\# b\n');
  });

  it('escapes a trailing # in a heading', () => {
    expect(md(h(2, 'Item #'))).toBe('## Item \\#\n');
  });

  it('ignores direction and block ids', () => {
    expect(md(pAttrs({ dir: 'rtl', blockId: 'x' }, 'مرحبا'))).toBe('مرحبا\n');
  });
});
