import { CONSENSUS_LEVELS, type ConsensusMarker } from '@rapporteur/protocol';
import { Editor } from '@tiptap/core';
import type { JSONContent } from '@tiptap/core';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

import {
  bodyFragment,
  bodySchema,
  CONSENSUS_MESSAGES_EN,
  docToHtml,
  docToJSON,
  docToMarkdown,
  markedPassages,
  markerWording,
  readinessProblems,
  schemaExtensions,
  toConsensusMarker,
} from './index';
import { doc, h, li, p, pAttrs, ul, yDocFromJSON } from './testing';

const divergence: ConsensusMarker = {
  level: 'divergence',
  basis: 'chair-designation',
  basisNote: 'discussion in session, 12 March',
  views: [
    { text: 'Platforms should be liable.', groups: ['government', 'civil-society'] },
    { text: 'Liability would chill speech.', groups: ['private-sector'] },
  ],
};

const marked = (marker: unknown, ...children: string[]) => pAttrs({ consensus: marker, blockId: 'b1' }, ...children);

describe('consensus attribute through a Y.Doc (y-tiptap)', () => {
  it('keeps an object-valued marker on its block both ways, and across an encoded update', () => {
    const ydoc = yDocFromJSON(doc(p('intro'), marked(divergence, 'Liability of platforms')));
    const element = bodyFragment(ydoc).get(1) as Y.XmlElement;
    expect(element.getAttribute('consensus')).toEqual(divergence);

    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
    const json = docToJSON(copy);
    expect(json.content?.[1]?.attrs?.['consensus']).toEqual(divergence);
    expect(json.content?.[0]?.attrs?.['consensus']).toBeNull();
  });

  it('is not rewritten when the editor syncs an unchanged document back (no update, so nothing to attribute)', () => {
    const ydoc = yDocFromJSON(doc(marked(divergence, 'text')));
    const fragment = bodyFragment(ydoc);
    const node = yXmlFragmentToProseMirrorRootNode(fragment, bodySchema());
    let updates = 0;
    ydoc.on('update', () => updates++);
    updateYFragment(ydoc, fragment, node, { mapping: new Map(), isOMark: new Map() });
    expect(updates).toBe(0);
  });

  it('is set and removed by the setConsensusMarker command, on the list item around a list paragraph', () => {
    const editor = new Editor({
      element: null,
      extensions: schemaExtensions({ uniqueIds: false }),
      content: doc(ul(li(p('first')), li(p('second')))),
      enableCoreExtensions: { keymap: false },
    });
    editors.push(editor);
    // Inside "second": doc > bulletList > listItem > paragraph.
    editor.commands.setTextSelection(14);
    expect(editor.commands.setConsensusMarker({ ...divergence, setBy: 'forged' } as ConsensusMarker)).toBe(true);
    const items: JSONContent[] = editor.getJSON().content?.[0]?.content ?? [];
    expect(items[1]?.attrs?.['consensus']).toEqual(divergence);
    expect(items[0]?.attrs?.['consensus']).toBeNull();
    editor.commands.setConsensusMarker(null);
    const after: JSONContent[] = editor.getJSON().content?.[0]?.content ?? [];
    expect(after[1]?.attrs?.['consensus']).toBeNull();
  });
});

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

describe('toConsensusMarker (sanitize)', () => {
  it('drops unknown keys, so a forged author in the attribute says nothing', () => {
    expect(toConsensusMarker({ ...divergence, setBy: 'u1', at: 5 })).toEqual(divergence);
    expect(toConsensusMarker({ level: 'consensus', basis: 'in-room-check', views: [{ text: 'x', groups: [], who: 'y' }] })).toEqual({
      level: 'consensus',
      basis: 'in-room-check',
      views: [{ text: 'x', groups: [] }],
    });
  });

  it('narrows anything invalid to null', () => {
    for (const bad of [
      null,
      'consensus',
      42,
      [],
      { level: 'unanimous', basis: 'chair-designation' },
      { level: 'consensus' },
      { level: 'consensus', basis: 'vibes' },
      { level: 'divergence', basis: 'chair-designation', views: [{ text: 'a', groups: ['aliens'] }] },
      { level: 'divergence', basis: 'chair-designation', views: 'many' },
    ]) {
      expect(toConsensusMarker(bad)).toBeNull();
    }
  });

  it('reads the JSON of a pasted data-consensus attribute', () => {
    expect(toConsensusMarker(JSON.stringify(divergence))).toEqual(divergence);
    expect(toConsensusMarker('{not json')).toBeNull();
  });

  it('is applied by docToJSON to what a client wrote into the Y.Doc', () => {
    const ydoc = yDocFromJSON(doc(p('a'), p('b')));
    const [first, second] = bodyFragment(ydoc).toArray() as Y.XmlElement[];
    first!.setAttribute('consensus', { level: 'nonsense' } as never);
    second!.setAttribute('consensus', { ...divergence, setBy: 'forged' } as never);
    const json = docToJSON(ydoc);
    expect(json.content?.[0]?.attrs?.['consensus']).toBeNull();
    expect(json.content?.[1]?.attrs?.['consensus']).toEqual(divergence);
  });
});

