import { escapeHtml } from '@rapporteur/schema';
import type { PublicationRecord } from '../storage/PublicationStore';
import { formatDate, pageLabel, pageTranslator, type PageTranslate } from './labels';
import { PAGE_CSS, renderPage } from './page';

/** A publication's permanent address. */
export function publicationPath(documentId: string, number: number): string {
  return `/p/${encodeURIComponent(documentId)}/${number}`;
}

const DOWNLOADS = ['pdf', 'docx', 'odt', 'md', 'html'] as const;

/**
 * A publication's page (SPEC PUB2): the frozen main part stored when it was
 * published, inside today's frame — withdrawal and "corrected by" notices,
 * downloads of the stored files, and links to the document's other
 * publications the reader may see. No script; works without JavaScript.
 */
export function publicationPage(options: {
  readonly publication: PublicationRecord;
  /** The stored main part, byte for byte as published. */
  readonly main: string;
  /** The document's publications this reader may see (this one included), oldest first. */
  readonly siblings: readonly PublicationRecord[];
  /** The document's language (SPEC L8). */
  readonly lang?: string;
  readonly t?: PageTranslate;
}): string {
  const t = options.t ?? pageTranslator(options.lang ?? 'en');
  const p = options.publication;
  const here = publicationPath(p.documentId, p.number);
  const link = (n: number) => `<a href="${publicationPath(p.documentId, n)}">${escapeHtml(t('header.publication', { number: n }))}</a>`;
  const notices: string[] = [];
  let alert = false;
  if (p.withdrawn) {
    alert = true;
    notices.push(
      `<p><strong>${escapeHtml(t('publication.withdrawn', { date: formatDate(p.withdrawn.at, options.lang) }))}</strong></p>`,
      `<p>${escapeHtml(t('publication.withdrawnReason', { reason: p.withdrawn.reason }))}</p>`,
    );
  }
  // A sentence with a link in it: the label is escaped whole, then the link takes its placeholder's place.
  const withLink = (key: string, n: number) => escapeHtml(t(key, { link: '\u0000' })).replace('\u0000', link(n));
  for (const erratum of options.siblings.filter((s) => s.corrects === p.number)) {
    notices.push(`<p class="corrected-by">${withLink('publication.correctedBy', erratum.number)}</p>`);
  }
  if (p.corrects !== null && options.siblings.some((s) => s.number === p.corrects)) {
    notices.push(`<p class="corrects">${withLink('publication.correctsLink', p.corrects)}</p>`);
  }
  const before = notices.length === 0 ? '' : `<div class="page-notice${alert ? ' page-notice--alert' : ''}" role="note">${notices.join('')}</div>`;
  const downloads = DOWNLOADS.map((f) => `<li><a href="${here}?format=${f}" download>${escapeHtml(t(`publication.format.${f}`))}</a></li>`).join('');
  const list = options.siblings
    .map((s) => {
      const label = escapeHtml(t('header.publication', { number: s.number }));
      const date = escapeHtml(formatDate(s.publishedAt, options.lang));
      const state = s.withdrawn ? ` (${escapeHtml(t('publication.withdrawnShort'))})` : '';
      return s.number === p.number
        ? `<li><a href="${here}" aria-current="page">${label}</a>, ${date}${state} ${escapeHtml(t('publication.thisOne'))}</li>`
        : `<li><a href="${publicationPath(s.documentId, s.number)}">${label}</a>, ${date}${state}</li>`;
    })
    .join('');
  const after = [
    `<nav class="page-nav page-downloads" aria-labelledby="downloads-title"><h2 id="downloads-title">${escapeHtml(t('publication.downloads'))}</h2><ul>${downloads}</ul></nav>`,
    `<nav class="page-nav" aria-labelledby="publications-title"><h2 id="publications-title">${escapeHtml(t('publication.other'))}</h2><ul>${list}</ul></nav>`,
  ].join('\n');
  return renderPage({
    header: { title: p.title, date: p.publishedAt, label: t('header.publication', { number: p.number }) },
    main: options.main,
    ...(before ? { before } : {}),
    after,
    t,
    ...(options.lang ? { lang: options.lang } : {}),
  });
}

/** The page for an address that is not a publication the reader may see (404): says so, and how to sign in. */
export function notFoundPage(t: PageTranslate = pageLabel): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(t('publication.notFoundTitle'))}</title><style>${PAGE_CSS}</style></head>`,
    `<body><main><h1>${escapeHtml(t('publication.notFoundTitle'))}</h1><p>${escapeHtml(t('publication.notFound'))} <a href="/">${escapeHtml(t('publication.signIn'))}</a></p></main></body>`,
    '</html>',
    '',
  ].join('\n');
}
