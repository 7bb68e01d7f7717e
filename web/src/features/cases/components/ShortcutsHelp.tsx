import { ActionIcon, Group, Kbd, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

const groups = [
  {
    title: 'shortcuts.inbox',
    keys: [
      [['j'], 'shortcuts.next'],
      [['k'], 'shortcuts.previous'],
      [['Enter', 'o'], 'shortcuts.openCase'],
      [['x'], 'shortcuts.toggle'],
    ],
  },
  {
    title: 'shortcuts.casePage',
    keys: [
      [['r'], 'shortcuts.reply'],
      [['n'], 'shortcuts.note'],
      [['Esc'], 'shortcuts.leave'],
      [['Ctrl', 'Enter'], 'shortcuts.send'],
    ],
  },
  {
    title: 'shortcuts.everywhere',
    keys: [
      [['/'], 'shortcuts.search'],
      [['?'], 'shortcuts.help'],
    ],
  },
] as const;

/** A small "?" button (and the `?` key) that lists the keyboard shortcuts. */
export function ShortcutsHelp() {
  const { t } = useTranslation('cases');
  const [opened, { open, close }] = useDisclosure();
  useHotkeys([['shift+?', open]]);
  return (
    <>
      <Tooltip label={t('shortcuts.open')}>
        <ActionIcon
          variant="default"
          radius="xl"
          onClick={open}
          aria-label={t('shortcuts.open')}
          data-testid="shortcuts-help"
        >
          ?
        </ActionIcon>
      </Tooltip>
      <Modal opened={opened} onClose={close} title={t('shortcuts.title')} data-testid="shortcuts-dialog">
        <Stack>
          {groups.map((group) => (
            <Stack key={group.title} gap={4}>
              <Text size="sm" fw={600}>
                {t(group.title)}
              </Text>
              <Table>
                <Table.Tbody>
                  {group.keys.map(([keys, label]) => (
                    <Table.Tr key={label}>
                      <Table.Td w={120}>
                        <Group gap={4}>
                          {keys.map((key) => (
                            <Kbd key={key}>{key}</Kbd>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>{t(label)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          ))}
        </Stack>
      </Modal>
    </>
  );
}
