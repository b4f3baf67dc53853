import { describe, expect, it } from 'vitest';
import { parseLinkInput } from './link';

describe('parseLinkInput', () => {
  it.each([
    ['https://www.intgovforum.org/en', 'https://www.intgovforum.org/en'],
    ['  http://example.org/a?b=c#d  ', 'http://example.org/a?b=c#d'],
    ['HTTPS://Example.org', 'https://example.org/'],
    ['mailto:secretariat@example.org', 'mailto:secretariat@example.org'],
    ['intgovforum.org', 'https://intgovforum.org/'],
    ['www.un.org/en/about', 'https://www.un.org/en/about'],
    ['rapporteur@example.org', 'mailto:rapporteur@example.org'],
  ])('accepts %s', (input, href) => {
    expect(parseLinkInput(input)).toEqual({ kind: 'link', href });
  });

  it('treats an empty address as "remove the link"', () => {
    expect(parseLinkInput('   ')).toEqual({ kind: 'empty' });
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'file:///etc/passwd',
    'ftp://example.org',
    '/relative/path',
    '//example.org',
    'not a link',
    'https://',
    'http:example.org',
    'mailto:',
    'https://exa mple.org',
  ])('refuses %s', (input) => {
    expect(parseLinkInput(input)).toEqual({ kind: 'invalid' });
  });
});
