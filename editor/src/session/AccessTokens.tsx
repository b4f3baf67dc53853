import type { AccessToken, CreatedToken } from '@rapporteur/client/http';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';
import { CopyButton } from '../CopyButton';
import { formatDate } from '../formatDate';
import { useAuthGate } from './useAuthGate';

/** Personal access tokens: create one (shown once, with a copy button), list and revoke. */
export function AccessTokens() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const [tokens, setTokens] = useState<readonly AccessToken[] | null>(null);
  const [name, setName] = useState('');
  const [nameMissing, setNameMissing] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { heading: useId(), name: useId(), hint: useId(), nameError: useId(), token: useId() };
  const language = i18n.resolvedLanguage ?? i18n.language;

  const fail = useCallback(
    (e: unknown) => {
      if (!gate(e)) setError(t('tokens.error', { message: errorMessage(e) }));
    },
    [gate, t],
  );

  useEffect(() => {
    let cancelled = false;
    api.listTokens().then((list) => !cancelled && setTokens(list), (e: unknown) => !cancelled && fail(e));
    return () => {
      cancelled = true;
    };
  }, [api, fail]);

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setNameMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const token = await api.createToken(trimmed);
      setCreated(token);
      setName('');
      setTokens((list) => [{ id: token.id, name: token.name, createdAt: token.createdAt, lastUsedAt: null }, ...(list ?? [])]);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: AccessToken): Promise<void> => {
    setError(null);
    try {
      await api.revokeToken(token.id);
      setTokens((list) => (list ?? []).filter((x) => x.id !== token.id));
      if (created?.id === token.id) setCreated(null);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <section className="panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('tokens.heading')}</h2>
      <p className="page-heading__intro">{t('tokens.intro')}</p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <form className="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>{t('tokens.nameLabel')}</label>
          <input
            id={ids.name}
            type="text"
            maxLength={100}
            value={name}
            aria-invalid={nameMissing}
            aria-describedby={nameMissing ? `${ids.nameError} ${ids.hint}` : ids.hint}
            onChange={(e) => {
              setName(e.target.value);
              setNameMissing(false);
            }}
            data-testid="token-name"
          />
          <p id={ids.hint} className="field__hint">
            {t('tokens.nameHint')}
          </p>
          {nameMissing && (
            <p id={ids.nameError} className="field__error" role="alert">
              {t('problems.required')}
            </p>
          )}
        </div>
        <button type="submit" className="button" disabled={busy} aria-busy={busy} data-testid="token-create">
          {busy ? t('tokens.creating') : t('tokens.create')}
        </button>
      </form>
      {created && (
        <div className="secret" role="status">
          <p className="secret__title">{t('tokens.createdTitle', { name: created.name })}</p>
          <p>{t('tokens.createdIntro')}</p>
          <div className="secret__row">
            <label htmlFor={ids.token} className="visually-hidden">
              {t('tokens.tokenLabel')}
            </label>
            <input id={ids.token} type="text" readOnly value={created.token} className="secret__value" data-testid="token-value" onFocus={(e) => e.target.select()} />
            <CopyButton text={created.token} label={t('tokens.copy')} />
          </div>
        </div>
      )}
      {tokens === null && !error && (
        <p className="notice" role="status">
          {t('tokens.loading')}
        </p>
      )}
      {tokens && tokens.length === 0 && <p className="field__hint">{t('tokens.empty')}</p>}
      {tokens && tokens.length > 0 && (
        <ul className="item-list" aria-label={t('tokens.listLabel')} data-testid="token-list">
          {tokens.map((token) => (
            <li key={token.id} className="item-list__item">
              <span className="item-list__main">
                <span className="item-list__title">{token.name}</span>
                <span className="item-list__meta">
                  {t('tokens.created', { date: formatDate(language, token.createdAt) })} ·{' '}
                  {token.lastUsedAt ? t('tokens.lastUsed', { date: formatDate(language, token.lastUsedAt) }) : t('tokens.neverUsed')}
                </span>
              </span>
              <button type="button" className="button button--small" aria-label={t('tokens.revokeLabel', { name: token.name })} onClick={() => void revoke(token)}>
                {t('tokens.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
