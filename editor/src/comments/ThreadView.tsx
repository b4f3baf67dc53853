import type { CommentView, Disposition } from '@rapporteur/protocol';
import { DISPOSITIONS } from '@rapporteur/protocol';
import { type FormEvent, type KeyboardEvent, type ReactNode, useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { useAuthGate } from '../session/useAuthGate';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { CommentBody } from './CommentBody';
import { mayChangeOwn, type PanelContext } from './context';
import { MentionTextarea } from './MentionTextarea';
import type { OutboxEntry } from './store';
import type { PlacedThread } from './threads';

/** The statuses an editor can set (withdrawn is the author's). */
export const SETTABLE_DISPOSITIONS = DISPOSITIONS.filter((d): d is Exclude<Disposition, 'withdrawn'> => d !== 'withdrawn');

/** Runs an API call with a busy flag and an error message; a 401 goes to sign-in. */
function useAction(): { run: (action: () => Promise<void>) => Promise<boolean>; busy: boolean; error: string | null; clear: () => void } {
  const gate = useAuthGate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
        return true;
      } catch (e) {
        if (!gate(e)) setError(errorMessage(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [gate],
  );
  return { run, busy, error, clear: useCallback(() => setError(null), []) };
}

function ActionError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="field__error" role="alert" data-testid="comment-error">
      {error}
    </p>
  );
}

/** Author (name, organisation, stakeholder group, region as the server recorded them) and time. */
export function CommentMeta({ comment, id }: { comment: CommentView; id?: string }) {
  const { t, i18n } = useTranslation();
  const { author } = comment;
  return (
    <div className="comment__meta" id={id}>
      <span className="comment__author" data-testid="comment-author">
        {author.name}
      </span>
      <StakeholderBadge group={author.stakeholderGroup} />
      <span className="comment__where">
        {author.organisation ? `${author.organisation} · ` : ''}
        {t(`region.${author.region}`)}
      </span>
      <time className="comment__time" dateTime={comment.createdAt}>
        {formatDate(i18n.language, comment.createdAt)}
      </time>
      {comment.editedAt && <span className="comment__edited">{t('comments.edited')}</span>}
    </div>
  );
}

/** The body, or what replaces it when a moderator hid it. */
function Body({ comment }: { comment: CommentView }) {
  const { t } = useTranslation();
  if (comment.hidden && comment.body === '') {
    return (
      <p className="comment__hidden" data-testid="comment-hidden">
        {t('comments.hiddenForYou', { reason: comment.hidden.reason })}
      </p>
    );
  }
  return (
    <>
      {comment.hidden && (
        <p className="comment__hidden" data-testid="comment-hidden">
          {t('comments.hiddenForOthers', { reason: comment.hidden.reason })}
        </p>
      )}
      <CommentBody body={comment.body} />
    </>
  );
}

function EditForm({ comment, ctx, onDone }: { comment: CommentView; ctx: PanelContext; onDone: () => void }) {
  const { t } = useTranslation();
  const ids = { body: useId(), suggestion: useId() };
  const [body, setBody] = useState(comment.body);
  const [suggestion, setSuggestion] = useState(comment.suggestion ?? '');
  const { run, busy, error } = useAction();
  const isThread = comment.parentId === null;
  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    const ok = await run(async () => {
      const edit = isThread ? { body, suggestion: suggestion.trim() ? suggestion : null } : { body };
      ctx.onChanged(await ctx.api.editComment(ctx.documentId, comment.id, edit));
    });
    if (ok) {
      ctx.announce(t('comments.editSaved'));
      onDone();
    }
  };
  return (
    <form className="comment-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={ids.body}>{t('comments.editLabel')}</label>
      <MentionTextarea
        id={ids.body}
        value={body}
        onValueChange={setBody}
        loadMembers={ctx.loadMembers}
        selfId={ctx.user?.id ?? null}
        onSubmitShortcut={() => void submit()}
        rows={3}
        data-testid="comment-edit-input"
      />
      {isThread && (
        <>
          <label htmlFor={ids.suggestion}>{t('comments.suggestionLabel')}</label>
          <textarea id={ids.suggestion} value={suggestion} onChange={(e) => setSuggestion(e.target.value)} rows={2} />
        </>
      )}
      <div className="comment-form__actions">
        <button type="submit" className="button button--small button--primary" disabled={busy || !body.trim()} data-testid="comment-edit-save">
          {t('comments.save')}
        </button>
        <button type="button" className="button button--small" onClick={onDone}>
          {t('comments.cancel')}
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}

