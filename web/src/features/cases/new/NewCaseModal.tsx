import {
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { notifyError, notifySuccess } from '../../../app/notify';
import { customerKeys, customersApi } from '../../customers/api';
import { caseKeys, casesApi } from '../api';
import { type CallDraft, CallFields, emptyCall, toNewCall } from '../components/CallFields';
import { type CasePriority, casePriorities, type StaffCaseChannel, staffCaseChannels } from '../types';
import { CustomerPicker, type PickedCustomer } from './CustomerPicker';

interface CaseDraft {
  customer: PickedCustomer | null;
  subject: string;
  channel: StaffCaseChannel;
  priority: CasePriority;
  vehicleId: string | null;
  body: string;
  logCall: boolean;
  call: CallDraft;
}

const emptyDraft = (customer: PickedCustomer | null): CaseDraft => ({
  customer,
  subject: '',
  channel: 'phone',
  priority: 'normal',
  vehicleId: null,
  body: '',
  logCall: true,
  call: emptyCall,
});

/** Opens a case for a customer from the workspace (a call, a letter, a message elsewhere). */
export function NewCaseModal({
  opened,
  onClose,
  customer,
}: {
  opened: boolean;
  onClose: () => void;
  /** Given on the customer 360; otherwise the agent picks the customer. */
  customer?: PickedCustomer;
}) {
  const { t } = useTranslation(['cases', 'common']);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<CaseDraft>(() => emptyDraft(customer ?? null));
  const customerId = draft.customer?.id ?? '';
  const profile = useQuery({
    queryKey: customerKeys.detail(customerId),
    queryFn: () => customersApi.get(customerId),
    enabled: opened && customerId !== '',
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh form on every opening, not on re-renders
  useEffect(() => {
    if (opened) setDraft(emptyDraft(customer ?? null));
  }, [opened]);

  const create = useMutation({
    mutationFn: async (input: CaseDraft) => {
      const created = await casesApi.createAsStaff({
        customerId: input.customer?.id ?? '',
        subject: input.subject.trim(),
        body: input.body.trim(),
        channel: input.channel,
        priority: input.priority,
        ...(input.vehicleId ? { vehicleId: input.vehicleId } : {}),
      });
      if (input.channel === 'phone' && input.logCall) {
        // The case exists either way; a failed call log is reported, not a reason to stay here.
        await casesApi.logCall(created.number, toNewCall(input.call, '')).catch(notifyError);
      }
      return created;
    },
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      void queryClient.invalidateQueries({ queryKey: caseKeys.counts });
      notifySuccess(t('newCase.created', { number: created.number }));
      onClose();
      navigate(`/agent/cases/${encodeURIComponent(created.number)}`);
    },
  });

  const set = <K extends keyof CaseDraft>(key: K, value: CaseDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.customer && draft.subject.trim() && draft.body.trim()) create.mutate(draft);
  };
  const internal = draft.channel === 'phone' || draft.channel === 'social';
  const vehicles = (profile.data?.vehicles ?? []).map((vehicle) => ({
    value: vehicle.id,
    label: `${vehicle.model} · ${vehicle.vin}`,
  }));

  return (
    <Modal opened={opened} onClose={onClose} title={t('newCase.title')} size="lg">
      <form onSubmit={submit} data-testid="new-case-form">
        <Stack>
          {customer ? (
            <Text size="sm">
              {t('newCase.for')} <b>{customer.name}</b>
            </Text>
          ) : (
            <CustomerPicker
              value={draft.customer}
              onChange={(picked) =>
                setDraft((current) => ({ ...current, customer: picked, vehicleId: null }))
              }
            />
          )}
          <TextInput
            label={t('case.subject')}
            required
            maxLength={200}
            value={draft.subject}
            onChange={(event) => set('subject', event.currentTarget.value)}
            data-testid="new-case-subject"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('case.channel')}
              data={staffCaseChannels.map((value) => ({ value, label: t(`channel.${value}`) }))}
              value={draft.channel}
              onChange={(value) => value && set('channel', value as StaffCaseChannel)}
              allowDeselect={false}
              data-testid="new-case-channel"
            />
            <Select
              label={t('case.priority')}
              data={casePriorities.map((value) => ({ value, label: t(`priority.${value}`) }))}
              value={draft.priority}
              onChange={(value) => value && set('priority', value as CasePriority)}
              allowDeselect={false}
              data-testid="new-case-priority"
            />
            <Select
              label={t('customer.vehicle')}
              placeholder={t('customer.noVehicle')}
              data={vehicles}
              value={draft.vehicleId}
              onChange={(value) => set('vehicleId', value)}
              disabled={!draft.customer}
              clearable
              data-testid="new-case-vehicle"
            />
          </SimpleGrid>
          <Textarea
            label={t('newCase.body')}
            description={internal ? t('newCase.bodyInternal') : t('newCase.bodyVisible')}
            required
            autosize
            minRows={5}
            maxLength={50000}
            value={draft.body}
            onChange={(event) => set('body', event.currentTarget.value)}
            data-testid="new-case-body"
          />
          {draft.channel === 'phone' && (
            <Paper withBorder p="sm">
              <Stack>
                <Checkbox
                  label={t('newCase.logCall')}
                  checked={draft.logCall}
                  onChange={(event) => set('logCall', event.currentTarget.checked)}
                  data-testid="new-case-log-call"
                />
                {draft.logCall && (
                  <CallFields
                    value={draft.call}
                    onChange={(call) => set('call', call)}
                    testIdPrefix="new-case-call"
                  />
                )}
              </Stack>
            </Paper>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!draft.customer || !draft.subject.trim() || !draft.body.trim()}
              data-testid="new-case-submit"
            >
              {t('newCase.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
