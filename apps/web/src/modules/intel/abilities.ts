import { useMe } from '../../api/session';

// `/api/auth/me` has no intel abilities yet: mirror the server's rules (apps/server/src/modules/intel/policy.ts)
// to decide what to show. The server still decides: a refused call shows its 403.
const READERS = ['cyber_analyst', 'investigator', 'station_officer', 'csirt', 'viewer'];
const WRITERS = ['cyber_analyst', 'investigator', 'csirt'];
const IMPORTERS = ['cyber_analyst', 'csirt'];

export interface IntelAbilities {
  read: boolean;
  write: boolean;
  import: boolean;
}

export function useIntelAbilities(): IntelAbilities {
  const me = useMe();
  const roles = me?.user.roles ?? [];
  const cleared = (me?.user.clearance ?? 0) >= 2;
  const any = (list: string[]) => cleared && roles.some((r) => list.includes(r));
  return { read: any(READERS), write: any(WRITERS), import: any(IMPORTERS) };
}
