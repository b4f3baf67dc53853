import type { CommentView } from '@rapporteur/protocol';
import { directionOf, translatorFor } from '@rapporteur/i18n';
import { escapeHtml, FOOTNOTE_TYPE } from '@rapporteur/schema';
import { documentMainHtml, type JSONContent } from './page';

/**
 * The document's own link, `/d/<id>`, as the server sends it (issue 13):
 * the text, the comments and — for people who may — a form to comment on a
 * paragraph, all inside the editor's root element. It reads with JavaScript
 * off, or on a slow link before the editor's scripts arrive; when they run,
 * React replaces the root's content with the full editor. Everything from
 * the document or a person is escaped (the schema renderer and escapeHtml).
 */

/**
 * The part of the page made from the document's text alone (`readerText`):
 * the same for every reader of one state of the document in its language,
 * so the route keeps it between requests (`ReaderTextCache`).
 */
export interface ReaderText {
  /** The text, rendered by packages/schema, inside `<main>` with its language. */
  readonly mainHtml: string;
  /** The `<option>`s of the comment form: each paragraph one may comment on, with a short quote. */
  readonly blockOptionsHtml: string;
}

/** Renders the text of `body` in the document's `language` (SPEC L8) for the reader page. */
export function readerText(body: JSONContent, language: string | undefined): ReaderText {
  return {
    mainHtml: `<main${language ? ` lang="${escapeHtml(language)}" dir="${directionOf(language)}"` : ''}>${documentMainHtml(body, { consensusSummary: false, language: language ?? 'en' })}</main>`,
    blockOptionsHtml: commentableBlocks(body)
      .map((b) => `<option value="${escapeHtml(b.blockId)}">${escapeHtml(b.quote)}</option>`)
      .join('\n'),
  };
}

export interface ReaderPageInput {
  readonly title: string;
  /** The document's text (`readerText`). */
  readonly text: ReaderText;
  readonly comments: readonly CommentView[];
  /** What the reader may do here without JavaScript. */
  readonly can: { readonly comment: boolean; readonly signIn: boolean };
  readonly documentId: string;
  /** A problem with the last form sent, to say on the page. */
  readonly problem?: string | null;
  /** A comment just posted (its id), to say so. */
  readonly posted?: boolean;
}

/** Styles of the pre-rendered reader, scoped to it so they never touch the editor that replaces it. */
const READER_CSS = `
.reader-page { max-inline-size: 48rem; margin-inline: auto; padding: 1rem; font-family: system-ui, sans-serif; line-height: 1.5; color: #1b2430; }
.reader-page h1 { font-size: 1.6rem; }
.reader-page table { border-collapse: collapse; inline-size: 100%; }
.reader-page th, .reader-page td { border: 1px solid #444; padding: 0.3rem 0.5rem; text-align: start; vertical-align: top; }
.reader-page blockquote { margin-inline: 0; padding-inline-start: 0.75rem; border-inline-start: 4px solid #8a94a3; }
.reader-page .footnote-ref a { text-decoration: none; padding-inline: 0.1em; }
.reader-page .footnotes { font-size: 0.9rem; }
.reader-page .consensus-marker { border: 1px solid #444; border-inline-start-width: 5px; padding: 0.5rem 0.75rem; margin-block: 0.25rem 1rem; }
.reader-page section { border-block-start: 1px solid #c9d0da; margin-block-start: 2rem; }
.reader-page .reader-comment { border: 1px solid #c9d0da; padding: 0.5rem 0.75rem; margin-block: 0.5rem; }
.reader-page label { display: block; font-weight: 600; margin-block: 0.75rem 0.25rem; }
.reader-page select, .reader-page textarea, .reader-page input { inline-size: 100%; max-inline-size: 40rem; font: inherit; padding: 0.4rem; }
.reader-page button { margin-block-start: 0.75rem; font: inherit; padding: 0.4rem 1rem; }
.reader-page .reader-notice { border: 2px solid #0b5394; padding: 0.5rem 0.75rem; }
.reader-page .reader-problem { border: 2px solid #a4161a; padding: 0.5rem 0.75rem; }
.reader-page main > * { content-visibility: auto; contain-intrinsic-size: auto 3lh; }
`;

/** Translates a catalog key (packages/i18n) in the reader's language (SPEC L7). */
export type ReaderTranslate = (key: string, values?: Record<string, unknown>) => string;

const english: ReaderTranslate = (key, values) => translatorFor('en')(key, { ...values }) as string;

