import type { SessionType, Speaker, TemplateNode } from '@rapporteur/protocol';

/** The words the pre-filled report needs, in the report's language. */
export interface PrefillWords {
  readonly sessionType: (type: SessionType) => string;
  readonly stakeholderGroup: (group: Speaker['stakeholderGroup']) => string;
  readonly region: (region: Speaker['region']) => string;
}

export interface PrefillSession {
  readonly title: string;
  readonly type: SessionType;
  readonly organisers: readonly string[];
  readonly speakers: readonly Speaker[];
}

const text = (value: string): TemplateNode[] => (value === '' ? [] : [{ type: 'text', text: value }]);
const paragraph = (value: string): TemplateNode => ({ type: 'paragraph', content: text(value) });

/**
 * The session-report template's content with the session's own facts in its
 * fields (issue 11, SPEC EV4): `session-title`, `session-type`, `organisers`
 * (one item each) and `speakers` (a row each: name, organisation left
 * empty, stakeholder group and region in words). Other fields keep their
 * guidance and stay empty for the rapporteur; a field the template lacks is
 * skipped, so an administrator's edited template still works.
 */
export function prefillSessionReport(content: readonly TemplateNode[], session: PrefillSession, words: PrefillWords): TemplateNode[] {
  return content.map((node) => {
    const field = node.attrs?.field;
    switch (field) {
      case 'session-title':
        return node.type === 'paragraph' ? { ...node, content: text(session.title) } : node;
      case 'session-type':
        return node.type === 'paragraph' ? { ...node, content: text(words.sessionType(session.type)) } : node;
      case 'organisers':
        if ((node.type !== 'bulletList' && node.type !== 'orderedList') || session.organisers.length === 0) return node;
        return { ...node, content: session.organisers.map((o) => ({ type: 'listItem', content: [paragraph(o)] })) };
      case 'speakers': {
        if (node.type !== 'table' || session.speakers.length === 0) return node;
        const [header, ...rest] = node.content ?? [];
        const columns = rest[0]?.content?.length ?? header?.content?.length ?? 4;
        const rows = session.speakers.map((s) => {
          const cells = [s.name, '', words.stakeholderGroup(s.stakeholderGroup), words.region(s.region)].slice(0, columns);
          while (cells.length < columns) cells.push('');
          return { type: 'tableRow', content: cells.map((c) => ({ type: 'tableCell', content: [paragraph(c)] })) };
        });
        return { ...node, content: [...(header ? [header] : []), ...rows] };
      }
      default:
        return node;
    }
  });
}