function HideForm({ comment, ctx, onDone }: { comment: CommentView; ctx: PanelContext; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const { run, busy, error } = useAction();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const ok = await run(async () => ctx.onChanged(await ctx.api.hideComment(ctx.documentId, comment.id, reason.trim())));
    if (ok) {
      ctx.announce(t('comments.hiddenDone'));
      onDone();
    }
  };
  return (
    <form className="comment-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{t('comments.hideReason')}</label>
      <input id={id} type="text" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} required data-testid="comment-hide-reason" />
      <div className="comment-form__actions">
        <button type="submit" className="button button--small button--danger" disabled={busy || !reason.trim()} data-testid="comment-hide-confirm">
          {t('comments.hide')}
        </button>
        <button type="button" className="button button--small" onClick={onDone}>
          {t('comments.cancel')}
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}

/** Edit, withdraw (the author, while open), hide and unhide (moderators) for one comment or reply. */
function CommentActions({ comment, ctx }: { comment: CommentView; ctx: PanelContext }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'idle' | 'edit' | 'hide'>('idle');
  const { run, busy, error } = useAction();
  const own = mayChangeOwn(comment, ctx.user);
  if (mode === 'edit') return <EditForm comment={comment} ctx={ctx} onDone={() => setMode('idle')} />;
  if (mode === 'hide') return <HideForm comment={comment} ctx={ctx} onDone={() => setMode('idle')} />;
  if (!own && !ctx.can.moderate) return null;
  const withdraw = async (): Promise<void> => {
    if (!window.confirm(t('comments.withdrawConfirm'))) return;
    if (await run(async () => ctx.onChanged(await ctx.api.withdrawComment(ctx.documentId, comment.id)))) ctx.announce(t('comments.withdrawn'));
  };
  const unhide = async (): Promise<void> => {
    if (await run(async () => ctx.onChanged(await ctx.api.unhideComment(ctx.documentId, comment.id)))) ctx.announce(t('comments.unhiddenDone'));
  };
  return (
    <div className="comment__actions">
      {own && (
        <>
          <button type="button" className="button button--small" onClick={() => setMode('edit')} data-testid="comment-edit">
            {t('comments.edit')}
          </button>
          <button type="button" className="button button--small" onClick={() => void withdraw()} disabled={busy} data-testid="comment-withdraw">
            {t('comments.withdraw')}
          </button>
        </>
      )}
      {ctx.can.moderate &&
        (comment.hidden ? (
          <button type="button" className="button button--small" onClick={() => void unhide()} disabled={busy} data-testid="comment-unhide">
            {t('comments.unhide')}
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={() => setMode('hide')} data-testid="comment-hide">
            {t('comments.hide')}
          </button>
        ))}
      <ActionError error={error} />
    </div>
  );
}

