import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Identity, type IdentityStorage, loadIdentity, saveIdentity } from './identity';

interface IdentityValue {
  readonly identity: Identity;
  readonly setIdentity: (identity: Identity) => void;
}

const IdentityContext = createContext<IdentityValue | null>(null);

function browserStorage(): IdentityStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Provides the person's display name and colour (see identity.ts), loaded once. */
export function IdentityProvider({ children, storage = browserStorage() }: { children: ReactNode; storage?: IdentityStorage | null }) {
  const { t } = useTranslation();
  const [identity, setState] = useState<Identity>(() =>
    loadIdentity(storage, {
      adjectives: t('identity.adjectives').split(','),
      animals: t('identity.animals').split(','),
      compose: (adjective, animal) => t('identity.defaultName', { adjective, animal }),
    }),
  );
  const setIdentity = useCallback(
    (next: Identity) => {
      saveIdentity(storage, next);
      setState(next);
    },
    [storage],
  );
  const value = useMemo(() => ({ identity, setIdentity }), [identity, setIdentity]);
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
}

export function useIdentity(): IdentityValue {
  const value = useContext(IdentityContext);
  if (!value) throw new Error('useIdentity must be used inside <IdentityProvider>');
  return value;
}
