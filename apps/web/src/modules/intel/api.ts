import { ApiError, api, withQuery } from '../../api/client';
import { csrfHeader } from './csrf';

export type Role = 'suspect' | 'victim' | 'unknown';
export const ROLES: Role[] = ['suspect', 'victim', 'unknown'];
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];
export const ENTITY_KINDS = ['campaign', 'actor', 'malware', 'ransomware'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface Observable {
  id: string;
  type: string;
  typeLabel: string;
  value: string;
  display: string;
  tlp: string;
  pap: string | null;
  confidence: number | null;
  reliability: string | null;
  firstSeen: string;
  lastSeen: string;
  expiresAt: string | null;
  expired: boolean;
  tags: string[];
  warnings: { code: string; name: string }[];
  counts: { placeType: string; label: string; visible: number; capped: boolean; hidden: number | null }[];
}

export interface PlaceItem {
  type: string;
  typeLabel: string;
  id: string;
  title: string | null;
  role: Role;
  roleLabel: string;
  roleDecidedBy: string | null;
  roleDecidedAt: string | null;
  firstSeen: string;
  lastSeen: string;
  count: number;
  reason: string | null;
}

export interface ObservableDetail {
  observable: Observable;
  sightings: {
    sourceId: string;
    source: string | null;
    role: Role;
    firstSeen: string;
    lastSeen: string;
    count: number;
  }[];
  places: PlaceItem[];
  placesNextCursor: string | null;
  related: {
    id: string;
    type: string;
    typeLabel: string;
    value: string;
    display: string;
    link: string;
    direction: 'derived' | 'derived_from';
  }[];
}

export interface GraphNode {
  id: string;
  kind: 'observable' | 'place';
  type: string;
  label: string;
  typeLabel: string;
  refId: string;
}
export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  label: string;
  role?: string;
}
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

export interface Entity {
  id: string;
  kind: EntityKind;
  kindLabel: string;
  name: string;
  aliases: string[];
  description: string;
  tlp: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface EntityDetail extends Entity {
  links: { placeType: string; placeTypeLabel: string; placeId: string; reason: string; createdAt: string }[];
  observables: { id: string; type: string; value: string; display: string; role: Role; reason: string | null }[];
}
export interface EntityInput {
  kind?: EntityKind;
  name: string;
  aliases: string[];
  description: string;
  tlp: Tlp;
}

export interface ImportSummary {
  sourceId: string;
  lines: number;
  accepted: number;
  badLines: number;
  bad: { line: number; reason: string }[];
  newObservables: number;
  newOccurrences: number;
  batches: number;
}

export interface ImportOptions {
  source: string;
  format: 'txt' | 'csv' | 'jsonl';
  tlp: Tlp;
  valueColumn?: string;
  typeColumn?: string;
}

export const intelApi = {
  lookup: (value: string) => api.get<ObservableDetail>('/api/observables/lookup', { value }),
  get: (id: string) => api.get<ObservableDetail>(`/api/observables/${id}`),
  graph: (id: string, types?: string[]) =>
    api.get<Graph>(`/api/observables/${id}/graph`, { depth: 1, types: types?.join(',') }),
  setRole: (id: string, placeType: string, placeId: string, role: Role) =>
    api.patch<unknown>(`/api/observables/${id}/role`, { placeType, placeId, role }),
  entities: (kind?: string) =>
    api.get<{ items: Entity[]; nextCursor: string | null }>('/api/observables/entities', { kind, limit: 200 }),
  entity: (id: string) => api.get<EntityDetail>(`/api/observables/entities/${id}`),
  createEntity: (input: EntityInput) => api.post<Entity>('/api/observables/entities', input),
  updateEntity: (id: string, input: Omit<EntityInput, 'kind'>) =>
    api.patch<Entity>(`/api/observables/entities/${id}`, input),
  linkObservable: (entityId: string, observableId: string, reason: string) =>
    api.post<unknown>(`/api/observables/entities/${entityId}/observables`, {
      observables: [{ observableId, reason }],
    }),
  /** The file is sent as the body itself (the server reads it as a stream; gzip is recognised by its bytes). */
  async importFile(file: Blob, options: ImportOptions): Promise<ImportSummary> {
    const response = await fetch(withQuery('/api/observables/import', { ...options }), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json', ...(await csrfHeader()) },
      body: file,
    });
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!response.ok) {
      throw new ApiError(response.status, body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? '');
    }
    return body as ImportSummary;
  },
};
