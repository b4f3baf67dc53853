import { CONSENSUS_BASES, CONSENSUS_LEVELS, STAKEHOLDER_GROUPS, type StakeholderGroup } from '@rapporteur/protocol';
import { markerWording } from '@rapporteur/schema';
import type { Editor } from '@tiptap/react';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from '../a11y/useModalDialog';
import { stakeholderLabelKeys } from '../stakeholder/stakeholder';
import {
  consensusTranslate,
  draftFromMarker,
  findBlock,
  markerFromDraft,
  type MarkerDraft,
  type MarkTarget,
  newView,
  viewsAllowed,
  viewsRequired,
} from './consensus';

/**
 * "Mark consensus": a modal dialog for the marker of one block — the level
 * (each with its standard wording), the basis and a note, and for divergence,
 * minority view (required) and strong support with opposition (optional)
 * the views with the stakeholder groups holding each. Applies to the block
 * by its id, wherever concurrent edits moved it; focus returns to the text.
 */
export function ConsensusDialog({ editor, target, onClose }: { editor: Editor; target: MarkTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const ct = consensusTranslate(t);
  const modal = useModalDialog(() => close());
  const [draft, setDraft] = useState<MarkerDraft>(() => draftFromMarker(target.marker));
  const [problem, setProblem] = useState<'no-level' | 'invalid' | 'gone' | null>(null);
  const ids = { title: useId(), levels: useId(), basis: useId(), note: useId(), noteHint: useId(), views: useId(), viewsHint: useId(), error: useId() };
  const scope = target.type === 'heading' ? 'section' : 'passage';


  const update = (change: Partial<MarkerDraft>): void => {
    setDraft((d) => ({ ...d, ...change }));
    setProblem(null);
  };

  /** Sets (or with null removes) the marker on the target block, found by id when it has one. */
  const apply = (marker: Parameters<Editor['commands']['setConsensusMarker']>[0]): boolean => {
    const pos = target.blockId === null ? target.pos : findBlock(editor.state.doc, target.blockId);
    if (pos === null) {
      setProblem('gone');
      return false;
    }
    return editor.chain().focus().setConsensusMarker(marker, pos + 1).run();
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const result = markerFromDraft(draft);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    if (apply(result.marker)) onClose();
  };

  const close = (): void => {
    editor.commands.focus();
    onClose();
  };

  const setView = (key: number, change: { text?: string; groups?: readonly StakeholderGroup[] }): void =>
    update({ views: draft.views.map((v) => (v.key === key ? { ...v, ...change } : v)) });

  const toggleGroup = (key: number, group: StakeholderGroup, on: boolean): void => {
    const view = draft.views.find((v) => v.key === key);
    if (!view) return;
    setView(key, { groups: on ? STAKEHOLDER_GROUPS.filter((g) => g === group || view.groups.includes(g)) : view.groups.filter((g) => g !== group) });
  };

  const showViews = viewsAllowed(draft.level);
  const required = viewsRequired(draft.level);

  return (
    <dialog
      {...modal}
      className="dialog dialog--wide consensus-dialog"
      aria-labelledby={ids.title}
      data-testid="consensus-dialog"
    >
      <form onSubmit={submit} noValidate>
        <h2 id={ids.title} className="dialog__title">
          {t(target.marker ? 'markers.dialog.titleEdit' : 'markers.dialog.title')}
        </h2>
        <p className="dialog__intro">
          {target.quote === '' ? t(`markers.dialog.emptyBlock.${scope}`) : t(`markers.dialog.on.${scope}`, { quote: target.quote })}
        </p>

        <fieldset className="consensus-dialog__levels" aria-describedby={problem === 'no-level' ? ids.error : undefined}>
          <legend>{t('markers.dialog.level')}</legend>
          {CONSENSUS_LEVELS.map((level) => {
            const w = markerWording({ level, basis: draft.basis }, { scope, t: ct, locale: i18n.language });
            const id = `${ids.levels}-${level}`;
            return (
              <div key={level} className="consensus-dialog__level">
                <input
                  type="radio"
                  id={id}
                  name={ids.levels}
                  value={level}
                  checked={draft.level === level}
                  onChange={() => update({ level })}
                  aria-describedby={`${id}-wording`}
                  data-testid={`consensus-level-${level}`}
                  autoFocus={draft.level === null ? level === CONSENSUS_LEVELS[0] : draft.level === level}
                />
                <label htmlFor={id}>
                  <span className="consensus-dialog__level-label">{w.label}</span>
                  <span id={`${id}-wording`} className="consensus-dialog__wording">
                    {w.wording}
                  </span>
                </label>
              </div>
            );
          })}
        </fieldset>

        <div className="consensus-dialog__basis">
          <div className="field">
            <label htmlFor={ids.basis}>{t('markers.dialog.basis')}</label>
            <select id={ids.basis} value={draft.basis} onChange={(e) => update({ basis: e.target.value as MarkerDraft['basis'] })} data-testid="consensus-basis">
              {CONSENSUS_BASES.map((basis) => (
                <option key={basis} value={basis}>
                  {ct(`basis.${basis}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.note}>{t('markers.dialog.basisNote')}</label>
            <input
              id={ids.note}
              type="text"
              maxLength={300}
              value={draft.basisNote}
              onChange={(e) => update({ basisNote: e.target.value })}
              aria-describedby={ids.noteHint}
              data-testid="consensus-basis-note"
            />
            <p id={ids.noteHint} className="field__hint">
              {t('markers.dialog.basisNoteHint')}
            </p>
          </div>
        </div>

        {showViews && (
          <fieldset className="consensus-dialog__views" aria-describedby={ids.viewsHint} data-testid="consensus-views">
            <legend>{t(draft.level === 'strong-support-with-opposition' ? 'markers.dialog.opposingViews' : 'markers.dialog.views')}</legend>
            <p id={ids.viewsHint} className="field__hint">
              {t(required ? 'markers.dialog.viewsRequired' : 'markers.dialog.viewsOptional')}
            </p>
            {draft.views.length === 0 && <p className="consensus-dialog__no-views">{t('markers.dialog.noViews')}</p>}
            <ol className="consensus-dialog__view-list">
              {draft.views.map((view, index) => {
                const textId = `${ids.views}-${view.key}-text`;
                return (
                  <li key={view.key} className="consensus-dialog__view" data-testid="consensus-view">
                    <div className="field">
                      <label htmlFor={textId}>{t('markers.dialog.viewText', { number: index + 1 })}</label>
                      <textarea
                        id={textId}
                        rows={3}
                        maxLength={4000}
                        value={view.text}
                        onChange={(e) => setView(view.key, { text: e.target.value })}
                        aria-invalid={required && view.text.trim() === '' ? true : undefined}
                        data-testid="consensus-view-text"
                      />
                    </div>
                    <fieldset className="consensus-dialog__groups">
                      <legend>{t('markers.dialog.heldBy', { number: index + 1 })}</legend>
                      {STAKEHOLDER_GROUPS.map((group) => {
                        const id = `${ids.views}-${view.key}-${group}`;
                        return (
                          <span key={group} className="consensus-dialog__group">
                            <input
                              type="checkbox"
                              id={id}
                              checked={view.groups.includes(group)}
                              onChange={(e) => toggleGroup(view.key, group, e.target.checked)}
                              data-testid={`consensus-view-group-${group}`}
                            />
                            <label htmlFor={id}>{t(stakeholderLabelKeys(group).name)}</label>
                          </span>
                        );
                      })}
                    </fieldset>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => update({ views: draft.views.filter((v) => v.key !== view.key) })}
                      data-testid="consensus-view-remove"
                    >
                      {t('markers.dialog.removeView', { number: index + 1 })}
                    </button>
                  </li>
                );
              })}
            </ol>
            <button type="button" className="button button--small" onClick={() => update({ views: [...draft.views, newView()] })} data-testid="consensus-view-add">
              {t('markers.dialog.addView')}
            </button>
          </fieldset>
        )}

        {problem && (
          <p id={ids.error} className="field__error" role="alert" data-testid="consensus-error">
            {t(`markers.dialog.problem.${problem}`)}
          </p>
        )}

        <div className="dialog__actions">
          {target.marker && (
            <button
              type="button"
              className="button"
              onClick={() => {
                if (apply(null)) onClose();
              }}
              data-testid="consensus-remove"
            >
              {t('markers.dialog.remove')}
            </button>
          )}
          <button type="button" className="button" onClick={close}>
            {t('markers.dialog.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="consensus-apply">
            {t('markers.dialog.apply')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
