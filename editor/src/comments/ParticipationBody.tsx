import type { ApiClient, Participation, ParticipationCount } from '@rapporteur/client/http';
import { GENDERS, REGIONS, STAKEHOLDER_GROUPS } from '@rapporteur/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import { useAuthGate } from '../session/useAuthGate';

type Loaded = { kind: 'idle' } | { kind: 'loading' } | { kind: 'loaded'; data: Participation } | { kind: 'error'; message: string };

const GENDER_KEYS = GENDERS;
const GENDER_ROWS = [...GENDERS, 'undeclared'] as const;

/**
 * The participation figures, loaded with the panel's first opening (the
 * editor's first load does without them). Who took part in the comments: people and comments by stakeholder group
 * and region, and the self-declared figures (gender, youth, first time) as
 * the server gives them — aggregated, with small counts (and any count
 * that would give one away) withheld.
 * Fetched when opened, and again when the number of comments changes.
 */
export function ParticipationBody({ api, documentId, commentCount }: { api: ApiClient; documentId: string; commentCount: number }) {
  const { t } = useTranslation();
  const gate = useAuthGate();
  const [state, setState] = useState<Loaded>({ kind: 'idle' });

  useEffect(() => {
    let cancelled = false;
    setState((s) => (s.kind === 'loaded' ? s : { kind: 'loading' }));
    api.participation(documentId).then(
      (data) => !cancelled && setState({ kind: 'loaded', data }),
      (e: unknown) => !cancelled && !gate(e) && setState({ kind: 'error', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, commentCount, gate]);

  const count = (n: ParticipationCount) => (n === 'suppressed' ? t('participation.withheld') : String(n));
  const genderLabel = (key: string): string =>
    key === 'undeclared' ? t('participation.undeclared') : (GENDER_KEYS as readonly string[]).includes(key) ? t(`gender.${key as (typeof GENDER_KEYS)[number]}`) : key;

  return (
    <>
      {state.kind === 'loading' && <p role="status">{t('participation.loading')}</p>}
      {state.kind === 'error' && (
        <p className="field__error" role="alert">
          {t('participation.error', { message: state.message })}
        </p>
      )}
      {state.kind === 'loaded' && (
        <div className="participation__body">
          <p data-testid="participation-summary">{t('participation.summary', {
              people: t('participation.peopleCount', { count: state.data.commenters }),
              comments: t('participation.commentCount', { count: state.data.comments }),
            })}</p>
          <table className="participation__table" data-testid="participation-groups">
            <caption>{t('participation.byGroup')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('participation.group')}</th>
                <th scope="col">{t('participation.people')}</th>
                <th scope="col">{t('participation.comments')}</th>
              </tr>
            </thead>
            <tbody>
              {STAKEHOLDER_GROUPS.filter((g) => state.data.commentsByStakeholderGroup[g] > 0).map((g) => (
                <tr key={g} data-group={g}>
                  <th scope="row">{t(`stakeholder.name.${g}`)}</th>
                  <td>{state.data.commentersByStakeholderGroup[g]}</td>
                  <td>{state.data.commentsByStakeholderGroup[g]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="participation__table" data-testid="participation-regions">
            <caption>{t('participation.byRegion')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('participation.region')}</th>
                <th scope="col">{t('participation.comments')}</th>
              </tr>
            </thead>
            <tbody>
              {REGIONS.filter((r) => state.data.commentsByRegion[r] > 0).map((r) => (
                <tr key={r} data-region={r}>
                  <th scope="row">{t(`region.${r}`)}</th>
                  <td>{state.data.commentsByRegion[r]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="participation__table" data-testid="participation-self-declared">
            <caption>{t('participation.selfDeclared')}</caption>
            <tbody>
              {GENDER_ROWS.map((key) => [key, state.data.gender[key]] as const).map(([key, n]) => (
                <tr key={`gender-${key}`}>
                  <th scope="row">{t('participation.genderRow', { gender: genderLabel(key) })}</th>
                  <td>{count(n)}</td>
                </tr>
              ))}
              {(['youth', 'firstTime'] as const).map((field) =>
                (['yes', 'no', 'undeclared'] as const).map((answer) => (
                  <tr key={`${field}-${answer}`}>
                    <th scope="row">{t(`participation.${field}.${answer}`)}</th>
                    <td>{count(state.data[field][answer])}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <p className="field__hint">{t('participation.note')}</p>
        </div>
      )}
    </>
  );
}
