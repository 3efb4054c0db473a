import { useMe } from '../../../api/session';

// The `manageTaxii` ability of `/api/auth/me` is the server's `taxii.manage` policy action
// (apps/server/src/modules/sharing/taxii/index.ts), so the web does not mirror the rule. The server still decides:
// a refused call shows its 403.
export function useTaxiiManage(): boolean {
  return useMe()?.abilities.manageTaxii ?? false;
}
