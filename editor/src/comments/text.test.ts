import { MENTION_PATTERN, mentionedUserIds } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { insertMention, MENTION, mentionQuery, mentionText, parseCommentBody, plainBody } from './text';

describe('comment bodies', () => {
  it('uses the protocol mention pattern', () => {
    expect(MENTION.source).toBe(MENTION_PATTERN.source);
    expect(MENTION.flags).toBe(MENTION_PATTERN.flags);
  });

  it('splits text, mentions and links, and keeps markup as text', () => {
    expect(parseCommentBody('Thanks @[Amina Diallo](u_1)! See https://www.intgovforum.org/en/about. <script>alert(1)</script>')).toEqual([
      { kind: 'text', text: 'Thanks ' },
      { kind: 'mention', name: 'Amina Diallo', userId: 'u_1' },
      { kind: 'text', text: '! See ' },
      { kind: 'link', href: 'https://www.intgovforum.org/en/about' },
      { kind: 'text', text: '. <script>alert(1)</script>' },
    ]);
  });

  it('never links anything but http and https, and keeps balanced parentheses', () => {
    expect(parseCommentBody('javascript:alert(1) data:text/html,x')).toEqual([{ kind: 'text', text: 'javascript:alert(1) data:text/html,x' }]);
    expect(parseCommentBody('(see https://en.wikipedia.org/wiki/IGF_(forum)).')).toEqual([
      { kind: 'text', text: '(see ' },
      { kind: 'link', href: 'https://en.wikipedia.org/wiki/IGF_(forum)' },
      { kind: 'text', text: ').' },
    ]);
    expect(parseCommentBody('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('reads mentions as @Name', () => {
    expect(plainBody('Ask @[Bruno](u2) and @[Chen](u3).')).toBe('Ask @Bruno and @Chen.');
  });
});

describe('typing a mention', () => {
  it('finds the mention being typed', () => {
    expect(mentionQuery('Hello @Am', 9)).toEqual({ start: 6, query: 'Am' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail me at a@b', 14)).toBeNull();
    expect(mentionQuery('Hello @Amina\nnext', 17)).toBeNull();
    expect(mentionQuery('no at sign', 5)).toBeNull();
  });

  it('inserts a mention that parses back to the member', () => {
    const { value, caret } = insertMention('Hello @Am and more', 6, 9, 'Amina [Chair]', 'u_1');
    expect(value).toBe('Hello @[Amina Chair](u_1) and more');
    expect(caret).toBe('Hello @[Amina Chair](u_1) '.length);
    expect(mentionedUserIds(value)).toEqual(['u_1']);
    expect(mentionText('', 'u9')).toBe('@[u9](u9)');
  });
});
