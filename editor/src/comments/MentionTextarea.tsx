import type { MemberUser } from '@rapporteur/client/http';
import { type KeyboardEvent, type Ref, type TextareaHTMLAttributes, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { insertMention, mentionQuery } from './text';

const MAX_OPTIONS = 8;

/** The members whose name (or e-mail) matches what was typed after the `@`, best matches first. */
export function matchMembers(members: readonly MemberUser[], query: string, selfId: string | null): MemberUser[] {
  const q = query.trim().toLowerCase();
  const scored: Array<[number, MemberUser]> = [];
  for (const m of members) {
    if (m.id === selfId) continue;
    const name = m.name.toLowerCase();
    const score = q === '' ? 1 : name.startsWith(q) ? 0 : name.split(/\s+/).some((w) => w.startsWith(q)) ? 1 : name.includes(q) || (m.email?.toLowerCase().startsWith(q) ?? false) ? 2 : -1;
    if (score >= 0) scored.push([score, m]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name))
    .slice(0, MAX_OPTIONS)
    .map(([, m]) => m);
}

export interface MentionTextareaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> {
  readonly value: string;
  readonly onValueChange: (value: string) => void;
  /** The document's members, fetched the first time someone types `@`. */
  readonly loadMembers: () => Promise<readonly MemberUser[]>;
  readonly selfId: string | null;
  /** Ctrl/⌘+Enter. */
  readonly onSubmitShortcut?: () => void;
  readonly textareaRef?: Ref<HTMLTextAreaElement>;
}

/**
 * A comment box that offers the document's members after `@`: a listbox
 * under the box (arrow keys move, Enter or Tab picks, Escape closes), the
 * box pointing at the highlighted option with aria-activedescendant, and
 * the number of matches announced. Picking inserts `@[Name](userId)`.
 */
export function MentionTextarea({ value, onValueChange, loadMembers, selfId, onSubmitShortcut, textareaRef, onKeyDown, ...rest }: MentionTextareaProps) {
  const { t } = useTranslation();
  const listId = useId();
  const innerRef = useRef<HTMLTextAreaElement | null>(null);
  const [members, setMembers] = useState<readonly MemberUser[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [index, setIndex] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  // Where the caret goes once a picked mention is in the value (set right after React writes it, before the next key).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = innerRef.current;
    const caret = pendingCaret.current;
    if (!el || caret === null || el.value !== value) return;
    pendingCaret.current = null;
    el.focus();
    el.setSelectionRange(caret, caret);
  }, [value]);

  const options = query && members ? matchMembers(members, query.query, selfId) : [];
  const open = query !== null && query.start !== dismissedAt;

  useEffect(() => {
    if (!open || members || loadFailed) return;
    let cancelled = false;
    loadMembers().then(
      (list) => !cancelled && setMembers(list),
      () => !cancelled && setLoadFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [open, members, loadFailed, loadMembers]);

  const update = (el: HTMLTextAreaElement): void => {
    const next = el.selectionStart === el.selectionEnd ? mentionQuery(el.value, el.selectionStart) : null;
    if (next?.start !== query?.start || next?.query !== query?.query) {
      setQuery(next);
      setIndex(0);
    }
    if (next === null || next.start !== dismissedAt) setDismissedAt(null);
  };

  const choose = (member: MemberUser): void => {
    const el = innerRef.current;
    if (!el || !query) return;
    const inserted = insertMention(value, query.start, el.selectionStart, member.name, member.id);
    pendingCaret.current = inserted.caret;
    onValueChange(inserted.value);
    setQuery(null);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (open && options.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setIndex((i) => (event.key === 'ArrowDown' ? (i + 1) % options.length : (i - 1 + options.length) % options.length));
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey) || event.key === 'Tab') {
        event.preventDefault();
        choose(options[Math.min(index, options.length - 1)]!);
        return;
      }
    }
    if (open && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setDismissedAt(query.start);
      return;
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && onSubmitShortcut) {
      event.preventDefault();
      onSubmitShortcut();
      return;
    }
    onKeyDown?.(event);
  };

  const optionId = (i: number): string => `${listId}-option-${i}`;
  const activeOption = open && options.length > 0 ? optionId(Math.min(index, options.length - 1)) : undefined;
  let announcement = '';
  if (open) {
    if (loadFailed) announcement = t('mentions.loadError');
    else if (!members) announcement = t('mentions.loading');
    else announcement = options.length > 0 ? t('mentions.count', { count: options.length }) : t('mentions.none');
  }

  return (
    <div className="mention-box">
      <textarea
        {...rest}
        ref={(el) => {
          innerRef.current = el;
          if (typeof textareaRef === 'function') textareaRef(el);
          else if (textareaRef) (textareaRef as { current: HTMLTextAreaElement | null }).current = el;
        }}
        value={value}
        onChange={(event) => {
          onValueChange(event.target.value);
          update(event.target);
        }}
        onSelect={(event) => update(event.currentTarget)}
        onKeyDown={handleKeyDown}
        onBlur={() => setQuery(null)}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={activeOption}
      />
      {open && options.length > 0 && (
        <ul className="mention-box__list" role="listbox" id={listId} aria-label={t('mentions.listLabel')} data-testid="mention-options">
          {options.map((m, i) => (
            <li
              key={m.id}
              id={optionId(i)}
              role="option"
              aria-selected={optionId(i) === activeOption}
              className="mention-box__option"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(m)}
            >
              <span className="mention-box__name">{m.name}</span>
              {m.organisation && <span className="mention-box__org">{m.organisation}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </div>
  );
}
