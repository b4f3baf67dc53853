import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Copies `text` to the clipboard and says so ("Copied", announced politely);
 * when the clipboard is not available, says how to copy by hand.
 */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" className="button button--small" onClick={() => void copy()} data-testid={testId}>
        {state === 'copied' ? t('tokens.copied') : label}
      </button>
      <span role="status" className={state === 'failed' ? 'field__error' : 'visually-hidden'}>
        {state === 'copied' ? t('tokens.copied') : state === 'failed' ? t('tokens.copyFailed') : ''}
      </span>
    </>
  );
}
