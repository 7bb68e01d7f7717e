import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * An email's HTML runs in a sandboxed frame without scripts, forms or same-origin access;
 * everything else is plain text with its line breaks kept.
 */
export function MessageBody({ bodyText, bodyHtml }: { bodyText: string; bodyHtml: string | null }) {
  const { t } = useTranslation('cases');
  if (bodyHtml) {
    return (
      <iframe
        sandbox=""
        srcDoc={bodyHtml}
        title={t('timeline.htmlTitle')}
        style={{ width: '100%', height: 160, border: 0, background: 'white', resize: 'vertical' }}
        data-testid="message-html"
      />
    );
  }
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-text">
      {bodyText}
    </Text>
  );
}
