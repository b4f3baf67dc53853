import type { Connection } from '@rapporteur/client/connect';
import { directionOf, LANGUAGE_NAMES, type Language } from '@rapporteur/i18n/languages';
import { bodySchema, docToJSON } from '@rapporteur/schema';
import { DOMSerializer } from '@tiptap/pm/model';
import type { JSONContent } from '@tiptap/core';
import { useEffect, useId, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { syncScroll } from './scrollSync';
import type { TranslationController } from './TranslationController';
import { SEGMENT_TYPES } from './translations';

/** Where the page gets the original's paragraph to copy (`copySource`). */
export interface SourceAccess {
  /** The original's paragraph with this block id (ProseMirror JSON), or null. */
  block(blockId: string): JSONContent | null;
}

/** The original is drawn again this long after it last changed (someone typing in it). */
const REDRAW_MS = 250;

/**
 * The original beside the translation (SPEC LT2): its live text — read
 * only, so drawn by ProseMirror's DOM serializer from the body schema (the
 * editor's own rendering of each block, text as text nodes, links already
 * narrowed by `docToJSON`) rather than by a second editor, which would
 * bring a second editable text and its plugins — in its own language and direction, in a scroll box of its own
 * that scrolls together with the page (`syncScroll`). The paragraph being
 * translated is marked, and so are paragraphs the translation lacks. The
 * box can take the focus, so it scrolls from the keyboard too. Any change to
 * the original asks the server again where each paragraph stands.
 */
export function SourcePane({
  connection,
  language,
  title,
  controller,
  access,
}: {
  connection: Connection;
  language: Language;
  title: string;
  controller: TranslationController;
  access: { current: SourceAccess | null };
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const pane = useRef<HTMLDivElement | null>(null);
  const content = useRef<HTMLDivElement | null>(null);
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [json, setJson] = useState<JSONContent | null>(null);
  const [synced, setSynced] = useState(connection.status.synced);

  // The original as it is now, drawn again once a burst of changes settles; each change may change the statuses too.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const draw = (): void => {
      timer = null;
      setJson(docToJSON(connection.doc));
    };
    const changed = (): void => {
      controller.schedule();
      if (timer === null) timer = setTimeout(draw, REDRAW_MS);
    };
    draw();
    connection.doc.on('update', changed);
    return () => {
      connection.doc.off('update', changed);
      if (timer !== null) clearTimeout(timer);
    };
  }, [connection, controller]);

  useEffect(() => {
    const check = (s: { synced: boolean }): void => setSynced(s.synced);
    check(connection.status);
    return connection.subscribe(check);
  }, [connection]);

  useEffect(() => {
    access.current = { block: (blockId) => (json ? findSegment(json, blockId) : null) };
    return () => {
      access.current = null;
    };
  }, [access, json]);

  // Drawn again when the original changes.
  useLayoutEffect(() => {
    const root = content.current;
    if (!root || !json) return;
    const schema = bodySchema();
    root.replaceChildren(DOMSerializer.fromSchema(schema).serializeFragment(schema.nodeFromJSON(json).content));
  }, [json]);

  // Mark the paragraph at the caret of the translation, and those the translation lacks.
  const current = snapshot.current?.blockId ?? null;
  const missing = snapshot.view?.newInSource;
  useLayoutEffect(() => {
    const root = content.current;
    if (!root) return;
    const lacking = new Set(missing ?? []);
    let currentEl: HTMLElement | null = null;
    for (const el of root.querySelectorAll<HTMLElement>('[data-block-id]')) {
      const id = el.dataset['blockId'] ?? '';
      const isCurrent = id === current && el.matches('p, h1, h2, h3, h4, h5, h6, pre');
      el.classList.toggle('is-current', isCurrent);
      if (isCurrent) {
        el.setAttribute('aria-current', 'location');
        currentEl = el;
      } else el.removeAttribute('aria-current');
      if (lacking.has(id)) el.dataset['missing'] = 'true';
      else delete el.dataset['missing'];
    }
    const box = pane.current;
    if (currentEl && box && !isWithin(currentEl, box)) currentEl.scrollIntoView({ block: 'nearest' });
  }, [json, current, missing]);

  // Scrolling together with the page.
  const sync = useRef<ReturnType<typeof syncScroll> | null>(null);
  useEffect(() => {
    const box = pane.current;
    if (!box) return;
    const s = syncScroll(
      box,
      () => document.getElementById('document-content'),
      () => document.querySelector('.side-by-side__target .editor__chrome'),
    );
    sync.current = s;
    return () => {
      s.dispose();
      sync.current = null;
    };
  }, []);
  useEffect(() => {
    if (synced && json) sync.current?.align();
  }, [synced, json]);

  const languageName = LANGUAGE_NAMES[language];
  return (
    <section className="source-pane" aria-labelledby={headingId} data-testid="source-pane">
      <h2 id={headingId} className="source-pane__title">
        {t('translations.sourcePane', { language: languageName })}
        {' · '}
        <span className="source-pane__name" lang={language} dir="auto">
          {title}
        </span>
      </h2>
      {!synced && (
        <p className="notice" role="status">
          {t('translations.sourceLoading')}
        </p>
      )}
      <div
        ref={pane}
        className="source-pane__scroll"
        // A scroll box of its own: reachable by keyboard to scroll it, and named.
        tabIndex={0}
        role="region"
        aria-label={t('translations.sourceText', { language: languageName })}
        lang={language}
        dir={directionOf(language)}
        data-testid="source-scroll"
      >
        <div ref={content} className="document-content source-content" data-testid="source-content" />
      </div>
    </section>
  );
}

/** The paragraph (heading, code block) with this block id in a body's JSON. */
function findSegment(node: JSONContent, blockId: string): JSONContent | null {
  if (node.type && SEGMENT_TYPES.includes(node.type)) return node.attrs?.['blockId'] === blockId ? node : null;
  for (const child of node.content ?? []) {
    const found = findSegment(child, blockId);
    if (found) return found;
  }
  return null;
}

function isWithin(el: HTMLElement, box: HTMLElement): boolean {
  const r = el.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  return r.top >= b.top && r.bottom <= b.bottom;
}
