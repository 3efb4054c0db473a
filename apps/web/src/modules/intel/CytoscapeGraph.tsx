import cytoscape, { type Core, type ElementDefinition, type LayoutOptions, type StylesheetJson } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { useEffect, useRef } from 'react';

cytoscape.use(fcose);

export interface GraphElementData {
  id: string;
  label?: string;
  kind?: string;
  type?: string;
  source?: string;
  target?: string;
  role?: string;
}

/** fcose settings: incremental for small graphs, the spectral draft alone for big ones (thousands of nodes). */
export function layoutOptions(nodeCount: number, randomize: boolean): LayoutOptions {
  const big = nodeCount > 1000;
  return {
    name: 'fcose',
    quality: big ? 'draft' : 'default',
    randomize: big ? true : randomize,
    animate: false,
    fit: true,
    padding: 24,
    nodeDimensionsIncludeLabels: false,
    numIter: big ? 500 : 2500,
    samplingType: true,
    sampleSize: big ? 10 : 25,
    // Packing disconnected components costs seconds at thousands of nodes; small graphs keep it.
    packComponents: !big,
    nodeSeparation: 60,
    idealEdgeLength: 90,
  } as LayoutOptions;
}

const style: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'font-family': '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': '160px',
      'background-color': '#4263eb',
      width: 22,
      height: 22,
      color: '#212529',
    },
  },
  { selector: 'node[kind = "place"]', style: { shape: 'round-rectangle', 'background-color': '#e8590c' } },
  { selector: 'node[type = "entity"]', style: { shape: 'diamond', 'background-color': '#9c36b5' } },
  { selector: 'node[type = "source"]', style: { shape: 'barrel', 'background-color': '#868e96' } },
  { selector: 'node.start', style: { 'border-width': 4, 'border-color': '#212529' } },
  { selector: 'node.hidden-type, edge.hidden-type', style: { display: 'none' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#fab005' } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#adb5bd',
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'target-arrow-color': '#adb5bd',
    },
  },
  { selector: 'edge[role = "suspect"]', style: { 'line-color': '#e03131', 'target-arrow-color': '#e03131' } },
  { selector: 'edge[role = "victim"]', style: { 'line-color': '#1c7ed6', 'target-arrow-color': '#1c7ed6' } },
];

/** Lays `elements` out headlessly and returns the milliseconds fcose took (used by the browser benchmark). */
export function measureLayout(elements: ElementDefinition[]): number {
  const cy = cytoscape({ headless: true, styleEnabled: true, elements, style });
  const nodeCount = cy.nodes().length;
  const started = performance.now();
  cy.layout(layoutOptions(nodeCount, true)).run();
  const took = performance.now() - started;
  cy.destroy();
  return took;
}

function applyFilter(cy: Core, hiddenTypes: string[]) {
  cy.batch(() => {
    cy.elements().removeClass('hidden-type');
    const hidden = cy.nodes().filter((n) => hiddenTypes.includes(n.data('type') as string) && !n.hasClass('start'));
    hidden.addClass('hidden-type');
    hidden.connectedEdges().addClass('hidden-type');
  });
}

interface Props {
  elements: ElementDefinition[];
  /** Node ids of hidden types (filter). */
  hiddenTypes: string[];
  onNodeTap: (data: GraphElementData) => void;
  label: string;
  height?: number | string;
  /** Called with the fcose time of each layout run. */
  onLayout?: (ms: number) => void;
}

/** A small React wrapper: one Cytoscape instance; new elements are added and laid out incrementally. */
export function CytoscapeGraph({ elements, hiddenTypes, onNodeTap, label, height = 520, onLayout }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const tapRef = useRef(onNodeTap);
  tapRef.current = onNodeTap;
  const layoutRef = useRef(onLayout);
  layoutRef.current = onLayout;
  const hiddenRef = useRef(hiddenTypes);

  useEffect(() => {
    if (!container.current) return;
    const cy = cytoscape({ container: container.current, style, minZoom: 0.1, maxZoom: 4, wheelSensitivity: 0.3 });
    cy.on('tap', 'node', (event) => tapRef.current(event.target.data() as GraphElementData));
    cyRef.current = cy;
    (window as unknown as { __renkeiGraph?: Core }).__renkeiGraph = cy;
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const fresh = elements.filter((e) => e.data.id && cy.getElementById(e.data.id).empty());
    if (fresh.length === 0) return;
    const hadNodes = cy.nodes().length > 0;
    cy.add(fresh);
    const started = performance.now();
    cy.layout(layoutOptions(cy.nodes().length, !hadNodes)).run();
    layoutRef.current?.(performance.now() - started);
    applyFilter(cy, hiddenRef.current);
  }, [elements]);

  useEffect(() => {
    hiddenRef.current = hiddenTypes;
    const cy = cyRef.current;
    if (cy) applyFilter(cy, hiddenTypes);
  }, [hiddenTypes]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      data-testid="graph-canvas"
      style={{
        width: '100%',
        height,
        border: '1px solid var(--mantine-color-gray-4)',
        borderRadius: 4,
        background: '#fff',
      }}
    />
  );
}
