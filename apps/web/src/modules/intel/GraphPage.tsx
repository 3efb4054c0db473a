import { Alert, Anchor, Badge, Button, Chip, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import type { ElementDefinition } from 'cytoscape';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { errorText } from '../../i18n';
import { type Graph, type GraphEdge, type GraphNode, intelApi } from './api';
import { CytoscapeGraph, type GraphElementData } from './CytoscapeGraph';
import { IntelNav } from './IntelNav';
import { placeHref } from './links';
import './strings';

interface State {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  expanded: Set<string>;
  truncated: boolean;
}

function merge(state: State, graph: Graph, expandedId: string): State {
  const nodes = new Map(state.nodes);
  const edges = new Map(state.edges);
  for (const n of graph.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  for (const e of graph.edges) edges.set(`${e.source}|${e.target}|${e.kind}`, e);
  return {
    nodes,
    edges,
    expanded: new Set([...state.expanded, expandedId]),
    truncated: state.truncated || graph.truncated,
  };
}

function Explorer({ startId }: { startId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const startKey = `o:${startId}`;
  const first = useQuery({ queryKey: ['intel', 'graph', startId], queryFn: () => intelApi.graph(startId) });
  const [extra, setExtra] = useState<State>({
    nodes: new Map(),
    edges: new Map(),
    expanded: new Set(),
    truncated: false,
  });
  const [hiddenTypes, setHiddenTypes] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<GraphNode | null>(null);

  const state = useMemo(() => (first.data ? merge(extra, first.data, startKey) : extra), [first.data, extra, startKey]);

  const elements = useMemo<ElementDefinition[]>(() => {
    const out: ElementDefinition[] = [];
    for (const n of state.nodes.values()) {
      out.push({
        data: { id: n.id, label: n.label, kind: n.kind, type: n.type },
        classes: n.id === startKey ? 'start' : undefined,
      });
    }
    for (const [key, e] of state.edges) {
      out.push({ data: { id: key, source: e.source, target: e.target, role: e.role ?? '' } });
    }
    return out;
  }, [state, startKey]);

  const types = useMemo(() => {
    const m = new Map<string, string>();
    for (const n of state.nodes.values()) if (n.id !== startKey) m.set(n.type, n.typeLabel);
    return [...m.entries()];
  }, [state, startKey]);

  const expand = useCallback(
    async (node: GraphNode) => {
      if (node.kind !== 'observable' || state.expanded.has(node.id)) return;
      try {
        const graph = await intelApi.graph(node.refId);
        setExtra((s) => merge(s, graph, node.id));
      } catch (err) {
        setError(err);
      }
    },
    [state.expanded],
  );

  const open = (node: GraphNode) => {
    if (node.kind === 'observable') {
      void navigate({ to: '/intel/observables/$id', params: { id: node.refId } });
      return;
    }
    const href = placeHref(node.type, node.refId);
    if (href) void navigate({ to: href });
    else setSelected(node);
  };

  const onTap = (data: GraphElementData) => {
    const node = state.nodes.get(data.id);
    if (!node) return;
    setSelected(node);
    if (node.kind === 'observable') void expand(node);
    else open(node);
  };

  const visibleNodes = [...state.nodes.values()].filter((n) => n.id === startKey || !hiddenTypes.includes(n.type));

  return (
    <Stack gap="sm">
      <ErrorAlert error={first.error} />
      {error ? <Alert color="red">{errorText(error)}</Alert> : null}
      {state.truncated && <Alert color="yellow">{t('intel.truncated')}</Alert>}
      {types.length > 0 && (
        <Group gap="xs" role="group" aria-label={t('intel.filterTypes')}>
          <Text size="sm" fw={700}>
            {t('intel.filterTypes')}
          </Text>
          {types.map(([type, label]) => (
            <Chip
              key={type}
              size="xs"
              checked={!hiddenTypes.includes(type)}
              onChange={(on) => setHiddenTypes((h) => (on ? h.filter((x) => x !== type) : [...h, type]))}
            >
              {label}
            </Chip>
          ))}
        </Group>
      )}
      <CytoscapeGraph
        elements={elements}
        hiddenTypes={hiddenTypes}
        onNodeTap={onTap}
        label={t('intel.graphLabel')}
        height="min(60vh, 560px)"
      />
      {selected && (
        <Paper withBorder p="xs" aria-live="polite">
          <Text size="sm">
            <Badge mr="xs">{selected.typeLabel}</Badge>
            {selected.label}
          </Text>
        </Paper>
      )}
      <Table.ScrollContainer minWidth={420} tabIndex={0} aria-label={t('intel.nodeList')}>
        <Table striped withTableBorder data-testid="graph-nodes">
          <Table.Caption>{t('intel.nodeList')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('intel.type')}</Table.Th>
              <Table.Th>{t('intel.place')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {visibleNodes.map((n) => (
              <Table.Tr key={n.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{n.typeLabel}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{n.label}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {n.kind === 'observable' && !state.expanded.has(n.id) && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => void expand(n)}
                        aria-label={`${t('intel.expand')}: ${n.label}`}
                      >
                        {t('intel.expand')}
                      </Button>
                    )}
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => open(n)}
                      aria-label={`${t('intel.open')}: ${n.label}`}
                    >
                      {t('intel.open')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function GraphPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/app/intel/observables/$id/graph' });
  return (
    <>
      <IntelNav />
      <PageHeader
        title={t('intel.graphTitle')}
        description={t('intel.graphDescription')}
        actions={
          <Anchor component={Link} to={`/intel/observables/${id}`}>
            {t('intel.observableTitle')}
          </Anchor>
        }
      />
      <Explorer key={id} startId={id} />
    </>
  );
}
