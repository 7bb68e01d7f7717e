import { Button, CloseButton, FileButton, Group, Loader, Pill, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ComponentProps, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { casesApi } from '../api';
import type { Attachment } from '../types';

/** Files uploaded for a message not yet sent; each is uploaded as soon as it is picked. */
export function useAttachmentUploads() {
  const [items, setItems] = useState<Attachment[]>([]);
  const [pending, setPending] = useState(0);
  const upload = useMutation({ mutationFn: casesApi.uploadAttachment });
  const add = (files: File[]) => {
    for (const file of files) {
      setPending((count) => count + 1);
      upload.mutate(file, {
        onSuccess: (attachment) => setItems((current) => [...current, attachment]),
        onSettled: () => setPending((count) => count - 1),
      });
    }
  };
  return {
    items,
    uploading: pending > 0,
    add,
    remove: (id: string) => setItems((current) => current.filter((item) => item.id !== id)),
    reset: () => setItems([]),
  };
}

interface AttachmentPickerProps {
  uploads: ReturnType<typeof useAttachmentUploads>;
  buttonTestId: string;
  inputTestId: string;
  disabled?: boolean;
}

/** An "Attach file" button over a hidden file input (reachable by tests), and the uploaded files. */
export function AttachmentPicker({ uploads, buttonTestId, inputTestId, disabled }: AttachmentPickerProps) {
  const { t } = useTranslation('cases');
  const resetRef = useRef<() => void>(null);
  return (
    <Group gap="xs">
      <FileButton
        multiple
        resetRef={resetRef}
        disabled={disabled}
        onChange={(files) => {
          uploads.add(files);
          resetRef.current?.();
        }}
        inputProps={{ 'data-testid': inputTestId } as ComponentProps<'input'>}
      >
        {(props) => (
          <Button {...props} variant="default" size="xs" disabled={disabled} data-testid={buttonTestId}>
            {t('attachments.attach')}
          </Button>
        )}
      </FileButton>
      {uploads.uploading && (
        <Group gap={4}>
          <Loader size="xs" />
          <Text size="xs" c="dimmed">
            {t('attachments.uploading')}
          </Text>
        </Group>
      )}
      {uploads.items.map((item) => (
        <Pill key={item.id} data-testid="pending-attachment">
          <Group gap={4} wrap="nowrap">
            {item.filename}
            <CloseButton
              size="xs"
              aria-label={t('attachments.remove', { name: item.filename })}
              onClick={() => uploads.remove(item.id)}
            />
          </Group>
        </Pill>
      ))}
    </Group>
  );
}
