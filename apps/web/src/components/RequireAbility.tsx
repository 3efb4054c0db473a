import type { ReactNode } from 'react';
import { useMe } from '../api/session';
import type { Abilities } from '../api/types';
import { ForbiddenNotice } from './ForbiddenNotice';

/** Renders the page only for sessions with the ability; everyone else gets the refusal notice. */
export function RequireAbility({ ability, children }: { ability: keyof Abilities; children: ReactNode }) {
  const me = useMe();
  if (!me?.abilities[ability]) return <ForbiddenNotice />;
  return <>{children}</>;
}
