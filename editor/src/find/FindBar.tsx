import { intlLocale } from '@rapporteur/i18n/languages';
import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { FindController } from './FindController';
import findEnglish from '@rapporteur/i18n/locales/en.json?catalog-part=find';
import { addEnglishPart } from '../i18n';

// This part's English messages come with its chunk, not with the first load (editor/vite.config.ts).
addEnglishPart(findEnglish);

/**
 * The find and replace bar (SPEC FR1–FR4) above the text: the query with
 * "match case" and "whole words", how many matches and which one is
 * current (said politely to screen readers), Enter / Shift+Enter for the
 * next and previous, Escape to close; for those who may edit, Replace and
 * Replace all, which say what was left alone for an open comment or
 * suggestion. Loaded when first opened; it reaches the text only through
 * the controller.
 */
export function FindBar({ controller, canReplace }: { controller: FindController; canReplace: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [replacement, setReplacement] = useState('');
  const [showReplace, setShowReplace] = useState(snapshot.replacing);
  const input = useRef<HTMLInputElement | null>(null);
  const number = new Intl.NumberFormat(intlLocale(i18n.language));

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [snapshot.opened]);
  useEffect(() => {
    if (snapshot.replacing) setShowReplace(true);
  }, [snapshot.replacing, snapshot.opened]);

  const { matches, current, query, options, more, lastReplace, heldCurrent } = snapshot;
  const count =
    query.length === 0
      ? ''
      : matches.length === 0
        ? t('find.none')
        : t(more ? 'find.positionMore' : 'find.position', { current: number.format(current + 1), total: number.format(matches.length) });
  const replacing = canReplace && showReplace;

  return (
    <div
      role="search"
      className="find-bar"
      aria-label={t('find.label')}
      data-testid="find-bar"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          controller.close();
        }
      }}
    >
      <div className="find-bar__row">
        <label htmlFor={`${id}-query`} className="visually-hidden">
          {t('find.query')}
        </label>
        <input
          ref={input}
          id={`${id}-query`}
          type="search"
          className="find-bar__input"
          placeholder={t('find.query')}
          value={query}
          onChange={(e) => controller.search(e.target.value, options)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (e.shiftKey) controller.previous();
              else controller.next();
            }
          }}
          data-testid="find-query"
        />
        <span className="find-bar__count" role="status" data-testid="find-count">
          {count}
        </span>
        <button type="button" className="button button--small" onClick={() => controller.previous()} disabled={matches.length === 0} data-testid="find-previous">
          {t('find.previous')}
        </button>
        <button type="button" className="button button--small" onClick={() => controller.next()} disabled={matches.length === 0} data-testid="find-next">
          {t('find.next')}
        </button>
        <label className="find-bar__option">
          <input type="checkbox" checked={options.caseSensitive} onChange={(e) => controller.search(query, { ...options, caseSensitive: e.target.checked })} data-testid="find-case" />{' '}
          {t('find.caseSensitive')}
        </label>
        <label className="find-bar__option">
          <input type="checkbox" checked={options.wholeWord} onChange={(e) => controller.search(query, { ...options, wholeWord: e.target.checked })} data-testid="find-whole-word" />{' '}
          {t('find.wholeWord')}
        </label>
        {canReplace && !showReplace && (
          <button type="button" className="button button--small" aria-expanded={false} onClick={() => setShowReplace(true)} data-testid="find-show-replace">
            {t('find.showReplace')}
          </button>
        )}
        <button type="button" className="button button--small" onClick={() => controller.close()} data-testid="find-close">
          {t('find.close')}
        </button>
      </div>
      {replacing && (
        <div className="find-bar__row">
          <label htmlFor={`${id}-replacement`} className="visually-hidden">
            {t('find.replacement')}
          </label>
          <input
            id={`${id}-replacement`}
            type="text"
            className="find-bar__input"
            placeholder={t('find.replacement')}
            value={replacement}
            onChange={(e) => setReplacement(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                controller.replace(replacement);
              }
            }}
            data-testid="find-replacement"
          />
          <button type="button" className="button button--small" onClick={() => controller.replace(replacement)} disabled={current < 0} data-testid="find-replace">
            {t('find.replace')}
          </button>
          <button type="button" className="button button--small" onClick={() => controller.replaceAll(replacement)} disabled={matches.length === 0} data-testid="find-replace-all">
            {t('find.replaceAll')}
          </button>
        </div>
      )}
      <p className="find-bar__said" role="status" data-testid="find-said">
        {heldCurrent === 'suggestion' && t('find.heldSuggestion')}
        {heldCurrent === 'comment' && t('find.heldComment')}
        {lastReplace &&
          (lastReplace.held > 0
            ? t('find.replacedHeld', { replaced: number.format(lastReplace.replaced), held: number.format(lastReplace.held) })
            : t('find.replaced', { replaced: number.format(lastReplace.replaced) }))}
      </p>
    </div>
  );
}
