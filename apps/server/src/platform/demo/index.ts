import { loadPlatformDemo } from './platformPart.ts';
import { registerDemoPart } from './registry.ts';

export {
  DEMO_PREFIX,
  DEMO_SETTING,
  type DemoPart,
  demoLoaded,
  demoParts,
  loadDemoData,
  registerDemoPart,
} from './registry.ts';
export { DEMO_PASSWORD, DEMO_STAFF } from './platformPart.ts';

// The platform's own part comes first: the staff, groups and templates the modules' parts build on.
registerDemoPart('platform', loadPlatformDemo);