function commentHtml(c: CommentView, replies: readonly CommentView[], t: ReaderTranslate): string {
  const who = (v: CommentView): string => `${escapeHtml(v.author.name)} · ${escapeHtml(t(`stakeholder.name.${v.author.stakeholderGroup}`))}`;
  return [
    `<article class="reader-comment" id="comment-${escapeHtml(c.id)}" data-comment-id="${escapeHtml(c.id)}">`,
    `<p><strong>${who(c)}</strong> — ${escapeHtml(t(`comments.status.${c.status}`))}</p>`,
    c.anchor?.quote ? `<blockquote>${escapeHtml(c.anchor.quote)}</blockquote>` : '',
    `<p dir="auto">${escapeHtml(c.body)}</p>`,
    c.suggestion ? `<p><em>${escapeHtml(t('server.export.suggestedWording'))}</em> <span dir="auto">${escapeHtml(c.suggestion)}</span></p>` : '',
    c.response ? `<p><em>${escapeHtml(t('server.reader.response'))}</em> <span dir="auto">${escapeHtml(c.response)}</span></p>` : '',
    ...replies.map((r) => `<p class="reader-reply"><strong>${who(r)}</strong>: <span dir="auto">${escapeHtml(r.body)}</span></p>`),
    '</article>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The reader's content for the editor's root element. */
export function readerPageHtml(input: ReaderPageInput, t: ReaderTranslate = english): string {
  const threads = input.comments.filter((c) => c.parentId === null && !c.hidden);
  const repliesOf = (id: string): CommentView[] => input.comments.filter((c) => c.parentId === id && !c.hidden);
  const form = input.can.comment
    ? [
        `<form method="post" action="/d/${escapeHtml(input.documentId)}/comments" class="reader-form">`,
        `<h3>${escapeHtml(t('server.reader.commentOnParagraph'))}</h3>`,
        `<label for="reader-block">${escapeHtml(t('server.reader.paragraph'))}</label>`,
        '<select id="reader-block" name="blockId" required>',
        input.text.blockOptionsHtml,
        '</select>',
        `<label for="reader-body">${escapeHtml(t('server.reader.yourComment'))}</label>`,
        '<textarea id="reader-body" name="body" rows="4" maxlength="10000" required dir="auto"></textarea>',
        `<button type="submit">${escapeHtml(t('server.reader.postComment'))}</button>`,
        '</form>',
      ].join('\n')
    : input.can.signIn
      ? signInFormHtml(input.documentId, t('server.reader.signInToComment'), t)
      : '';
  return [
    `<style>${READER_CSS}</style>`,
    '<div class="reader-page" data-testid="reader-page">',
    `<h1>${escapeHtml(input.title)}</h1>`,
    input.problem ? `<p class="reader-problem" role="alert">${escapeHtml(input.problem)}</p>` : '',
    input.posted ? `<p class="reader-notice" role="status">${escapeHtml(t('server.reader.posted'))}</p>` : '',
    // The text in the document's own language, the page around it in the reader's (SPEC L7, L8).
    input.text.mainHtml,
    '<section id="comments" aria-labelledby="reader-comments-heading">',
    `<h2 id="reader-comments-heading">${escapeHtml(t('server.reader.comments', { count: threads.length }))}</h2>`,
    threads.length === 0 ? `<p>${escapeHtml(t('server.reader.noComments'))}</p>` : threads.map((c) => commentHtml(c, repliesOf(c.id), t)).join('\n'),
    form,
    '</section>',
    '</div>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function signInFormHtml(documentId: string, heading: string, t: ReaderTranslate): string {
  return [
    `<form method="post" action="/signin?next=${encodeURIComponent(`/d/${documentId}`)}" class="reader-form">`,
    `<h3>${escapeHtml(heading)}</h3>`,
    `<label for="reader-email">${escapeHtml(t('server.reader.email'))}</label>`,
    '<input id="reader-email" name="email" type="email" autocomplete="username" required>',
    `<label for="reader-password">${escapeHtml(t('server.reader.password'))}</label>`,
    '<input id="reader-password" name="password" type="password" autocomplete="current-password" required>',
    `<button type="submit">${escapeHtml(t('server.reader.signIn'))}</button>`,
    '</form>',
  ].join('\n');
}

/**
 * For someone not signed in who may not read the document (or when there is
 * no such document: the page says nothing either way): a sign-in form that
 * comes back here.
 */
export function signInPageHtml(documentId: string, failed: boolean, t: ReaderTranslate = english): string {
  return [
    `<style>${READER_CSS}</style>`,
    '<div class="reader-page" data-testid="reader-signin">',
    `<h1>${escapeHtml(t('server.reader.signInHeading'))}</h1>`,
    failed ? `<p class="reader-problem" role="alert">${escapeHtml(t('server.reader.wrongPassword'))}</p>` : '',
    signInFormHtml(documentId, t('server.reader.signIn'), t),
    '</div>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The app shell with `content` inside its root element (`<div id="root">`), its `<html lang dir>` the reader's language. */
export function withRootContent(shell: string, content: string, language = 'en'): string {
  return shell
    .replace(/<html[^>]*>/, () => `<html lang="${escapeHtml(language)}" dir="${directionOf(language)}">`)
    .replace(/<div id="root"><\/div>/, () => `<div id="root">${content}</div>`);
}

/** A node's text without its footnotes (notes on the text, not the passage a comment quotes). */
function runningText(node: JSONContent): string {
  return (node.text ?? '') + (node.content ?? []).map((c) => (c.type === FOOTNOTE_TYPE ? '' : runningText(c))).join('');
}

/** The paragraphs and headings of a body one may comment on (with an id), each with a short quote. */
export function commentableBlocks(body: JSONContent): Array<{ blockId: string; quote: string }> {
  const out: Array<{ blockId: string; quote: string }> = [];
  const text = runningText;
  const walk = (node: JSONContent): void => {
    const id: unknown = node.attrs?.['blockId'];
    if ((node.type === 'paragraph' || node.type === 'heading') && typeof id === 'string' && id !== '') {
      const words = text(node).trim();
      if (words !== '') out.push({ blockId: id, quote: words.length > 80 ? `${words.slice(0, 79)}…` : words });
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(body);
  return out;
}

/** The full text of one block (for a comment's quote), or null when the body has no such block. */
export function blockText(body: JSONContent, blockId: string): string | null {
  const text = runningText;
  let found: string | null = null;
  const walk = (node: JSONContent): void => {
    if (found !== null) return;
    if (node.attrs?.['blockId'] === blockId) {
      found = text(node);
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(body);
  return found;
}
