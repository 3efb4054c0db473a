import {
  IconAddressBook,
  IconBriefcase,
  IconChartBar,
  IconFolders,
  IconListSearch,
  IconRadar,
  IconSend,
  IconSettings,
  IconShare,
  type Icon,
} from '@tabler/icons-react';
import type { Abilities } from '../../api/types';
import { hasAdminAbility } from '../../layout/navigation';

export interface ModuleCard {
  key: string;
  icon: Icon;
  /** Where the card leads once the module exists; undefined = not built yet (準備中). */
  to?: '/admin' | '/audit' | '/intake' | '/intel';
  /** Hidden unless this returns true; undefined = everyone. */
  visible?: (abilities: Abilities) => boolean;
}

// The order follows the division's work: intake → cases → intelligence → countermeasures → sharing → the rest.
export const moduleCards: ModuleCard[] = [
  { key: 'intake', icon: IconAddressBook, to: '/intake' },
  { key: 'cases', icon: IconBriefcase },
  { key: 'intel', icon: IconRadar, to: '/intel', visible: (abilities) => abilities.readIntel },
  { key: 'requests', icon: IconSend },
  { key: 'sharing', icon: IconShare },
  { key: 'outreach', icon: IconFolders },
  { key: 'stats', icon: IconChartBar },
  { key: 'admin', icon: IconSettings, to: '/admin', visible: hasAdminAbility },
  { key: 'audit', icon: IconListSearch, to: '/audit', visible: (abilities) => abilities.readAudit },
];
