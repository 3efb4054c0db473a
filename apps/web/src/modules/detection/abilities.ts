import { useMe } from '../../api/session';

// What to show comes from `/api/auth/me`'s abilities (each one server policy action: detection.read,
// detection.hunt, detection.manage), so the rules live only in apps/server/src/modules/detection/policy.ts.
// The server still decides: a refused call shows its 403.
export interface DetectionAbilities {
  read: boolean;
  hunt: boolean;
  manage: boolean;
}

export function useDetectionAbilities(): DetectionAbilities {
  const abilities = useMe()?.abilities;
  return {
    read: abilities?.readDetection ?? false,
    hunt: abilities?.huntDetection ?? false,
    manage: abilities?.manageDetection ?? false,
  };
}
