import {
  IconBriefcase,
  IconSend,
  IconBuilding,
  IconChecklist,
  IconLifebuoy,
  IconHierarchy2,
  IconHome,
  IconFileText,
  IconKey,
  IconMail,
  IconInbox,
  IconShieldLock,
  IconAlertTriangle,
  IconUsersGroup,
  IconListSearch,
  IconRadar,
  IconRss,
  IconShare,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { Abilities } from '../api/types';

export interface NavItem {
  to:
    | '/'
    | '/admin/units'
    | '/admin/positions'
    | '/admin/users'
    | '/admin/tokens'
    | '/audit'
    | '/intel'
    | '/sharing'
    | '/sharing/taxii'
    | '/detection'
    | '/intake'
    | '/cases'
    | '/requests'
    | '/support'
    | '/analysis-approvals'
    | '/admin/roles'
    | '/admin/jobs'
    | '/admin/groups'
    | '/admin/outbox'
    | '/admin/document-templates';
  labelKey: string;
  icon: Icon;
  /** Shown only when the session has this ability; undefined = everyone signed in. */
  ability?: keyof Abilities;
  group: 'main' | 'admin' | 'audit';
}

export const navItems: NavItem[] = [
  { to: '/', labelKey: 'nav.home', icon: IconHome, group: 'main' },
  { to: '/intake', labelKey: 'nav.intake', icon: IconInbox, group: 'main' },
  { to: '/intel', labelKey: 'intel.nav', icon: IconRadar, ability: 'readIntel', group: 'main' },
  { to: '/sharing', labelKey: 'sharing.nav', icon: IconShare, ability: 'readSharing', group: 'main' },
  { to: '/sharing/taxii', labelKey: 'taxii.nav', icon: IconShare, ability: 'manageTaxii', group: 'main' },
  { to: '/detection', labelKey: 'detection.nav', icon: IconRss, ability: 'readDetection', group: 'main' },
  { to: '/cases', labelKey: 'cases.nav', icon: IconBriefcase, group: 'main' },
  { to: '/requests', labelKey: 'requests.nav', icon: IconSend, ability: 'readRequests', group: 'main' },
  { to: '/support', labelKey: 'casework.supportTitle', icon: IconLifebuoy, group: 'main' },
  { to: '/analysis-approvals', labelKey: 'casework.approvalsTitle', icon: IconChecklist, group: 'main' },
  { to: '/admin/units', labelKey: 'nav.units', icon: IconBuilding, ability: 'manageOrganisation', group: 'admin' },
  {
    to: '/admin/positions',
    labelKey: 'nav.positions',
    icon: IconHierarchy2,
    ability: 'manageOrganisation',
    group: 'admin',
  },
  { to: '/admin/users', labelKey: 'nav.users', icon: IconUsers, ability: 'manageUsers', group: 'admin' },
  { to: '/admin/roles', labelKey: 'nav.roles', icon: IconShieldLock, ability: 'manageUsers', group: 'admin' },
  { to: '/admin/tokens', labelKey: 'nav.tokens', icon: IconKey, ability: 'manageTokens', group: 'admin' },
  {
    to: '/admin/groups',
    labelKey: 'documents.groupsNav',
    icon: IconUsersGroup,
    ability: 'manageOrganisation',
    group: 'admin',
  },
  { to: '/admin/outbox', labelKey: 'outbox.nav', icon: IconMail, ability: 'readOutbox', group: 'admin' },
  {
    to: '/admin/document-templates',
    labelKey: 'documents.nav',
    icon: IconFileText,
    ability: 'manageOrganisation',
    group: 'admin',
  },
  { to: '/admin/jobs', labelKey: 'nav.jobs', icon: IconAlertTriangle, ability: 'manageUsers', group: 'admin' },
  { to: '/audit', labelKey: 'nav.audit', icon: IconListSearch, ability: 'readAudit', group: 'audit' },
];

export function allowedNavItems(abilities: Abilities | undefined): NavItem[] {
  return navItems.filter((item) => !item.ability || abilities?.[item.ability] === true);
}

export function hasAdminAbility(abilities: Abilities | undefined): boolean {
  return Boolean(abilities?.manageOrganisation || abilities?.manageUsers || abilities?.manageTokens);
}
