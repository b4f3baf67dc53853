import type { DiffChange, HistoryAuthor, HistoryEntry } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { appendEntries, auditActionKey, auditDetails, authorsText, authorText, changeLabelKey, changesByAuthor, changesBySection, comparePoints, historyAbilities, sessionTime } from './history';

const amina: HistoryAuthor = { id: 'u1', name: 'Amina Diallo', stakeholderGroup: 'civil-society' };
const bruno: HistoryAuthor = { id: 'u2', name: 'Bruno', stakeholderGroup: 'government' };
const entry = (id: string): HistoryEntry => ({ id, from: '2026-03-01T14:02:00Z', to: '2026-03-01T14:31:00Z', author: amina, authors: [amina], changes: 1 });
const change = (type: DiffChange['type'], text: string, author: HistoryAuthor | null, section: number | null = null): DiffChange => ({
  type,
  text,
  author,
  block: null,
  section,
});

describe('changesBySection', () => {
  it('sums the changes under each heading in document order, with who made them, leaving out sections without changes', () => {
    const sections = [
      { block: 'h-a', heading: 'Key takeaways' },
      { block: 'h-b', heading: 'Calls to action' },
      { block: 'h-c', heading: 'Way forward' },
    ];
    const summary = changesBySection({
      sections,
      changes: [
        change('insert', 'Opening', bruno, null),
        change('insert', 'abc', amina, 2),
        change('delete', 'xy', bruno, 0),
        change('insert', 'defg', amina, 0),
      ],
    });
    expect(summary).toEqual([
      { section: null, inserted: 7, deleted: 0, authors: [{ author: bruno, inserted: 7, deleted: 0 }] },
      {
        section: sections[0],
        inserted: 4,
        deleted: 2,
        authors: [
          { author: amina, inserted: 4, deleted: 0 },
          { author: bruno, inserted: 0, deleted: 2 },
        ],
      },
      { section: sections[2], inserted: 3, deleted: 0, authors: [{ author: amina, inserted: 3, deleted: 0 }] },
    ]);
  });
});

describe('historyAbilities', () => {
  it('lets members read, and only editors and owners name versions and restore', () => {
    expect(historyAbilities('owner')).toEqual({ read: true, change: true });
    expect(historyAbilities('editor')).toEqual({ read: true, change: true });
    expect(historyAbilities('commenter')).toEqual({ read: true, change: false });
    expect(historyAbilities('viewer')).toEqual({ read: true, change: false });
    expect(historyAbilities(undefined)).toEqual({ read: false, change: false });
  });
});

describe('appendEntries', () => {
  it('adds a page after the shown entries without repeating any', () => {
    expect(appendEntries([entry('h9'), entry('h5')], [entry('h5'), entry('h3')]).map((e) => e.id)).toEqual(['h9', 'h5', 'h3']);
  });
});

describe('sessionTime', () => {
  it('shows only the times for a session of today, and the date otherwise', () => {
    const now = new Date('2026-03-01T18:00:00');
    expect(sessionTime('en-GB', '2026-03-01T14:02:00', '2026-03-01T14:31:00', now)).toBe('14:02–14:31');
    expect(sessionTime('en-GB', '2026-02-27T09:05:00', '2026-02-27T09:05:00', now)).toBe('27 Feb 2026, 09:05');
  });

  it('keeps what the server said when it is not a date', () => {
    expect(sessionTime('en', 'soon', 'soon', new Date())).toBe('soon');
  });
});

describe('authorText', () => {
  it('names the author and the group in words', () => {
    const group = (g: string): string => ({ 'civil-society': 'Civil society' })[g] ?? g;
    expect(authorText(amina, group, 'Unknown')).toBe('Amina Diallo · Civil society');
    expect(authorText(null, group, 'Unknown')).toBe('Unknown');
  });
});

describe('changesByAuthor', () => {
  it('counts characters inserted and deleted per author, most first', () => {
    const summary = changesByAuthor([change('insert', 'abc', bruno), change('delete', 'wxyz', amina), change('insert', 'é🌍', amina), change('delete', 'q', null)]);
    expect(summary).toEqual([
      { author: amina, inserted: 2, deleted: 4 },
      { author: bruno, inserted: 3, deleted: 0 },
      { author: null, inserted: 0, deleted: 1 },
    ]);
  });
});

describe('changeLabelKey', () => {
  it('says when an insertion accepted someone else’s suggestion', () => {
    expect(changeLabelKey(change('insert', 'a', amina))).toBe('history.insertedBy');
    expect(changeLabelKey({ ...change('insert', 'a', amina), suggestedBy: bruno })).toBe('history.insertedBySuggestion');
    expect(changeLabelKey({ ...change('insert', 'a', amina), suggestedBy: null })).toBe('history.insertedBy');
    expect(changeLabelKey(change('delete', 'a', amina))).toBe('history.deletedBy');
  });
});

describe('comparePoints', () => {
  it('compares from the earlier point to the later one, or to now', () => {
    const version = { id: 'v1', at: '2026-03-01T14:40:00Z' };
    const session = { id: 'h12', at: '2026-03-01T14:31:00Z' };
    expect(comparePoints(version, null)).toEqual(['v1', 'current']);
    expect(comparePoints(version, session)).toEqual(['h12', 'v1']);
    expect(comparePoints(session, version)).toEqual(['h12', 'v1']);
    expect(comparePoints(session, { id: 'h13', at: session.at })).toEqual(['h12', 'h13']);
  });
});

describe('audit', () => {
  it('has words for the actions the server records, and the code for others', () => {
    expect(auditActionKey('version.restored')).toBe('history.audit.action.version.restored');
    expect(auditActionKey('something.new')).toBeNull();
    // Workflow moves and deadlines (SPEC WF1, WF6) are named too.
    expect(auditActionKey('status.changed')).toBe('history.audit.action.status.changed');
    expect(auditActionKey('deadline.cleared')).toBe('history.audit.action.deadline.cleared');
  });

  it('writes details as text', () => {
    expect(auditDetails({ name: 'Draft 1', seq: 42, from: null, extra: undefined })).toBe('name: Draft 1 · seq: 42 · from: null');
    expect(auditDetails({})).toBe('');
  });
});

describe('authorsText', () => {
  const group = (g: HistoryAuthor['stakeholderGroup']) => g.toUpperCase();
  it('names one author as authorText does, and several as a list in the reader’s language', () => {
    expect(authorsText('en', [amina], group, 'Unknown')).toBe(authorText(amina, group, 'Unknown'));
    expect(authorsText('en', [amina, bruno], group, 'Unknown')).toBe('Amina Diallo · CIVIL-SOCIETY and Bruno · GOVERNMENT');
    expect(authorsText('fr', [amina, null, bruno], group, 'Inconnu')).toBe('Amina Diallo · CIVIL-SOCIETY, Inconnu et Bruno · GOVERNMENT');
    expect(authorsText('en', [], group, 'Unknown')).toBe('Unknown');
  });
});
