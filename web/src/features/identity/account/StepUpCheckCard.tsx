import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import { useCurrentMe } from '../session';
import { useStepUp } from '../stepup/StepUpProvider';

/** "Verify it's you": elevates the session on demand and shows until when. */
export function StepUpCheckCard() {
  const { t } = useTranslation('identity');
  const me = useCurrentMe();
  const requestStepUp = useStepUp();
  const format = useFormatters();
  const [verifying, setVerifying] = useState(false);
  const elevatedUntil = me.stepUp.elevatedUntil;
  const elevated = elevatedUntil !== null && new Date(elevatedUntil).getTime() > Date.now();

  const verify = async () => {
    setVerifying(true);
    try {
      await requestStepUp();
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Card withBorder padding="lg">
      <Stack gap="sm" align="flex-start">
        <Title order={4}>{t('stepUp.cardTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('stepUp.cardText')}
        </Text>
        {elevated && (
          <Text size="sm" data-testid="elevated-until">
            {t('stepUp.elevatedUntil', { time: format.dateTime(elevatedUntil) })}
          </Text>
        )}
        <Button variant="light" onClick={verify} loading={verifying} data-testid="stepup-test">
          {t('stepUp.title')}
        </Button>
      </Stack>
    </Card>
  );
}
