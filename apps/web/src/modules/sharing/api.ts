import { api, withQuery } from '../../api/client';

export const PARTNER_KINDS = [
  'npa',
  'jc3',
  'prefecture',
  'vendor',
  'council',
  'bank',
  'telecom',
  'isp',
  'other',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const TLP_CEILINGS = ['clear', 'green', 'amber', 'amber+strict'] as const;
export type TlpCeiling = (typeof TLP_CEILINGS)[number];

export interface Partner {
  id: string;
  name: string;
  kind: PartnerKind;
  tlpMax: TlpCeiling;
  official: boolean;
  agreement: string;
  agreementSignedOn: string | null;
  contacts: { name: string; email?: string; phone?: string; role?: string }[];
  hasMachineAccount: boolean;
  note: string;
  disabled: boolean;
  createdAt: string;
}

export interface PartnerInput {
  name: string;
  kind: PartnerKind;
  tlpMax: TlpCeiling;
  official?: boolean;
  agreement?: string;
  contacts?: { name: string; email?: string }[];
}

export interface Preview {
  recipient: { id: string; name: string } | null;
  sent: Record<string, number>;
  withheld: Record<string, number>;
  withheldItems: { type: string; id: string; label: string; reason: string }[];
  objects: number;
}

export const sharingApi = {
  partners: () => api.get<{ items: Partner[] }>('/api/sharing/partners'),
  createPartner: (input: PartnerInput) => api.post<Partner>('/api/sharing/partners', input),
  preview: (partner: string | null) => api.get<Preview>('/api/sharing/preview', partner ? { partner } : {}),
  downloadUrl: (kind: 'stix' | 'phishing-urls', partner: string | null, format?: 'txt' | 'csv') =>
    withQuery(`/api/sharing/export/${kind}`, {
      ...(partner ? { partner } : {}),
      ...(format ? { format } : {}),
    }),
};
