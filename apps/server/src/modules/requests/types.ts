import type { Selectable } from 'kysely';
import type { FieldDef, TypeRules } from './vocab.ts';
import type { RequestTypeTable } from './tables.ts';

export interface RequestType {
  code: string;
  name: string;
  legalBasis: string;
  recipientKinds: string[];
  fields: FieldDef[];
  rules: TypeRules;
  templateCode: string;
}

export function toType(r: Selectable<RequestTypeTable>): RequestType {
  return {
    code: r.code,
    name: r.name,
    legalBasis: r.legal_basis,
    recipientKinds: JSON.parse(r.recipient_kinds) as string[],
    fields: JSON.parse(r.fields) as FieldDef[],
    rules: JSON.parse(r.rules) as TypeRules,
    templateCode: r.template_code,
  };
}

export interface ItemInput {
  /** url | domain | ipv4 | ipv6 | bank_account | wallet | phone | email | account | other */
  kind: string;
  value?: string | undefined;
  observableId?: string | undefined;
  recipientId?: string | undefined;
  account?:
    | { bankCode: string; branchCode: string; accountType: 'futsu' | 'toza'; number: string; holderKana: string }
    | undefined;
}

export interface NewRequestInput {
  typeCode: string;
  recipientId: string;
  title: string;
  confidentiality?: 1 | 2 | 3 | undefined;
  caseId?: string | undefined;
  reportId?: string | undefined;
  campaignId?: string | undefined;
  fields: Record<string, string | number>;
  items: ItemInput[];
  /** 通信履歴保全: days asked for (default 30, at most 30 in the first request). */
  periodDays?: number | undefined;
}
