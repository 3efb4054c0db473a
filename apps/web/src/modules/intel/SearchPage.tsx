import { Paper } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { IntelNav } from './IntelNav';
import { SearchBox } from './SearchBox';
import './strings';

export function SearchPage() {
  const { t } = useTranslation();
  return (
    <>
      <IntelNav />
      <PageHeader title={t('intel.searchTitle')} description={t('intel.searchDescription')} />
      <Paper withBorder p="md">
        <SearchBox autoFocus />
      </Paper>
    </>
  );
}