describe('markerWording', () => {
  it('gives every level a label and a standard sentence for a passage and a section, all distinct', () => {
    const labels = new Set<string>();
    const sentences = new Set<string>();
    for (const level of CONSENSUS_LEVELS) {
      const passage = markerWording({ level, basis: 'in-room-check' }, { scope: 'passage' });
      const section = markerWording({ level, basis: 'in-room-check' }, { scope: 'section' });
      expect(passage.label).toBe(CONSENSUS_MESSAGES_EN.level[level].label);
      expect(passage.wording).toMatch(/this passage/i);
      expect(section.wording).toMatch(/this section/i);
      expect(passage.wording).toMatch(/\.$/);
      labels.add(passage.label);
      sentences.add(passage.wording);
    }
    expect(labels.size).toBe(CONSENSUS_LEVELS.length);
    expect(sentences.size).toBe(CONSENSUS_LEVELS.length);
    expect(markerWording({ level: 'consensus', basis: 'in-room-check' }).wording).toMatch(/^There was broad agreement on this passage/);
  });

  it('phrases the basis with its note and names the groups holding each view', () => {
    const w = markerWording(divergence);
    expect(w.basis).toBe("Basis: chair's designation — discussion in session, 12 March");
    expect(markerWording({ level: 'consensus', basis: 'comment-period' }).basis).toBe('Basis: comment period');
    expect(w.views.map((v) => v.heldBy)).toEqual(['Held by: Government and Civil society', 'Held by: Private sector']);
    expect(markerWording({ ...divergence, views: [{ text: 'x', groups: [] }] }).views[0]?.heldBy).toBe('Held by: not stated');
  });

  it('takes its strings from a translator by key, so another language can replace the catalog', () => {
    const keys: string[] = [];
    markerWording(divergence, { t: (key) => (keys.push(key), key) });
    expect(keys).toEqual(
      expect.arrayContaining(['level.divergence.label', 'level.divergence.passage', 'basis.chair-designation', 'basisLineWithNote', 'group.government', 'heldBy']),
    );
  });
});

