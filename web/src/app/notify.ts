import { notifications } from '@mantine/notifications';
import { isApiError } from './api/client';
import i18n from './i18n';

export function notifyError(error: unknown): void {
  if (isApiError(error, 'step_up_cancelled')) return;
  const message = error instanceof Error && error.message ? error.message : i18n.t('common:errors.unknown');
  notifications.show({ color: 'red', title: i18n.t('common:errors.title'), message });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message });
}