function DispositionForm({ comment, ctx }: { comment: CommentView; ctx: PanelContext }) {
  const { t } = useTranslation();
  const ids = { status: useId(), response: useId() };
  const initial: Exclude<Disposition, 'withdrawn'> = comment.status === 'withdrawn' ? 'open' : comment.status;
  const [status, setStatus] = useState(initial);
  const [response, setResponse] = useState(comment.response ?? '');
  const { run, busy, error } = useAction();
  const accept = useAction();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const trimmed = response.trim();
    const ok = await run(async () => ctx.onChanged(await ctx.api.setDisposition(ctx.documentId, comment.id, { status, ...(trimmed ? { response: trimmed } : {}) })));
    if (ok) ctx.announce(t('comments.dispositionSaved', { status: t(`comments.status.${status}`) }));
  };
  const acceptSuggestion = async (): Promise<void> => {
    const trimmed = response.trim();
    const ok = await accept.run(async () => {
      const updated = await ctx.api.acceptSuggestion(ctx.documentId, comment.id, trimmed || undefined);
      ctx.onChanged(updated);
      setStatus('accepted');
    });
    if (ok) ctx.announce(t('comments.suggestionAccepted'));
  };
  const canAccept = ctx.canEdit && comment.suggestion !== null && comment.status === 'open' && comment.hidden === null;
  return (
    <form className="comment-form disposition" onSubmit={(e) => void submit(e)} aria-label={t('comments.dispositionForm')}>
      <label htmlFor={ids.status}>{t('comments.dispositionLabel')}</label>
      <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="disposition-select">
        {SETTABLE_DISPOSITIONS.map((d) => (
          <option key={d} value={d}>
            {t(`comments.status.${d}`)}
          </option>
        ))}
      </select>
      <label htmlFor={ids.response}>{t('comments.responseLabel')}</label>
      <textarea id={ids.response} value={response} onChange={(e) => setResponse(e.target.value)} rows={2} maxLength={10_000} data-testid="disposition-response" />
      <div className="comment-form__actions">
        <button type="submit" className="button button--small button--primary" disabled={busy} data-testid="disposition-save">
          {t('comments.saveDisposition')}
        </button>
        {canAccept && (
          <button type="button" className="button button--small" onClick={() => void acceptSuggestion()} disabled={accept.busy} data-testid="accept-suggestion">
            {t('comments.acceptSuggestion')}
          </button>
        )}
      </div>
      <ActionError error={error ?? accept.error} />
    </form>
  );
}

function ReplyForm({ thread, ctx }: { thread: CommentView; ctx: PanelContext }) {
  const { t } = useTranslation();
  const id = useId();
  const [body, setBody] = useState('');
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (!body.trim()) return;
    ctx.controller.store.addReply(thread.id, body.trim());
    setBody('');
    ctx.announce(ctx.controller.store.getSnapshot().online ? t('comments.replySending') : t('comments.savedOffline'));
  };
  return (
    <form className="comment-form reply-form" onSubmit={submit}>
      <label htmlFor={id}>{t('comments.replyLabel')}</label>
      <MentionTextarea
        id={id}
        value={body}
        onValueChange={setBody}
        loadMembers={ctx.loadMembers}
        selfId={ctx.user?.id ?? null}
        onSubmitShortcut={submit}
        rows={2}
        maxLength={10_000}
        data-testid="reply-input"
      />
      <div className="comment-form__actions">
        <button type="submit" className="button button--small button--primary" disabled={!body.trim()} data-testid="reply-submit">
          {t('comments.reply')}
        </button>
      </div>
    </form>
  );
}

/** A comment or reply not confirmed by the server yet: sending, waiting for the connection, or refused. */
export function PendingItem({ entry, ctx, children }: { entry: OutboxEntry; ctx: PanelContext; children?: ReactNode }) {
  const { t } = useTranslation();
  const store = ctx.controller.store;
  return (
    <div className={`pending pending--${entry.state}`} data-testid="comment-pending" data-state={entry.state} data-client-key={entry.clientKey}>
      {children}
      <CommentBody body={entry.body} />
      {entry.suggestion && (
        <p className="suggestion">
          <span className="suggestion__label">{t('comments.suggestedWording')}</span> <ins>{entry.suggestion}</ins>
        </p>
      )}
      <p className="pending__state" role={entry.state === 'failed' ? 'alert' : undefined}>
        {entry.state === 'failed' ? t('comments.pendingFailed', { reason: entry.error ?? '' }) : t(`comments.pending.${entry.state}`)}
      </p>
      {entry.state === 'failed' && (
        <div className="comment__actions">
          <button type="button" className="button button--small" onClick={() => store.retry(entry.clientKey)}>
            {t('comments.retry')}
          </button>
          <button type="button" className="button button--small" onClick={() => store.discard(entry.clientKey)}>
            {t('comments.discard')}
          </button>
        </div>
      )}
    </div>
  );
}

