import { useMe } from '../../api/session';

// Mirrors apps/server/src/modules/detection/policy.ts to decide what to show; the server still decides.
const READERS = ['cyber_analyst', 'investigator', 'csirt', 'viewer'];
const HUNTERS = ['cyber_analyst', 'investigator', 'csirt'];
const MANAGERS = ['cyber_analyst'];

export function useDetectionAbilities(): { read: boolean; hunt: boolean; manage: boolean } {
  const me = useMe();
  const roles = me?.user.roles ?? [];
  const cleared = (me?.user.clearance ?? 0) >= 2;
  const any = (list: string[]) => cleared && roles.some((r) => list.includes(r));
  return { read: any(READERS), hunt: any(HUNTERS), manage: any(MANAGERS) };
}
