import { queryOptions } from '@tanstack/react-query';
import { adminApi } from './api';

export const unitsQuery = (includeRetired: boolean) =>
  queryOptions({ queryKey: ['admin', 'units', { includeRetired }], queryFn: () => adminApi.units(includeRetired) });

export const positionsQuery = queryOptions({ queryKey: ['admin', 'positions'], queryFn: adminApi.positions });
export const rolesQuery = queryOptions({ queryKey: ['admin', 'roles'], queryFn: adminApi.roles, staleTime: 300_000 });
export const groupsQuery = queryOptions({ queryKey: ['admin', 'groups'], queryFn: adminApi.groups });
