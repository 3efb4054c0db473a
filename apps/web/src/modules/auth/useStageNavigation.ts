import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { meQuery, pathForStage } from '../../api/session';
import type { Stage } from '../../api/types';

/** After a sign-in step: reload the session (abilities change with the stage) and go where the stage says. */
export function useStageNavigation(): (stage: Stage) => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (stage: Stage) => {
      await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
      await navigate({ to: pathForStage(stage) });
    },
    [queryClient, navigate],
  );
}
