import { Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../layout/LanguageSwitch';

interface Props {
  title: string;
  description?: string;
  children: ReactNode;
  width?: number;
  aside?: ReactNode;
}

/** The frame of the sign-in pages: product name, language switch, one card. */
export function AuthLayout({ title, description, children, width = 440, aside }: Props) {
  const { t } = useTranslation();
  useDocumentTitle(`${title} | ${t('app.name')}`);
  return (
    <Box mih="100vh" bg="gray.1">
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group h={56} px="md" justify="space-between">
          <Text fw={700} size="lg" c="indigo.9">
            連携{' '}
            <Text span fw={500} c="gray.8" inherit lang="en">
              Renkei
            </Text>
          </Text>
          <Group gap="xs">
            {aside}
            <LanguageSwitch />
          </Group>
        </Group>
      </Box>
      <Container component="main" size={width} py={40} px="md">
        <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                {title}
              </Title>
              {description && (
                <Text size="sm" c="dimmed" mt={6}>
                  {description}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
        <Text size="xs" c="dimmed" ta="center" mt="md">
          {t('app.tagline')}
        </Text>
      </Container>
    </Box>
  );
}
