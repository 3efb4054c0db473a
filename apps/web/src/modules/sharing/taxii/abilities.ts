import { useMe } from '../../../api/session';

// Mirrors the server's `taxii.manage` rule (apps/server/src/modules/sharing/taxii/index.ts): 機密性2 clearance and
// cyber_analyst or admin. The server still decides: a refused call shows its 403.
export function useTaxiiManage(): boolean {
  const me = useMe();
  const roles = me?.user.roles ?? [];
  return (me?.user.clearance ?? 0) >= 2 && (roles.includes('cyber_analyst') || roles.includes('admin'));
}
