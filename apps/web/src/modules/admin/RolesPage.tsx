import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RequireAbility } from '../../components/RequireAbility';
import { scrollRegion } from '../../components/scrollRegion';
import { rolesQuery } from './queries';

/** The role vocabulary: what each role may do is decided by the policy engine, so the list is read-only. */
function RolesContent() {
  const { t, i18n } = useTranslation();
  const roles = useQuery(rolesQuery);
  const en = i18n.language.startsWith('en');
  return (
    <>
      <PageHeader title={t('admin.roles.title')} description={t('admin.roles.description')} />
      <ErrorAlert error={roles.error} />
      <Table.ScrollContainer minWidth={520} scrollAreaProps={scrollRegion(t('admin.roles.title'))}>
        <Table striped verticalSpacing="xs" aria-label={t('admin.roles.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.roles.name')}</Table.Th>
              <Table.Th>{t('admin.roles.code')}</Table.Th>
              <Table.Th>{t('admin.roles.what')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(roles.data?.items ?? []).map((role) => (
              <Table.Tr key={role.code}>
                <Table.Td>{en ? role.nameEn : role.nameJa}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {role.code}
                  </Text>
                </Table.Td>
                <Table.Td>{role.description}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

export function RolesPage() {
  return (
    <RequireAbility ability="manageUsers">
      <RolesContent />
    </RequireAbility>
  );
}
