import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../identity/session';
import { can } from '../../identity/types';
import type { PickedCustomer } from './CustomerPicker';
import { NewCaseModal } from './NewCaseModal';

/** "New case" for staff who work cases; with a customer (360) or with a customer picker (inbox). */
export function NewCaseButton({ customer }: { customer?: PickedCustomer }) {
  const { t } = useTranslation('cases');
  const me = useCurrentMe();
  const [opened, { open, close }] = useDisclosure();
  if (!can(me, 'cases:write')) return null;
  return (
    <>
      <Button onClick={open} data-testid="new-case">
        {t('newCase.open')}
      </Button>
      <NewCaseModal opened={opened} onClose={close} customer={customer} />
    </>
  );
}
