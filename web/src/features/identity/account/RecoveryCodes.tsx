import { Alert, Button, Code, CopyButton, Group, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The recovery codes, shown once right after enrolment. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation(['identity', 'common']);
  return (
    <Alert color="yellow" title={t('totp.recoveryTitle')} data-testid="recovery-codes">
      {t('totp.recoveryText')}
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" my="sm">
        {codes.map((code) => (
          <Code key={code} data-testid="recovery-code" ta="center">
            {code}
          </Code>
        ))}
      </SimpleGrid>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" color={copied ? 'teal' : 'yellow'} onClick={copy}>
              {copied ? t('common:actions.copied') : t('common:actions.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}
