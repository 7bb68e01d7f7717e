import { Group, Text, ThemeIcon } from '@mantine/core';

/** The Pitwall word mark: a flag chevron and the name. */
export function Brand({ suffix }: { suffix?: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <ThemeIcon size="md" radius="sm" variant="filled" aria-hidden>
        <svg width="14" height="14" viewBox="0 0 14 14" fill="none" aria-hidden="true">
          <path
            d="M3 2v10M3 2h7l-2 2.5L10 7H3"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinejoin="round"
          />
        </svg>
      </ThemeIcon>
      <Text fw={700} size="lg" data-testid="brand">
        Pitwall
      </Text>
      {suffix && (
        <Text c="dimmed" size="sm" visibleFrom="xs">
          {suffix}
        </Text>
      )}
    </Group>
  );
}