export interface ThreadViewProps {
  readonly thread: PlacedThread;
  /** Whether "passage deleted" can be told yet (the text has synced once). */
  readonly textSynced: boolean;
  readonly pendingReplies: readonly OutboxEntry[];
  readonly active: boolean;
  readonly tabbable: boolean;
  readonly ctx: PanelContext;
  readonly articleRef: (el: HTMLElement | null) => void;
  readonly onSelect: () => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}

/**
 * One thread: the passage (or its quote with "passage deleted"), the
 * comment, the suggested wording, what became of it, the replies, and —
 * while it is selected — the reply box and the actions the role allows.
 * Resolved threads are folded to one line unless selected.
 */
export function ThreadView({ thread, textSynced, pendingReplies, active, tabbable, ctx, articleRef, onSelect, onKeyDown }: ThreadViewProps) {
  const { t, i18n } = useTranslation();
  const headId = useId();
  const { comment, replies, placement } = thread;
  const resolved = comment.status !== 'open';
  const folded = resolved && !active;
  const quote = comment.anchor?.quote ?? '';
  return (
    <article
      ref={articleRef}
      className={`thread${active ? ' thread--active' : ''}${folded ? ' thread--folded' : ''}`}
      data-testid="comment-thread"
      data-comment-id={comment.id}
      data-status={comment.status}
      data-placement={placement.kind === 'deleted' && !textSynced ? 'unknown' : placement.kind}
      tabIndex={tabbable ? 0 : -1}
      aria-labelledby={headId}
      aria-current={active ? 'true' : undefined}
      onClick={(event) => {
        if (!(event.target instanceof Element) || !event.target.closest('button, a, input, textarea, select, label, form')) onSelect();
      }}
      onKeyDown={onKeyDown}
    >
      <CommentMeta comment={comment} id={headId} />
      {quote && (
        <blockquote className="thread__quote" data-testid="comment-quote">
          {quote}
        </blockquote>
      )}
      {placement.kind === 'deleted' && textSynced && (
        <p className="thread__deleted" data-testid="passage-deleted">
          {t('comments.passageDeleted')}
        </p>
      )}
      <p className={`status status--${comment.status}`} data-testid="comment-status">
        {t(`comments.status.${comment.status}`)}
        {comment.disposedBy && comment.disposedAt && (
          <span className="status__by"> · {t('comments.decidedBy', { name: comment.disposedBy.name, date: formatDate(i18n.language, comment.disposedAt) })}</span>
        )}
        {folded && replies.length > 0 && <span className="status__by"> · {t('comments.replyCount', { count: replies.length })}</span>}
      </p>
      {!folded && (
        <>
          <Body comment={comment} />
          {comment.suggestion !== null && (
            <p className="suggestion" data-testid="comment-suggestion">
              <span className="suggestion__label">{t('comments.suggestedWording')}</span> <ins>{comment.suggestion}</ins>
            </p>
          )}
        </>
      )}
      {comment.response && (
        <div className="response" data-testid="comment-response">
          <span className="response__label">{t('comments.response')}</span>
          <CommentBody body={comment.response} className="response__text" testId="comment-response-text" />
        </div>
      )}
      {!folded && active && <CommentActions comment={comment} ctx={ctx} />}
      {!folded && (replies.length > 0 || pendingReplies.length > 0) && (
        <ol className="replies" aria-label={t('comments.repliesLabel', { count: replies.length })}>
          {replies.map((r) => (
            <li key={r.id} className="reply" data-testid="comment-reply" data-comment-id={r.id}>
              <CommentMeta comment={r} />
              {r.status === 'withdrawn' ? <p className="comment__hidden">{t('comments.replyWithdrawn')}</p> : <Body comment={r} />}
              {active && r.status !== 'withdrawn' && <CommentActions comment={r} ctx={ctx} />}
            </li>
          ))}
          {pendingReplies.map((p) => (
            <li key={p.clientKey} className="reply">
              <PendingItem entry={p} ctx={ctx} />
            </li>
          ))}
        </ol>
      )}
      {active && !folded && ctx.block === null && <ReplyForm thread={comment} ctx={ctx} />}
      {active && ctx.can.dispose && comment.status !== 'withdrawn' && <DispositionForm key={`${comment.status}:${comment.response ?? ''}`} comment={comment} ctx={ctx} />}
    </article>
  );
}
