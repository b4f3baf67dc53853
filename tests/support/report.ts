import type { ConsensusMarker } from '@rapporteur/protocol';
import * as Y from 'yjs';

// A session report as the export and publication tests use it (issue 10).

export const divergence: ConsensusMarker = {
  level: 'divergence',
  basis: 'chair-designation',
  basisNote: 'discussion in session, 12 March',
  views: [
    { text: 'Platforms should carry liability for amplified content.', groups: ['government', 'civil-society'] },
    { text: 'Liability would chill lawful speech.', groups: ['private-sector', 'technical-community'] },
  ],
};

export const ARABIC = 'أكد المشاركون على أهمية الوصول إلى الإنترنت';
export const ARABIC_WORD = 'المشاركون';
export const ARABIC_HEADING = 'ملخص الجلسة';

/** A session report: headings, a link, both list kinds, a table with a header row, an Arabic paragraph, a divergence marker, guidance. */
export function fillReport(body: Y.XmlFragment): void {
  const el = (type: string, attrs: Record<string, unknown>, children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement => {
    const e = new Y.XmlElement(type);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as never);
    e.insert(0, children);
    return e;
  };
  const text = (s: string, format?: Record<string, unknown>): Y.XmlText => {
    const t = new Y.XmlText();
    t.insert(0, s, format);
    return t;
  };
  const p = (s: string, attrs: Record<string, unknown> = {}) => el('paragraph', attrs, [text(s)]);
  const linked = new Y.XmlText();
  linked.insert(0, 'See the ');
  linked.insert(8, 'IGF website', { link: { href: 'https://www.intgovforum.org/' } });
  linked.insert(19, ' for the session recording.', { link: null });
  const cell = (type: string, s: string) => el(type, {}, [p(s)]);
  body.insert(0, [
    el('heading', { level: 2 }, [text('Key takeaways')]),
    el('paragraph', {}, [linked]),
    p('Liability of platforms for amplified content', { consensus: divergence }),
    el('bulletList', {}, [el('listItem', {}, [p('Bullet about access')]), el('listItem', {}, [p('Bullet about rights')])]),
    el('orderedList', { start: 1 }, [el('listItem', {}, [p('First numbered step')]), el('listItem', {}, [p('Second numbered step')])]),
    el('heading', { level: 3 }, [text('Participation')]),
    el('table', {}, [
      el('tableRow', {}, [cell('tableHeader', 'Stakeholder group'), cell('tableHeader', 'Participants')]),
      el('tableRow', {}, [cell('tableCell', 'Civil society'), cell('tableCell', '42')]),
    ]),
    el('heading', { level: 3 }, [text(ARABIC_HEADING)]),
    p(ARABIC, { dir: 'rtl' }),
    p('Closing remarks to be written', { guidance: 'GUIDANCE-NEVER-EXPORTED write the closing here' }),
  ]);
}
