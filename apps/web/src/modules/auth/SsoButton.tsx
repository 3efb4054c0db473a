import { Alert, Button, Divider } from '@mantine/core';
import { IconLogin2 } from '@tabler/icons-react';
import i18n from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

i18n.addResourceBundle(
  'ja',
  'translation',
  {
    auth: {
      sso: {
        button: '組織のアカウントでサインイン（SSO）',
        or: 'または',
        failed: 'シングルサインオンに失敗しました。もう一度お試しいただくか、IDとパスワードでサインインしてください。',
      },
    },
  },
  true,
  false,
);
i18n.addResourceBundle(
  'en',
  'translation',
  {
    auth: {
      sso: {
        button: 'Sign in with your organisation account (SSO)',
        or: 'or',
        failed: 'Single sign-on failed. Try again, or sign in with your ID and password.',
      },
    },
  },
  true,
  false,
);

/**
 * The server answers `GET /api/auth/oidc/start` with 404 when single sign-on is not configured and with a redirect
 * to the identity provider when it is: a fetch that does not follow redirects tells the two apart.
 */
function useSsoAvailable(): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let live = true;
    fetch('/api/auth/oidc/start', { redirect: 'manual', credentials: 'same-origin' })
      .then((response) => {
        if (live) setAvailable(response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400));
        // An unread body keeps the request open (the page never goes network-idle): read it to the end.
        return response.arrayBuffer();
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return available;
}

/** The SSO button (only when the server has OIDC configured) and the `?sso=failed` message. */
export function SsoSection() {
  const { t } = useTranslation();
  const available = useSsoAvailable();
  const failed = new URLSearchParams(window.location.search).get('sso') === 'failed';
  return (
    <>
      {failed && (
        <Alert color="red" variant="light" role="alert" mb="sm">
          {t('auth.sso.failed')}
        </Alert>
      )}
      {available && (
        <>
          <Divider label={t('auth.sso.or')} labelPosition="center" my="md" />
          <Button
            component="a"
            href="/api/auth/oidc/start"
            variant="default"
            fullWidth
            leftSection={<IconLogin2 size={16} aria-hidden />}
          >
            {t('auth.sso.button')}
          </Button>
        </>
      )}
    </>
  );
}
