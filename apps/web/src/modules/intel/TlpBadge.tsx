import { Badge } from '@mantine/core';

// FIRST TLP 2.0 colours: coloured text on black, which also keeps the contrast readable.
const colours: Record<string, string> = {
  clear: '#ffffff',
  green: '#33ff00',
  amber: '#ffc000',
  'amber+strict': '#ffc000',
  red: '#ff2b2b',
};

export function TlpBadge({ tlp }: { tlp: string }) {
  return (
    <Badge radius="xs" tt="none" style={{ background: '#000', color: colours[tlp] ?? '#fff' }}>
      TLP:{tlp.toUpperCase()}
    </Badge>
  );
}
