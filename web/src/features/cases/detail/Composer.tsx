import { Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { getHotkeyHandler, useHotkeys } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { AttachmentPicker, useAttachmentUploads } from '../components/AttachmentPicker';
import type { CaseStatus } from '../types';
import { MacroPicker } from './MacroPicker';
import { SubmitButton } from './SubmitButton';
import type { CaseActions } from './useCaseActions';

type Mode = 'reply' | 'note';

interface ComposerProps {
  caseId: string;
  actions: CaseActions;
  onTyping: () => void;
}

/**
 * Writes a public reply or an internal note, with attachments, macros and an optional status change.
 * Keys: `r` replies, `n` switches between reply and note, `Escape` leaves the text box.
 */
export function Composer({ caseId, actions, onTyping }: ComposerProps) {
  const { t } = useTranslation('cases');
  const [mode, setMode] = useState<Mode>('reply');
  const [body, setBody] = useState('');
  const uploads = useAttachmentUploads();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const isNote = mode === 'note';

  const focus = (next: Mode) => {
    setMode(next);
    // After the mode change has rendered, so the caret lands in the visible box.
    requestAnimationFrame(() => textarea.current?.focus());
  };
  useHotkeys([
    ['r', () => focus('reply')],
    ['n', () => focus(isNote ? 'reply' : 'note')],
  ]);

  const submit = (status?: CaseStatus) => {
    const message = {
      kind: mode,
      body: body.trim(),
      attachmentIds: uploads.items.map((item) => item.id),
      ...(status ? { status } : {}),
    };
    actions.addMessage.mutate(message, {
      onSuccess: () => {
        setBody('');
        uploads.reset();
        notifySuccess(isNote ? t('composer.noteAdded') : t('composer.sent'));
      },
    });
  };
  const insert = (text: string) =>
    setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${text}` : text));
  const empty = !body.trim() && uploads.items.length === 0;

  return (
    <Card
      withBorder
      padding="md"
      bg={isNote ? 'yellow.0' : undefined}
      data-testid="composer"
      data-mode={mode}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Button.Group>
            <Button
              size="xs"
              variant={isNote ? 'default' : 'filled'}
              onClick={() => focus('reply')}
              aria-pressed={!isNote}
              data-testid="composer-mode-reply"
            >
              {t('composer.reply')}
            </Button>
            <Button
              size="xs"
              color="yellow"
              variant={isNote ? 'filled' : 'default'}
              onClick={() => focus('note')}
              aria-pressed={isNote}
              data-testid="composer-mode-note"
            >
              {t('composer.note')}
            </Button>
          </Button.Group>
          {!isNote && <MacroPicker caseId={caseId} actions={actions} onInsert={insert} />}
        </Group>
        {isNote && (
          <Text size="xs" c="yellow.9">
            {t('composer.noteHint')}
          </Text>
        )}
        <Textarea
          ref={textarea}
          aria-label={isNote ? t('composer.note') : t('composer.reply')}
          placeholder={isNote ? t('composer.placeholderNote') : t('composer.placeholderReply')}
          value={body}
          onChange={(event) => {
            setBody(event.currentTarget.value);
            onTyping();
          }}
          onKeyDown={getHotkeyHandler([
            ['Escape', () => textarea.current?.blur()],
            ['mod+Enter', () => !empty && submit()],
          ])}
          autosize
          minRows={4}
          maxRows={16}
          data-testid="composer-body"
        />
        <Group justify="space-between" wrap="wrap">
          <AttachmentPicker uploads={uploads} buttonTestId="composer-attach" inputTestId="composer-file" />
          <SubmitButton
            label={isNote ? t('composer.addNote') : t('composer.send')}
            disabled={empty || uploads.uploading}
            loading={actions.addMessage.isPending}
            onSubmit={submit}
          />
        </Group>
      </Stack>
    </Card>
  );
}
