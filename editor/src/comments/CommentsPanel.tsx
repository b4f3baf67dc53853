import type { ApiClient, CommentPeriod, MemberUser, User } from '@rapporteur/client/http';
import type { CommentAnchor, Role } from '@rapporteur/protocol';
import { DISPOSITIONS, REGIONS, STAKEHOLDER_GROUPS } from '@rapporteur/protocol';
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { commentAbilities } from '../document/role';
import { CommentExports } from './CommentExports';
import type { PanelContext } from './context';
import type { CommentsController } from './controller';
import { useCommentsSnapshot, useNow, usePositions, useSelection } from './hooks';
import { MentionTextarea } from './MentionTextarea';
import { ParticipationPanel } from './ParticipationPanel';
import { commentBlock, nextPeriodChange, periodState } from './period';
import { PeriodNotice } from './PeriodNotice';
import { PendingItem, ThreadView } from './ThreadView';
import { DEFAULT_FILTERS, type Filters, filterThreads, isFiltered, nextThreadIndex, orderThreads, threadAuthors } from './threads';

const COLLAPSED_KEY = 'rapporteur:comments-panel-collapsed';

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeCollapsed(collapsed: boolean): void {
  try {
    if (collapsed) localStorage.setItem(COLLAPSED_KEY, '1');
    else localStorage.removeItem(COLLAPSED_KEY);
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

function Composer({ anchor, ctx, onClose }: { anchor: CommentAnchor; ctx: PanelContext; onClose: (sent: boolean) => void }) {
  const { t } = useTranslation();
  const ids = { body: useId(), suggestion: useId(), suggestionHint: useId(), heading: useId() };
  const [body, setBody] = useState('');
  const [suggestion, setSuggestion] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (!body.trim()) {
      setProblem(t('comments.bodyRequired'));
      inputRef.current?.focus();
      return;
    }
    ctx.controller.store.addComment({ anchor, body: body.trim(), suggestion: suggestion.trim() ? suggestion : null });
    ctx.announce(ctx.controller.store.getSnapshot().online ? t('comments.commentSending') : t('comments.savedOffline'));
    onClose(true);
  };
  return (
    <form
      className="comment-form composer"
      onSubmit={submit}
      aria-labelledby={ids.heading}
      data-testid="comment-composer"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose(false);
        }
        // Ctrl/⌘+Enter sends from either field, as it does in the comment itself.
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
          event.preventDefault();
          submit();
        }
      }}
    >
      <h3 id={ids.heading} className="composer__heading">
        {anchor.type === 'block' || anchor.quote.length === 0 ? t('comments.newOnBlock') : t('comments.newOnPassage')}
      </h3>
      {anchor.quote && <blockquote className="thread__quote">{anchor.quote}</blockquote>}
      <label htmlFor={ids.body}>{t('comments.bodyLabel')}</label>
      <MentionTextarea
        id={ids.body}
        textareaRef={inputRef}
        value={body}
        onValueChange={(v) => {
          setBody(v);
          if (problem) setProblem(null);
        }}
        loadMembers={ctx.loadMembers}
        selfId={ctx.user?.id ?? null}
        onSubmitShortcut={submit}
        rows={4}
        maxLength={10_000}
        aria-invalid={problem ? true : undefined}
        data-testid="comment-input"
      />
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <label htmlFor={ids.suggestion}>{t('comments.suggestionLabel')}</label>
      <textarea
        id={ids.suggestion}
        value={suggestion}
        onChange={(e) => setSuggestion(e.target.value)}
        rows={2}
        maxLength={10_000}
        aria-describedby={ids.suggestionHint}
        data-testid="comment-suggestion-input"
      />
      <p id={ids.suggestionHint} className="field__hint">
        {t('comments.suggestionHint')}
      </p>
      <div className="comment-form__actions">
        <button type="submit" className="button button--small button--primary" data-testid="comment-submit">
          {t('comments.submit')}
        </button>
        <button type="button" className="button button--small" onClick={() => onClose(false)} data-testid="comment-cancel">
          {t('comments.cancel')}
        </button>
      </div>
    </form>
  );
}

