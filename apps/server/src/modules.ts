import { adminModule } from './modules/admin/index.ts';
import { auditModule } from './modules/audit/index.ts';
import { authModule } from './modules/auth/index.ts';
import { casesModule } from './modules/cases/index.ts';
import { caseEvidenceModule } from './modules/cases/evidence/index.ts';
import { caseSupportModule } from './modules/cases/support/index.ts';
import { caseAssistanceModule, caseJointModule, npaReportsModule } from './modules/cases/joint/index.ts';
import { detectionModule } from './modules/detection/index.ts';
import { documentsModule } from './modules/documents/index.ts';
import { intakeModule, intakePublicModule } from './modules/intake/index.ts';
import { intelModule } from './modules/intel/index.ts';
import { jobsModule } from './modules/jobs/index.ts';
import { outboxModule } from './modules/outbox/index.ts';
import { requestsModule } from './modules/requests/index.ts';
import { requestRecipientsModule } from './modules/requests/recipients/index.ts';
import { sharingModule } from './modules/sharing/index.ts';
import { taxiiModule } from './modules/sharing/taxii/index.ts';
import type { RenkeiModule } from './platform/module.ts';

/** The explicit, ordered list of modules (ARCHITECTURE.md). */
export const modules: RenkeiModule[] = [
  authModule,
  adminModule,
  auditModule,
  outboxModule,
  jobsModule,
  documentsModule,
  intelModule,
  sharingModule,
  taxiiModule,
  detectionModule,
  intakeModule,
  intakePublicModule,
  casesModule,
  caseEvidenceModule,
  caseSupportModule,
  caseJointModule,
  caseAssistanceModule,
  npaReportsModule,
  requestsModule,
  requestRecipientsModule,
];
