import { Alert, Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { casesApi } from './api';
import './strings';

/** "事件化する" on a report page: opens a case linked to the report (its values become case observables). */
export function OpenCaseButton({ reportId, summary }: { reportId: string; summary: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const open = useMutation({
    mutationFn: () => casesApi.create({ title: summary.slice(0, 200) || reportId, type: 'cyber_crime', reportId }),
    onSuccess: (r) => navigate({ to: '/cases/$id', params: { id: r.id } }),
  });
  return (
    <>
      <Button variant="light" color="grape" onClick={() => open.mutate()} loading={open.isPending}>
        {t('cases.openCase')}
      </Button>
      {open.isError && <Alert color="red">{String(open.error)}</Alert>}
    </>
  );
}