describe('exports render markers', () => {
  it('HTML: a note after the block with the label as text, wording, basis and each view with its groups, escaped', () => {
    const html = docToHtml(
      yDocFromJSON(
        doc(marked({ ...divergence, views: [...divergence.views!, { text: '<script>x</script> & "q"', groups: ['media'] }] }, 'Liability')),
      ),
    );
    expect(html).toContain('<p data-block-id="b1"');
    expect(html).toMatch(/<\/p><div class="consensus-marker" role="note" data-consensus-level="divergence" aria-label="Consensus marker: Divergence">/);
    expect(html).toContain('<p><strong>Divergence.</strong> Views diverged on this passage: no single position had strong support.</p>');
    expect(html).toContain('<p>Basis: chair&#39;s designation — discussion in session, 12 March</p>');
    expect(html).toContain('<li><p>Platforms should be liable.</p><p>Held by: Government and Civil society</p></li>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;');
    expect(html).not.toContain('<script>');
  });

  it('HTML: a heading marker speaks of its section; a list item marker ends the item', () => {
    const html = docToHtml(
      yDocFromJSON(
        doc(
          { type: 'heading', attrs: { level: 2, consensus: { level: 'consensus', basis: 'in-room-check' } }, content: [{ type: 'text', text: 'Agreement' }] },
          ul({ type: 'listItem', attrs: { consensus: { level: 'minority-view', basis: 'source-reports', views: [{ text: 'Only some.', groups: [] }] } }, content: [p('item')] }),
        ),
      ),
    );
    expect(html).toMatch(/<h2[^>]*>Agreement<\/h2><div class="consensus-marker"[^>]*><p><strong>Consensus\.<\/strong> There was broad agreement on this section/);
    expect(html).toMatch(/<li[^>]*><p[^>]*>item<\/p><div class="consensus-marker"[^>]*>.*<\/div><\/li>/);
  });

  it('HTML: the consensus summary lists every marked passage in document order, and is absent without markers', () => {
    const html = docToHtml(yDocFromJSON(doc(marked(divergence, 'Liability of platforms'), pAttrs({ consensus: { level: 'full-consensus', basis: 'in-room-check' } }, 'Open standards'))));
    const summary = html.slice(html.indexOf('<section class="consensus-summary"'));
    expect(summary).toContain('<h2 id="consensus-summary-title">Consensus summary</h2>');
    expect(summary.indexOf('Liability of platforms')).toBeLessThan(summary.indexOf('Open standards'));
    expect(summary).toContain('<td>Full consensus</td>');
    expect(docToHtml(yDocFromJSON(doc(p('plain'))))).not.toContain('consensus');
  });

  it('Markdown: a blockquote after the block, and the summary at the end', () => {
    const md = docToMarkdown(yDocFromJSON(doc(h(2, 'Liability'), marked(divergence, 'Platforms and liability'), p('after'))));
    expect(md).toBe(
      [
        '## Liability',
        '',
        'Platforms and liability',
        '',
        '> **Divergence.** Views diverged on this passage: no single position had strong support.\\',
        "> Basis: chair's designation — discussion in session, 12 March",
        '>',
        '> Views expressed:',
        '>',
        '> 1. Platforms should be liable.\\',
        '>    Held by: Government and Civil society',
        '> 2. Liability would chill speech.\\',
        '>    Held by: Private sector',
        '',
        'after',
        '',
        '## Consensus summary',
        '',
        "- **Divergence**: “Platforms and liability” — Basis: chair's designation — discussion in session, 12 March",
        '  - Platforms should be liable. (Held by: Government and Civil society)',
        '  - Liability would chill speech. (Held by: Private sector)',
        '',
      ].join('\n'),
    );
  });

  it('Markdown: a list item marker stays inside its item; a heading marker speaks of its section', () => {
    const md = docToMarkdown(
      yDocFromJSON(
        doc(
          { type: 'heading', attrs: { level: 2, consensus: { level: 'consensus', basis: 'in-room-check' } }, content: [{ type: 'text', text: 'Agreement' }] },
          ul({ type: 'listItem', attrs: { consensus: { level: 'not-assessed', basis: 'source-reports' } }, content: [p('item')] }, li(p('next'))),
        ),
      ),
      { consensusSummary: false },
    );
    expect(md).toBe(
      [
        '## Agreement',
        '',
        '> **Consensus.** There was broad agreement on this section, though a small number of participants may have disagreed.\\',
        '> Basis: in-room check',
        '',
        '- item',
        '',
        '  > **Not assessed.** The level of agreement on this passage was not assessed.\\',
        '  > Basis: source reports',
        '- next',
        '',
      ].join('\n'),
    );
  });

  it('Markdown: Markdown in view text is escaped, a multi-line view stays in the quote', () => {
    const md = docToMarkdown(yDocFromJSON(doc(marked({ ...divergence, views: [{ text: '# not a heading\n*two*', groups: [] }] }, 'x'))));
    expect(md).toContain('> 1. \\# not a heading\\\n>    \\*two\\*\\\n>    Held by: not stated');
  });
});

describe('readiness: marker-views-missing', () => {
  it('names a divergence or minority view without views, or with an empty view, by its passage', () => {
    const body = doc(
      pAttrs({ blockId: 'ok', consensus: divergence }, 'fine'),
      pAttrs({ blockId: 'none', consensus: { level: 'divergence', basis: 'in-room-check' } }, 'A passage with no views at all'),
      pAttrs({ blockId: 'empty', consensus: { level: 'minority-view', basis: 'in-room-check', views: [{ text: '  ', groups: ['media'] }] } }, 'Empty view'),
      pAttrs({ blockId: 'opp', consensus: { level: 'strong-support-with-opposition', basis: 'in-room-check' } }, 'Optional views'),
      pAttrs({ blockId: 'oppEmpty', consensus: { level: 'strong-support-with-opposition', basis: 'in-room-check', views: [{ text: '', groups: [] }] } }, 'Opposition left blank'),
    );
    expect(readinessProblems(body).filter((r) => r.code === 'marker-views-missing')).toEqual([
      { code: 'marker-views-missing', blockId: 'none', passage: 'A passage with no views at all' },
      { code: 'marker-views-missing', blockId: 'empty', passage: 'Empty view' },
      { code: 'marker-views-missing', blockId: 'oppEmpty', passage: 'Opposition left blank' },
    ]);
  });

  it('quotes a long passage short, and a heading by its title', () => {
    const long = 'word '.repeat(40);
    const passages = markedPassages(doc(pAttrs({ consensus: { level: 'consensus', basis: 'in-room-check' } }, long)));
    expect(passages[0]?.passage.length).toBeLessThanOrEqual(81);
    expect(passages[0]?.passage.endsWith('…')).toBe(true);
  });
});
