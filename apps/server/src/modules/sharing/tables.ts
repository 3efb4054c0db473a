/** Table types of the sharing module (migration 0010_sharing). */
export interface SharingPartnerTable {
  id: string;
  name: string;
  kind: string;
  tlp_max: string;
  official: number;
  agreement: string;
  agreement_signed_on: string | null;
  /** JSON array of `{name, email?, phone?, role?}`. */
  contacts: string;
  machine_user_id: string | null;
  stix_identity_id: string;
  note: string;
  disabled_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** 格付, named recipients and personal-data flags set on an object for egress (a release decision). */
export interface SharingMarkingTable {
  object_type: string;
  object_id: string;
  confidentiality: number;
  /** JSON array of partner ids; empty: not restricted to named recipients. */
  recipients: string;
  /** JSON array of 'reporter' | 'victim' | 'suspect'. */
  personal: string;
  reason: string;
  decided_by: string | null;
  decided_at: string;
}

export interface SharingImportTable {
  id: string;
  format: string;
  name: string;
  partner_id: string | null;
  source_id: string | null;
  objects: number;
  observables: number;
  status: string;
  reason: string | null;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface SharingStixObjectTable {
  stix_id: string;
  type: string;
  modified: string | null;
  tlp: string;
  confidentiality: number;
  body: string;
  import_id: string;
  received_at: string;
}

export interface SharingObjectMapTable {
  format: string;
  foreign_id: string;
  object_type: string;
  object_id: string;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    sharing_partners: SharingPartnerTable;
    sharing_markings: SharingMarkingTable;
    sharing_imports: SharingImportTable;
    sharing_stix_objects: SharingStixObjectTable;
    sharing_object_map: SharingObjectMapTable;
  }
}
