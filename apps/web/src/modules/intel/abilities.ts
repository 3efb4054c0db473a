import { useMe } from '../../api/session';

// What to show comes from `/api/auth/me`'s abilities (each one server policy action: intel.read, intel.write,
// intel.import), so the rules live only in apps/server/src/modules/intel/policy.ts. The server still decides:
// a refused call shows its 403.
export interface IntelAbilities {
  read: boolean;
  write: boolean;
  import: boolean;
}

export function useIntelAbilities(): IntelAbilities {
  const abilities = useMe()?.abilities;
  return {
    read: abilities?.readIntel ?? false,
    write: abilities?.writeIntel ?? false,
    import: abilities?.importIntel ?? false,
  };
}
