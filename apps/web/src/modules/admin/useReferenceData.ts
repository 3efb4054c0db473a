import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role } from './api';
import { groupsQuery, positionsQuery, rolesQuery, unitsQuery } from './queries';
import { unitOptions } from './unitTree';

/** Units, positions, roles and groups as select options, for the user forms and filters. */
export function useReferenceData() {
  const { i18n } = useTranslation();
  const units = useQuery(unitsQuery(false));
  const positions = useQuery(positionsQuery);
  const roles = useQuery(rolesQuery);
  const groups = useQuery(groupsQuery);
  const roleName = (role: Role) => (i18n.resolvedLanguage === 'en' ? role.nameEn : role.nameJa);
  return {
    error: units.error ?? positions.error ?? roles.error ?? groups.error,
    unitOptions: unitOptions(units.data?.items ?? []),
    positionOptions: [...(positions.data?.items ?? [])]
      .sort((a, b) => a.rank - b.rank)
      .map((position) => ({ value: position.id, label: position.name })),
    roles: roles.data?.items ?? [],
    roleName,
    roleLabel: (code: string) => {
      const role = roles.data?.items.find((item) => item.code === code);
      return role ? roleName(role) : code;
    },
    groupOptions: (groups.data?.items ?? []).map((group) => ({ value: group.id, label: group.name })),
  };
}
