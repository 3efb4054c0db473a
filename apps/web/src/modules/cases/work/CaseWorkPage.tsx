import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AnalysisPanel, ApprovalsPage } from './AnalysisPanels';
import { workApi } from './api';
import { EvidenceDetailView, EvidencePanel } from './EvidencePanels';
import { CaseSupportPanel, RequestSupportForm, SupportInboxPage } from './SupportPages';
import './strings';
import { AssistancePanel } from './AssistancePanel';
import { JointPanel } from './JointPanel';
import { NpaReportsPanel } from './NpaReportsPanel';
import { PackagePanel } from './PackagePanel';
import { VictimProfilePanel, WarrantForm } from './WorkForms';

export { AnalysisPanel, ApprovalsPage, CaseSupportPanel, EvidencePanel, RequestSupportForm, SupportInboxPage };

/** The case's warrants with their validity (mountable on the case page). */
export function WarrantsPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['casework', 'warrants', caseId], queryFn: () => workApi.warrants(caseId) });
  const items = q.data?.items ?? [];
  if (items.length === 0) return <Text size="sm">{t('casework.noWarrants')}</Text>;
  return (
    <Table striped>
      <Table.Tbody>
        {items.map((w) => (
          <Table.Tr key={w.id}>
            <Table.Td>{w.kindLabel}</Table.Td>
            <Table.Td>{w.reference ?? ''}</Table.Td>
            <Table.Td>{w.target}</Table.Td>
            <Table.Td>
              <Badge color={w.daysLeft !== null && w.daysLeft <= 2 ? 'red' : 'gray'} variant="light">
                {w.validUntil ? `${w.validUntil}（${t('casework.daysLeft', { n: w.daysLeft ?? 0 })}）` : w.status}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <Paper component="section" withBorder p="sm" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** `/cases/$id/work`: support, evidence, analysis and warrants of one case. */
export function CaseWorkPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('casework.caseWork')}
        </Title>
        <Link to="/cases/$id" params={{ id }}>
          {t('casework.open')}
        </Link>
      </Group>
      <Section id="cw-support" title={t('casework.supportTitle')}>
        <Stack gap="sm">
          <CaseSupportPanel caseId={id} />
          <RequestSupportForm caseId={id} />
        </Stack>
      </Section>
      <Section id="cw-evidence" title={t('casework.evidence')}>
        <EvidencePanel caseId={id} />
      </Section>
      <Section id="cw-analysis" title={t('casework.analysis')}>
        <AnalysisPanel caseId={id} />
      </Section>
      <Section id="cw-warrants" title={t('casework.warrants')}>
        <Stack gap="sm">
          <WarrantsPanel caseId={id} />
          <WarrantForm caseId={id} />
        </Stack>
      </Section>
      <Section id="cw-victim" title={t('casework.forms.victim')}>
        <VictimProfilePanel caseId={id} />
      </Section>
      <Section id="cw-assistance" title={t('casework.forms.assist.title')}>
        <AssistancePanel caseId={id} />
      </Section>
      <Section id="cw-joint" title={t('casework.forms.joint.title')}>
        <JointPanel caseId={id} />
      </Section>
      <Section id="cw-package" title={t('casework.package.title')}>
        <PackagePanel caseId={id} />
      </Section>
      <Section id="cw-npa" title={t('casework.forms.npa.title')}>
        <NpaReportsPanel caseId={id} />
      </Section>
    </Stack>
  );
}

/** `/cases/$id/evidence/$evidenceId` */
export function EvidencePage() {
  const { id, evidenceId } = useParams({ strict: false }) as { id: string; evidenceId: string };
  return <EvidenceDetailView caseId={id} evidenceId={evidenceId} />;
}