function FilterBar({
  filters,
  setFilters,
  authors,
  hiddenResolved,
}: {
  filters: Filters;
  setFilters: (f: Filters) => void;
  authors: Array<{ id: string; name: string }>;
  hiddenResolved: number;
}) {
  const { t } = useTranslation();
  const ids = { status: useId(), group: useId(), region: useId(), author: useId() };
  const active = [filters.status !== 'all', filters.group !== '', filters.region !== '', filters.author !== '', filters.suggestion].filter(Boolean).length;
  return (
    <div className="comment-filters">
      <details className="comment-filters__more" open={active > 0 || undefined}>
        <summary data-testid="comment-filter-toggle">{active > 0 ? t('comments.filters.summaryActive', { count: active }) : t('comments.filters.summary')}</summary>
        <fieldset className="comment-filters__fields" data-testid="comment-filters">
          <legend className="visually-hidden">{t('comments.filters.legend')}</legend>
          <div className="comment-filters__row">
            <label htmlFor={ids.status}>{t('comments.filters.status')}</label>
            <select id={ids.status} value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as Filters['status'] })} data-testid="comment-filter-status">
              <option value="all">{t('comments.filters.all')}</option>
              {DISPOSITIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`comments.status.${d}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="comment-filters__row">
            <label htmlFor={ids.group}>{t('comments.filters.group')}</label>
            <select id={ids.group} value={filters.group} onChange={(e) => setFilters({ ...filters, group: e.target.value as Filters['group'] })} data-testid="comment-filter-group">
              <option value="">{t('comments.filters.everyone')}</option>
              {STAKEHOLDER_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`stakeholder.name.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="comment-filters__row">
            <label htmlFor={ids.region}>{t('comments.filters.region')}</label>
            <select id={ids.region} value={filters.region} onChange={(e) => setFilters({ ...filters, region: e.target.value as Filters['region'] })} data-testid="comment-filter-region">
              <option value="">{t('comments.filters.everywhere')}</option>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`region.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="comment-filters__row">
            <label htmlFor={ids.author}>{t('comments.filters.author')}</label>
            <select id={ids.author} value={filters.author} onChange={(e) => setFilters({ ...filters, author: e.target.value })} data-testid="comment-filter-author">
              <option value="">{t('comments.filters.everyone')}</option>
              {authors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <label className="comment-filters__check">
            <input type="checkbox" checked={filters.suggestion} onChange={(e) => setFilters({ ...filters, suggestion: e.target.checked })} data-testid="comment-filter-suggestion" />
            {t('comments.filters.suggestion')}
          </label>
          {active > 0 && (
            <button type="button" className="button button--small" onClick={() => setFilters({ ...DEFAULT_FILTERS, showResolved: filters.showResolved })} data-testid="comment-filter-reset">
              {t('comments.filters.reset')}
            </button>
          )}
        </fieldset>
      </details>
      <label className="comment-filters__check">
        <input type="checkbox" checked={filters.showResolved} onChange={(e) => setFilters({ ...filters, showResolved: e.target.checked })} data-testid="comment-filter-resolved" />
        {t('comments.filters.showResolved')}
        {hiddenResolved > 0 && <span className="comment-filters__count"> ({t('comments.filters.hiddenCount', { count: hiddenResolved })})</span>}
      </label>
    </div>
  );
}

export interface CommentsPanelProps {
  readonly controller: CommentsController;
  readonly api: ApiClient;
  readonly documentId: string;
  readonly title: string;
  readonly role: Role | undefined;
  readonly user: User | null;
  readonly period: CommentPeriod | null | undefined;
  /** May write the text (editors and owners): accepting suggestions. */
  readonly canEdit: boolean;
  /** The text has synced with the server: a passage not found now was deleted (before, it may not have arrived). */
  readonly textSynced: boolean;
}

/**
 * The comments beside the text: an `aside` with a heading, collapsible;
 * the Comment button and box; threads in document order with filters;
 * keyboard movement between threads (j/k or arrows, Enter into a thread,
 * Escape back to the text); and the exports and participation figures.
 */
export function CommentsPanel({ controller, api, documentId, title, role, user, period, canEdit, textSynced }: CommentsPanelProps) {
  const { t } = useTranslation();
  const snapshot = useCommentsSnapshot(controller);
  const selection = useSelection(controller);
  const activeId = selection.id;
  const handledSelection = useRef(0);
  const positions = usePositions(controller);
  const ids = { heading: useId(), body: useId(), hint: useId() };
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [composer, setComposer] = useState<CommentAnchor | null>(null);
  const [composerProblem, setComposerProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const commentButton = useRef<HTMLButtonElement | null>(null);
  const articles = useRef(new Map<string, HTMLElement>());

  const now = useNow(useCallback((n: number) => nextPeriodChange(period, n), [period]));
  const state = periodState(period, now);
  const can = useMemo(() => commentAbilities(role), [role]);
  const block = commentBlock(can, state);

  const membersCache = useRef<Promise<readonly MemberUser[]> | null>(null);
  const loadMembers = useCallback(() => {
    membersCache.current ??= api.listMembers(documentId).then((members) => members.map((m) => m.user));
    membersCache.current.catch(() => (membersCache.current = null));
    return membersCache.current;
  }, [api, documentId]);

  const announce = useCallback((message: string) => {
    // Cleared first, so the same message is announced again.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  const ctx: PanelContext = useMemo(
    () => ({ controller, api, documentId, user, can, canEdit, block, loadMembers, onChanged: (c) => controller.store.upsert(c), announce }),
    [controller, api, documentId, user, can, canEdit, block, loadMembers, announce],
  );

  const ordered = useMemo(() => orderThreads(snapshot.threads, positions), [snapshot.threads, positions]);
  const { visible, hiddenResolved } = useMemo(() => filterThreads(ordered, filters, activeId), [ordered, filters, activeId]);
  const authors = useMemo(() => threadAuthors(snapshot.threads), [snapshot.threads]);
  const pendingThreads = snapshot.outbox.filter((e) => e.parentId === null);

  const openComposer = useCallback(() => {
    setCollapsed(false);
    writeCollapsed(false);
    const anchor = controller.anchorForComment();
    if (!anchor) {
      setComposerProblem(t('comments.noAnchor'));
      return;
    }
    setComposerProblem(null);
    setComposer(anchor);
  }, [controller, t]);

  // Ctrl/⌘+Alt+M in the text.
  useEffect(() => controller.onCommentRequest(() => block === null && openComposer()), [controller, block, openComposer]);
  // A closed period closes the box.
  useEffect(() => {
    if (block !== null) setComposer(null);
  }, [block]);

  // A thread chosen in the text or by a link: bring it into view, once per choice (the selected thread is never filtered out).
  useEffect(() => {
    const { id, source, seq } = selection;
    if (!id || source === 'panel' || handledSelection.current === seq) return;
    if (collapsed) {
      setCollapsed(false);
      return;
    }
    const el = articles.current.get(id);
    if (!el) return; // not rendered yet: a later render brings it
    handledSelection.current = seq;
    el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    if (source === 'link') el.focus({ preventScroll: true });
  }, [selection, visible, collapsed]);

  const focusThread = (index: number): void => {
    const thread = visible[index];
    if (!thread) return;
    controller.select(thread.comment.id, 'panel');
    articles.current.get(thread.comment.id)?.focus();
  };

  const onThreadKeyDown = (index: number) => (event: KeyboardEvent<HTMLElement>) => {
    const article = event.currentTarget;
    if (event.target !== article) {
      // Inside the thread: Escape comes back to it.
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        article.focus();
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      controller.focusEditor();
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const id = visible[index]?.comment.id ?? null;
      controller.select(id, 'panel');
      // After the thread unfolds: into its reply box, else its first field or button.
      requestAnimationFrame(() => (article.querySelector<HTMLElement>('.reply-form textarea') ?? article.querySelector<HTMLElement>('textarea, select, input, button'))?.focus());
      return;
    }
    const next = nextThreadIndex(index, visible.length, event.key);
    if (next === null) return;
    event.preventDefault();
    focusThread(next);
  };

  const activeIndex = visible.findIndex((v) => v.comment.id === activeId);
  const tabbableIndex = activeIndex >= 0 ? activeIndex : 0;
  const count = snapshot.threads.length;
  const toggle = (): void => {
    setCollapsed(!collapsed);
    writeCollapsed(!collapsed);
  };

  return (
    <aside className="comments-panel" aria-labelledby={ids.heading} data-testid="comments-panel" data-live={snapshot.live || undefined} data-status={snapshot.status}>
      <div className="comments-panel__header">
        <h2 id={ids.heading} className="comments-panel__heading">
          {t('comments.heading')} <span className="comments-panel__count">({count})</span>
        </h2>
        <div className="comments-panel__tools">
          {can.comment && (
            <button
              type="button"
              ref={commentButton}
              className="button button--small button--primary"
              // Keeps the selection in the text: the comment is about it.
              onMouseDown={(event) => event.preventDefault()}
              onClick={openComposer}
              disabled={block !== null}
              aria-keyshortcuts="Control+Alt+M Meta+Alt+M"
              title={t('comments.commentButtonHint')}
              data-testid="comment-button"
            >
              {t('comments.commentButton')}
            </button>
          )}
          <button type="button" className="button button--small" aria-expanded={!collapsed} aria-controls={ids.body} onClick={toggle} data-testid="comments-toggle">
            {collapsed ? t('comments.panelShow') : t('comments.panelHide')}
          </button>
        </div>
      </div>
      <PeriodNotice state={state} />
      {block !== null && block !== 'notAllowed' && (
        <p className="notice comments-panel__blocked" data-testid="comment-blocked" data-reason={block}>
          {t(block === 'closed' ? 'comments.blocked.closed' : 'comments.blocked.notYetOpen')}
        </p>
      )}
      {composerProblem && (
        <p className="field__error" role="alert">
          {composerProblem}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="comments-announcer">
        {announcement}
      </p>
      <div id={ids.body} className="comments-panel__body" hidden={collapsed}>
        {composer && (
          <Composer
            anchor={composer}
            ctx={ctx}
            onClose={() => {
              setComposer(null);
              commentButton.current?.focus();
            }}
          />
        )}
        {(!snapshot.online || (!snapshot.live && snapshot.status === 'ready')) && (
          <p className="comments-panel__stream" data-testid="comments-offline">
            {snapshot.online ? t('comments.reconnecting') : t('comments.offline')}
          </p>
        )}
        {pendingThreads.length > 0 && (
          <section className="pending-threads" aria-label={t('comments.pendingHeading')}>
            <h3 className="comments-panel__subheading">{t('comments.pendingHeading')}</h3>
            {pendingThreads.map((entry) => (
              <PendingItem key={entry.clientKey} entry={entry} ctx={ctx}>
                {entry.anchor?.quote && <blockquote className="thread__quote">{entry.anchor.quote}</blockquote>}
              </PendingItem>
            ))}
          </section>
        )}
        {snapshot.status === 'loading' && (
          <p className="notice" role="status" data-testid="comments-loading">
            {t('comments.loading')}
          </p>
        )}
        {snapshot.status === 'error' && (
          <div className="notice notice--error" role="alert" data-testid="comments-error">
            <p>{t('comments.loadError', { message: snapshot.error ?? '' })}</p>
            <button type="button" className="button button--small" onClick={() => controller.store.reload()}>
              {t('comments.retry')}
            </button>
          </div>
        )}
        {snapshot.status === 'ready' && count === 0 && pendingThreads.length === 0 && (
          <p className="comments-panel__empty" data-testid="comments-empty">
            {can.comment ? t('comments.empty') : t('comments.emptyReader')}
          </p>
        )}
        {count > 0 && <FilterBar filters={filters} setFilters={setFilters} authors={authors} hiddenResolved={hiddenResolved} />}
        {count > 0 && (
          <>
            <p id={ids.hint} className="comments-panel__hint">
              {t('comments.keyboardHint')}
            </p>
            {visible.length === 0 && (
              <p className="comments-panel__empty" data-testid="comments-none-match">
                {hiddenResolved > 0 && !isFiltered(filters) ? t('comments.allResolved', { count: hiddenResolved }) : t('comments.noneMatch')}
              </p>
            )}
            <ol className="threads" aria-label={t('comments.listLabel')} aria-describedby={ids.hint}>
              {visible.map((thread, index) => (
                <li key={thread.comment.id}>
                  <ThreadView
                    thread={thread}
                    textSynced={textSynced}
                    pendingReplies={snapshot.outbox.filter((e) => e.parentId === thread.comment.id)}
                    active={thread.comment.id === activeId}
                    tabbable={index === tabbableIndex}
                    ctx={ctx}
                    articleRef={(el) => {
                      if (el) articles.current.set(thread.comment.id, el);
                      else articles.current.delete(thread.comment.id);
                    }}
                    onSelect={() => controller.select(thread.comment.id, 'panel')}
                    onKeyDown={onThreadKeyDown(index)}
                  />
                </li>
              ))}
            </ol>
          </>
        )}
        <CommentExports api={api} documentId={documentId} title={title} />
        <ParticipationPanel api={api} documentId={documentId} commentCount={snapshot.comments.length} />
      </div>
    </aside>
  );
}
