import { ActionIcon, Button, Group, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type CaseStatus, caseStatuses } from '../types';

interface SubmitButtonProps {
  label: string;
  disabled: boolean;
  loading: boolean;
  onSubmit: (status?: CaseStatus) => void;
}

/** A split button: send as is, or send and set the case's status in one go. */
export function SubmitButton({ label, disabled, loading, onSubmit }: SubmitButtonProps) {
  const { t } = useTranslation('cases');
  return (
    <Group gap={0} wrap="nowrap">
      <Button
        onClick={() => onSubmit()}
        disabled={disabled}
        loading={loading}
        style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
        data-testid="composer-submit"
      >
        {label}
      </Button>
      <Menu position="top-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            size={36}
            variant="filled"
            disabled={disabled || loading}
            aria-label={t('composer.submitAsMenu')}
            style={{
              borderTopLeftRadius: 0,
              borderBottomLeftRadius: 0,
              borderLeft: '1px solid rgba(255,255,255,0.4)',
            }}
            data-testid="composer-submit-as"
          >
            ▾
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('composer.submitAsMenu')}</Menu.Label>
          {caseStatuses
            .filter((status) => status !== 'new')
            .map((status) => (
              <Menu.Item
                key={status}
                onClick={() => onSubmit(status)}
                data-testid={`composer-submit-as-${status}`}
              >
                {t('composer.submitAs', { status: t(`status.${status}`) })}
              </Menu.Item>
            ))}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
