import { Anchor, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCaseFormatters } from '../format';
import type { Attachment } from '../types';

/** Files of a message: images as thumbnails, every file with its name and size. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  const { t } = useTranslation('cases');
  const { fileSize } = useCaseFormatters();
  if (attachments.length === 0) return null;
  return (
    <Group gap="sm" mt="xs" align="flex-start" aria-label={t('attachments.title')}>
      {attachments.map((attachment) => (
        <Paper key={attachment.id} withBorder p={6} radius="sm" maw={200} data-testid="attachment">
          <Stack gap={4}>
            {attachment.previewUrl && (
              <Anchor
                href={attachment.url}
                aria-label={t('attachments.download', { name: attachment.filename })}
              >
                <Image
                  src={attachment.previewUrl}
                  alt={attachment.filename}
                  h={96}
                  w={180}
                  fit="cover"
                  radius="xs"
                  data-testid="attachment-preview"
                />
              </Anchor>
            )}
            <Anchor href={attachment.url} size="xs" truncate="end" download={attachment.filename}>
              {attachment.filename}
            </Anchor>
            <Text size="xs" c="dimmed">
              {fileSize(attachment.size)}
            </Text>
          </Stack>
        </Paper>
      ))}
    </Group>
  );
}
