import { Alert, Anchor, Box, Button, Collapse, Group, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emailDocument } from './emailDocument';

/**
 * An email's HTML runs in a sandboxed frame: no scripts, no same-origin access, no forms or
 * navigation of the app; only links may open, in a new tab without opener or referrer. A strict
 * Content Security Policy inside keeps it from loading anything remote until the agent asks
 * for this message's remote images. Everything else is plain text with its line breaks kept.
 * Quoted history (the `quotedText`, or blocks the sanitiser marked in the HTML) starts folded.
 */
export function MessageBody({
  bodyText,
  bodyHtml,
  quotedText = null,
}: {
  bodyText: string;
  bodyHtml: string | null;
  quotedText?: string | null;
}) {
  const { t } = useTranslation('cases');
  const [remoteImages, setRemoteImages] = useState(false);
  const [showQuoted, setShowQuoted] = useState(false);
  const document = useMemo(
    () =>
      bodyHtml ? emailDocument(bodyHtml, { origin: window.location.origin, remoteImages, showQuoted }) : null,
    [bodyHtml, remoteImages, showQuoted],
  );
  // In an HTML mail the marked blocks are the quote; the text part's history would repeat it.
  const quotedBlock = document?.hasQuoted ? null : quotedText;
  const foldable = Boolean(document?.hasQuoted || quotedText);

  return (
    <Stack gap={4}>
      {document?.hasRemoteImages && !remoteImages && (
        <Alert variant="light" color="gray" p="xs" data-testid="remote-images-blocked">
          <Group justify="space-between" gap="xs">
            <Text size="xs">{t('emailBody.remoteBlocked')}</Text>
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => setRemoteImages(true)}
              data-testid="load-remote-images"
            >
              {t('emailBody.loadRemote')}
            </Button>
          </Group>
        </Alert>
      )}
      {document ? (
        <iframe
          // Popups only (links open in a new tab, outside the sandbox so the linked site works);
          // never allow-scripts or allow-same-origin: together they would undo the sandbox.
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          srcDoc={document.srcDoc}
          title={t('timeline.htmlTitle')}
          style={{
            width: '100%',
            height: frameHeight(bodyText, showQuoted),
            border: 0,
            background: 'white',
            resize: 'vertical',
            overflow: 'auto',
          }}
          data-testid="message-html"
          data-remote-images={String(remoteImages)}
        />
      ) : (
        <Text
          size="sm"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="message-text"
        >
          {bodyText}
        </Text>
      )}
      {foldable && (
        <Box>
          <Anchor
            component="button"
            type="button"
            size="xs"
            c="dimmed"
            onClick={() => setShowQuoted((open) => !open)}
            data-testid="toggle-quoted"
          >
            {showQuoted ? t('emailBody.hideQuoted') : t('emailBody.showQuoted')}
          </Anchor>
          {quotedBlock && (
            <Collapse expanded={showQuoted}>
              <Text
                size="xs"
                c="dimmed"
                mt={4}
                pl="xs"
                style={{
                  whiteSpace: 'pre-wrap',
                  overflowWrap: 'anywhere',
                  borderLeft: '2px solid var(--mantine-color-gray-4)',
                }}
                data-testid="quoted-text"
              >
                {quotedBlock}
              </Text>
            </Collapse>
          )}
        </Box>
      )}
    </Stack>
  );
}

/** A first height for the frame (it cannot measure its content without scripts); resizable. */
function frameHeight(text: string, quoted: boolean): number {
  const lines = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 90)), 0);
  return Math.min(quoted ? 720 : 560, Math.max(120, 32 + lines * 22));
}
