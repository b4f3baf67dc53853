import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CommentBody } from './CommentBody';

describe('CommentBody', () => {
  it('renders markup as text, mentions as names and only http(s) addresses as links that pass nothing on', () => {
    const html = renderToStaticMarkup(
      <CommentBody body={'<script>alert(1)</script> <img src=x onerror=alert(2)> @[Amina <b>](u1) https://example.org/a?b=1&c=2 javascript:alert(3)'} />,
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<span class="mention" data-user-id="u1">@Amina &lt;b&gt;</span>');
    expect(html).toContain('<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">https://example.org/a?b=1&amp;c=2</a>');
    expect(html).not.toContain('href="javascript');
    expect(html.match(/<a /g)).toHaveLength(1);
  });
});
