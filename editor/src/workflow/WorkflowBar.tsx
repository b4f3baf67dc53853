import { ApiError, type ApiClient, type DocumentView } from '@rapporteur/client/http';
import type { DocumentStatus } from '@rapporteur/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from '../a11y/useModalDialog';
import { errorMessage } from '../api/ApiContext';
import { DueLabel } from './DueLabel';
import {
  browserTimeZone,
  DONE_STATUSES,
  isoToLocalInput,
  localInputToIso,
  readinessProblemsOf,
  timeZoneOptions,
} from './workflow';
import type { WorkflowController } from './WorkflowController';

const ORDER: readonly DocumentStatus[] = ['drafting', 'review', 'public-comment', 'revising', 'final', 'published'];

type Problem = { code: string; blockId: string | null; passage: string };

/**
 * The document's place in the review workflow, under its title (SPEC
 * WF1–WF9): the status in words, the deadline ("Due in 5 hours", "Overdue"),
 * a "Move to…" control offering only the moves the server says this person
 * may make (`moves`), the passages to complete when final is refused (each a
 * link to its block), the deadline form for owners, and — while the text is
 * final or published and the person may edit — the notice that their next
 * edit moves it back to revising, and the question before it does.
 */
export function WorkflowBar({
  api,
  document: doc,
  canEdit,
  controller,
  onChanged,
  onError,
}: {
  api: ApiClient;
  document: DocumentView;
  canEdit: boolean;
  controller: WorkflowController;
  onChanged: (document: DocumentView) => void;
  /** Lets the page handle "signed out" (returns true when it did). */
  onError: (error: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const ids = { menu: useId(), problems: useId(), deadline: useId() };
  const [menuOpen, setMenuOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [editingDeadline, setEditingDeadline] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const deadlineButton = useRef<HTMLButtonElement>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  const status = doc.status;
  const statusName = t(`workflow.status.${status}`);
  const done = DONE_STATUSES.has(status);
  const moves = doc.moves ?? [];

  // Announce every change of status, whoever made it (a move here, another person, an edit after final).
  const lastStatus = useRef(status);
  useEffect(() => {
    if (lastStatus.current === status) return;
    lastStatus.current = status;
    setAnnouncement(t('workflow.statusAnnounced', { status: statusName }));
    setProblems(null);
  }, [status, statusName, t]);

  // While done and editable: the first edit asks first (WF5).
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    controller.setArmed(done && canEdit);
    return () => controller.setArmed(false);
  }, [controller, done, canEdit]);
  useEffect(() => controller.onBlocked(() => setAsking(true)), [controller]);

  // Public comment asks first until when comments are open (WF3).
  const [openingComment, setOpeningComment] = useState(false);

  const move = async (to: DocumentStatus, closesAt?: string): Promise<void> => {
    setMenuOpen(false);
    setBusy(true);
    setError(null);
    setProblems(null);
    try {
      const updated = await api.updateDocument(doc.id, closesAt ? { status: to, closesAt } : { status: to });
      onChanged(updated);
      menuButton.current?.focus();
    } catch (e) {
      if (onError(e)) return;
      const found = e instanceof ApiError && e.code === 'not_ready' ? readinessProblemsOf(e.details) : null;
      if (found) {
        setProblems(found);
        // The list takes focus, so it is read out and its first link is one Tab away.
        requestAnimationFrame(() => problemsRef.current?.focus());
      } else {
        setError(t('workflow.moveError', { message: errorMessage(e) }));
      }
    } finally {
      setBusy(false);
    }
  };

  const closeMenu = (): void => {
    setMenuOpen(false);
    menuButton.current?.focus();
  };

  return (
    <div className="workflow-bar" data-testid="workflow-bar">
      <div className="workflow-bar__row">
        <span className={`status-badge status-badge--${status}`} data-testid="status-badge" data-status={status}>
          {t('workflow.statusLabel', { status: statusName })}
        </span>
        <DueLabel deadline={doc.deadline ?? null} status={status} />
        {moves.length > 0 && (
          <div
            className="workflow-menu"
            onBlur={(event) => {
              // Focus left the button and its list (Tab away, a click elsewhere): the list closes.
              if (menuOpen && !event.currentTarget.contains(event.relatedTarget as Node | null)) setMenuOpen(false);
            }}
          >
            <button
              type="button"
              ref={menuButton}
              className="button button--small"
              aria-expanded={menuOpen}
              aria-controls={menuOpen ? ids.menu : undefined}
              disabled={busy}
              onClick={() => setMenuOpen(!menuOpen)}
              data-testid="move-to"
            >
              {busy ? t('workflow.moving') : t('workflow.moveTo')}
            </button>
            {menuOpen && (
              <ul
                id={ids.menu}
                className="workflow-menu__list"
                aria-label={t('workflow.movesLabel')}
                onKeyDown={(event) => {
                  if (event.key === 'Escape') {
                    event.preventDefault();
                    closeMenu();
                    return;
                  }
                  // Up and down move between the moves, wrapping, as in a menu.
                  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
                  event.preventDefault();
                  const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
                  const at = items.indexOf(document.activeElement as HTMLButtonElement);
                  const next = (at + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
                  items[next]?.focus();
                }}
              >
                {moves.map((to, i) => {
                  const back = ORDER.indexOf(to) < ORDER.indexOf(status);
                  const name = t(`workflow.status.${to}`);
                  const hint = to === 'public-comment' || to === 'final' ? t(`workflow.moveHint.${to}`) : null;
                  return (
                    <li key={to}>
                      <button
                        type="button"
                        className="workflow-menu__item"
                        autoFocus={i === 0}
                        onClick={() => {
                          if (to !== 'public-comment') return void move(to);
                          setMenuOpen(false);
                          setOpeningComment(true);
                        }}
                        data-testid="move-option"
                        data-status={to}
                      >
                        <span>{back ? t('workflow.backToStatus', { status: name }) : t('workflow.moveToStatus', { status: name })}</span>
                        {hint && <span className="workflow-menu__hint">{hint}</span>}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
        {doc.role === 'owner' && (
          <button
            type="button"
            ref={deadlineButton}
            className="button button--small"
            aria-expanded={editingDeadline}
            aria-controls={editingDeadline ? ids.deadline : undefined}
            onClick={() => setEditingDeadline(!editingDeadline)}
            data-testid="deadline-toggle"
          >
            {doc.deadline ? t('workflow.changeDeadline') : t('workflow.setDeadline')}
          </button>
        )}
      </div>
      {openingComment && (
        <PublicCommentForm
          onOpen={(closesAt) => {
            setOpeningComment(false);
            void move('public-comment', closesAt);
          }}
          onCancel={() => {
            setOpeningComment(false);
            menuButton.current?.focus();
          }}
        />
      )}
      {editingDeadline && (
        <DeadlineForm
          id={ids.deadline}
          api={api}
          document={doc}
          onChanged={onChanged}
          onError={onError}
          onClose={() => {
            setEditingDeadline(false);
            deadlineButton.current?.focus();
          }}
        />
      )}
      {done && canEdit && (
        <p className="notice notice--warn workflow-bar__final" data-testid="final-notice">
          {t(status === 'published' ? 'workflow.publishedNotice' : 'workflow.finalNotice')}
        </p>
      )}
      {error && (
        <p className="notice notice--error" role="alert" data-testid="move-error">
          {error}
        </p>
      )}
      {problems && (
        <div
          ref={problemsRef}
          className="notice notice--error workflow-problems"
          role="alert"
          tabIndex={-1}
          aria-labelledby={ids.problems}
          data-testid="not-ready"
        >
          <p id={ids.problems} className="workflow-problems__heading">
            <strong>{t('workflow.notReadyHeading')}</strong> {t('workflow.notReadyIntro')}
          </p>
          <ul>
            {problems.map((p, i) => (
              <li key={`${p.blockId ?? 'none'}-${p.code}-${i}`}>
                <ProblemLink problem={p} controller={controller} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="visually-hidden" role="status" data-testid="workflow-status">
        {announcement}
      </p>
      {asking && (
        <ReopenDialog
          status={status}
          onConfirm={() => {
            setAsking(false);
            controller.setArmed(false);
            controller.focus();
          }}
          onCancel={() => {
            setAsking(false);
            controller.dismissed();
            controller.focus();
          }}
        />
      )}
    </div>
  );
}

function ProblemLink({ problem, controller }: { problem: Problem; controller: WorkflowController }) {
  const { t } = useTranslation();
  const [gone, setGone] = useState(false);
  const known = ['marker-views-missing', 'required-field-empty', 'required-field-missing', 'too-many-items'] as const;
  const code = (known as readonly string[]).includes(problem.code) ? (problem.code as (typeof known)[number]) : 'other';
  const text = t('workflow.problemItem', { passage: problem.passage, reason: t(`workflow.problem.${code}`) });
  if (!problem.blockId) return <span>{text}</span>;
  return (
    <>
      <a
        href={`#block-${problem.blockId}`}
        data-testid="not-ready-passage"
        data-block-id={problem.blockId}
        onClick={(event) => {
          event.preventDefault();
          setGone(!controller.jumpTo(problem.blockId!));
        }}
      >
        {text}
      </a>
      {gone && <span className="workflow-problems__gone"> {t('workflow.passageGone')}</span>}
    </>
  );
}

function DeadlineForm({
  id,
  api,
  document: doc,
  onChanged,
  onError,
  onClose,
}: {
  id: string;
  api: ApiClient;
  document: DocumentView;
  onChanged: (document: DocumentView) => void;
  onError: (error: unknown) => boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const ids = { heading: useId(), at: useId(), zone: useId(), zoneHint: useId(), error: useId() };
  const [zone, setZone] = useState(() => doc.deadline?.timeZone ?? browserTimeZone());
  const [value, setValue] = useState(() => (doc.deadline ? isoToLocalInput(doc.deadline.at, doc.deadline.timeZone) : ''));
  const [zones] = useState(() => timeZoneOptions(zone));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (deadline: { at: string; timeZone: string } | null): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.updateDocument(doc.id, { deadline }));
      onClose();
    } catch (e) {
      if (!onError(e)) setProblem(t('workflow.deadlineError', { message: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const at = localInputToIso(value, zone);
    if (!at) {
      setProblem(t('workflow.deadlineInvalid'));
      return;
    }
    void save({ at, timeZone: zone });
  };

  return (
    <form
      id={id}
      className="workflow-deadline"
      aria-labelledby={ids.heading}
      onSubmit={submit}
      noValidate
      data-testid="deadline-form"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <h2 id={ids.heading} className="workflow-deadline__heading">
        {t('workflow.deadlineHeading')}
      </h2>
      <div className="field">
        <label htmlFor={ids.at}>{t('workflow.deadlineAt')}</label>
        <input
          id={ids.at}
          type="datetime-local"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          autoFocus
          aria-invalid={problem === t('workflow.deadlineInvalid') || undefined}
          aria-describedby={problem ? ids.error : undefined}
          data-testid="deadline-at"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.zone}>{t('workflow.deadlineZone')}</label>
        <select id={ids.zone} value={zone} onChange={(e) => setZone(e.target.value)} aria-describedby={ids.zoneHint} data-testid="deadline-zone">
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <p id={ids.zoneHint} className="field__hint">
          {t('workflow.deadlineZoneHint')}
        </p>
      </div>
      {problem && (
        <p id={ids.error} className="notice notice--error" role="alert" data-testid="deadline-error">
          {problem}
        </p>
      )}
      <div className="workflow-deadline__actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="deadline-save">
          {t('workflow.saveDeadline')}
        </button>
        {doc.deadline && (
          <button type="button" className="button" disabled={busy} onClick={() => void save(null)} data-testid="deadline-clear">
            {t('workflow.clearDeadline')}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          {t('workflow.cancel')}
        </button>
      </div>
    </form>
  );
}

const DAY = 86_400_000;

/** Until when a move to public comment opens commenting (WF3): 14 days by default, in the browser's time zone. */
function PublicCommentForm({ onOpen, onCancel }: { onOpen: (closesAt: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ids = { heading: useId(), at: useId(), hint: useId(), error: useId() };
  const [zone] = useState(browserTimeZone);
  const [value, setValue] = useState(() => isoToLocalInput(new Date(Date.now() + 14 * DAY).toISOString(), zone));
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const at = localInputToIso(value, zone);
    if (!at || Date.parse(at) <= Date.now()) {
      setProblem(t('workflow.closesInvalid'));
      return;
    }
    onOpen(at);
  };
  return (
    <form
      className="workflow-deadline"
      aria-labelledby={ids.heading}
      onSubmit={submit}
      noValidate
      data-testid="public-comment-form"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <h2 id={ids.heading} className="workflow-deadline__heading">
        {t('workflow.publicCommentHeading')}
      </h2>
      <div className="field">
        <label htmlFor={ids.at}>{t('workflow.closesAt')}</label>
        <input
          id={ids.at}
          type="datetime-local"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          autoFocus
          aria-invalid={problem !== null || undefined}
          aria-describedby={problem ? `${ids.hint} ${ids.error}` : ids.hint}
          data-testid="public-comment-closes"
        />
        <p id={ids.hint} className="field__hint">
          {t('workflow.closesHint', { zone: zone.replaceAll('_', ' ') })}
        </p>
      </div>
      {problem && (
        <p id={ids.error} className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      <div className="workflow-deadline__actions">
        <button type="submit" className="button button--primary" data-testid="public-comment-open">
          {t('workflow.openPublicComment')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('workflow.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Asked before the first edit of a final or published text (WF5): it moves the document back to revising. */
function ReopenDialog({ status, onConfirm, onCancel }: { status: DocumentStatus; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const modal = useModalDialog(() => onCancel());
  const ids = { title: useId(), body: useId() };
  const statusName = t(`workflow.status.${status}`);
  return (
    <dialog
      {...modal}
      className="dialog dialog--small"
      aria-labelledby={ids.title}
      aria-describedby={ids.body}
      data-testid="reopen-dialog"
    >
      <h2 id={ids.title} className="dialog__title">
        {t('workflow.reopenTitle')}
      </h2>
      <p id={ids.body}>{t('workflow.reopenBody', { status: statusName })}</p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel} autoFocus data-testid="reopen-cancel">
          {t('workflow.reopenCancel', { status: statusName })}
        </button>
        <button type="button" className="button button--primary" onClick={onConfirm} data-testid="reopen-confirm">
          {t('workflow.reopenConfirm')}
        </button>
      </div>
    </dialog>
  );
}
