import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../session/SessionContext';
import { NAME_MAX_LENGTH, PALETTE, type NameProblem, validateName } from './identity';
import { useIdentity } from './IdentityContext';

/**
 * The header button showing who you are, opening a modal dialog to change
 * your display name and colour. Changes apply on Save. Signed in, the name
 * comes from the account, so the button and dialog are about the colour only.
 */
export function IdentityButton() {
  const { t } = useTranslation();
  const { identity, setIdentity } = useIdentity();
  const signedIn = useCurrentUser() !== null;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const [draftName, setDraftName] = useState(identity.name);
  const [draftColor, setDraftColor] = useState(identity.color);
  const [problem, setProblem] = useState<NameProblem | null>(null);
  const ids = { title: useId(), intro: useId(), name: useId(), error: useId() };

  const open = (): void => {
    setDraftName(identity.name);
    setDraftColor(identity.color);
    setProblem(null);
    dialogRef.current?.showModal();
    if (!signedIn) nameRef.current?.select();
  };
  const close = (): void => dialogRef.current?.close();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (signedIn) {
      setIdentity({ name: identity.name, color: draftColor });
      close();
      return;
    }
    const valid = validateName(draftName);
    if (!valid.ok) {
      setProblem(valid.problem);
      nameRef.current?.focus();
      return;
    }
    setIdentity({ name: valid.name, color: draftColor });
    close();
  };

  return (
    <>
      <button
        type="button"
        className="identity-button"
        data-testid="identity-button"
        aria-haspopup="dialog"
        onClick={open}
      >
        <span className="swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
        {/* The visible words are the accessible name, so voice control can say them (WCAG 2.5.3). */}
        <span>{signedIn ? t('identity.colourButton') : t('identity.button', { name: identity.name })}</span>
        <span className="visually-hidden"> {t('identity.changeHint')}</span>
      </button>
      <dialog ref={dialogRef} className="dialog" aria-labelledby={ids.title} aria-describedby={ids.intro}>
        <form method="dialog" onSubmit={submit} noValidate>
          <h2 id={ids.title} className="dialog__title">
            {signedIn ? t('identity.colourDialogTitle') : t('identity.dialogTitle')}
          </h2>
          <p id={ids.intro} className="dialog__intro">
            {signedIn ? t('identity.colourDialogIntro') : t('identity.dialogIntro')}
          </p>
          <div className="field" hidden={signedIn}>
            <label htmlFor={ids.name}>{t('identity.nameLabel')}</label>
            <input
              ref={nameRef}
              id={ids.name}
              data-testid="user-name"
              type="text"
              autoComplete="nickname"
              maxLength={NAME_MAX_LENGTH * 2}
              value={draftName}
              aria-invalid={problem !== null}
              aria-describedby={problem ? ids.error : undefined}
              onChange={(e) => {
                setDraftName(e.target.value);
                setProblem(null);
              }}
            />
            {problem && (
              <p id={ids.error} className="field__error" role="alert">
                {problem === 'required' ? t('identity.nameRequired') : t('identity.nameTooLong', { max: NAME_MAX_LENGTH })}
              </p>
            )}
          </div>
          <fieldset className="palette">
            <legend>{t('identity.colourLegend')}</legend>
            <div className="palette__options">
              {PALETTE.map((p) => (
                <label key={p.key} className="palette__option">
                  <input
                    type="radio"
                    name="colour"
                    value={p.color}
                    checked={draftColor === p.color}
                    onChange={() => setDraftColor(p.color)}
                    data-testid="user-colour"
                  />
                  <span className="swatch swatch--large" style={{ backgroundColor: p.color }} aria-hidden="true" />
                  <span className="palette__name">{t(`identity.colours.${p.key}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={close}>
              {t('identity.cancel')}
            </button>
            <button type="submit" className="button button--primary" data-testid="save-identity">
              {t('identity.save')}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
