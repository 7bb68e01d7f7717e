import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type MacroPlaceholder, macroPlaceholders } from './types';

const labelKeys = {
  'customer.firstName': 'customerFirstName',
  'customer.name': 'customerName',
  'case.number': 'caseNumber',
  'vehicle.model': 'vehicleModel',
  'vehicle.vin': 'vehicleVin',
  'agent.name': 'agentName',
} as const satisfies Record<MacroPlaceholder, string>;

/** The placeholders a macro may use; a click inserts one where the author last typed. */
export function PlaceholderCheatSheet({ onInsert }: { onInsert: (token: string) => void }) {
  const { t } = useTranslation('cases');
  return (
    <Stack gap={6} data-testid="macro-placeholders">
      <Text size="sm" fw={500}>
        {t('admin.macros.placeholders')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('admin.macros.placeholdersHint')}
      </Text>
      <Group gap={6}>
        {macroPlaceholders.map((placeholder) => (
          <Tooltip key={placeholder} label={t(`admin.macros.placeholder.${labelKeys[placeholder]}`)}>
            <Badge
              component="button"
              type="button"
              variant="light"
              tt="none"
              ff="monospace"
              style={{ cursor: 'pointer' }}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onInsert(`{{${placeholder}}}`)}
              data-testid="macro-placeholder"
            >
              {`{{${placeholder}}}`}
            </Badge>
          </Tooltip>
        ))}
      </Group>
    </Stack>
  );
}
