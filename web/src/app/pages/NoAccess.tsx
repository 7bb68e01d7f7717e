import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function NoAccess() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('noAccess.title')} data-testid="no-access">
      {t('noAccess.text')}
    </Alert>
  );
}
