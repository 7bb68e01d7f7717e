import { Button, type ButtonProps, Group, Popover, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

interface ConfirmButtonProps extends Pick<ButtonProps, 'size' | 'variant' | 'color' | 'loading'> {
  /** What the button says, e.g. "Delete". */
  label: string;
  /** The question asked before acting, e.g. "Delete the macro “Welcome”?" */
  question: string;
  onConfirm: () => void;
  'data-testid'?: string;
}

/** A destructive action that asks once more, next to the button, before it runs. */
export function ConfirmButton({ label, question, onConfirm, ...props }: ConfirmButtonProps) {
  const { t } = useTranslation();
  const [opened, { close, toggle }] = useDisclosure();
  const testId = props['data-testid'];
  return (
    <Popover
      opened={opened}
      onChange={(next) => !next && close()}
      position="bottom-end"
      withArrow
      shadow="md"
    >
      <Popover.Target>
        <Button
          size={props.size ?? 'xs'}
          variant={props.variant ?? 'subtle'}
          color={props.color ?? 'red'}
          loading={props.loading}
          onClick={toggle}
          data-testid={testId}
        >
          {label}
        </Button>
      </Popover.Target>
      <Popover.Dropdown maw={320}>
        <Stack gap="sm">
          <Text size="sm">{question}</Text>
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={close}>
              {t('actions.cancel')}
            </Button>
            <Button
              size="xs"
              color={props.color ?? 'red'}
              onClick={() => {
                close();
                onConfirm();
              }}
              data-testid={testId ? `${testId}-confirm` : undefined}
            >
              {label}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
